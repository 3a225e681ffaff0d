"""The department staff API: my queue, task actions, intake and decisions, extensions.

Who may not see the case gets 404; who may see it but not act gets 403; an action the current
state does not allow gets 409 with the reason."""

from functools import partial

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import User
from apps.accounts.permissions import IsVerifiedStaff
from apps.audit.context import AuditContext
from apps.catalog.services import answers_summary
from apps.core.pagination import SeekPagination

from .. import selectors, services
from ..display import applicant_name
from ..models import Case, ReviewTask
from ..timeline import staff_verb_label


class StaffApi(APIView):
    permission_classes = [IsVerifiedStaff]


# --- output ------------------------------------------------------------------------------------


class TaskOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    case = serializers.CharField(source="case.ref")
    service = serializers.CharField(source="case.service.code")
    service_name = serializers.CharField(source="case.service.name")
    applicant_name = serializers.SerializerMethodField()
    department = serializers.CharField(source="department.code")
    round = serializers.IntegerField()
    stage = serializers.IntegerField(source="stage_order")
    stage_name = serializers.CharField(source="stage_title")
    state = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    is_overdue = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField()
    opinion = serializers.CharField()
    url = serializers.SerializerMethodField()

    class Meta:
        ref_name = "StaffTask"

    def get_applicant_name(self, task: ReviewTask) -> str:
        return applicant_name(task.case)

    def get_is_overdue(self, task: ReviewTask) -> bool:
        return bool(task.due_date and task.due_date < timezone.localdate())

    def get_assignee(self, task: ReviewTask) -> str | None:
        return str(task.assignee) if task.assignee_id else None

    def get_url(self, task: ReviewTask) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api-staff-case-detail", args=[task.case.ref])
        )


class ReviewOutputSerializer(serializers.Serializer):
    """A task as part of the case: no applicant or case fields (they are on the case)."""

    id = serializers.IntegerField(source="pk")
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.__str__")
    round = serializers.IntegerField()
    stage = serializers.IntegerField(source="stage_order")
    stage_name = serializers.CharField(source="stage_title")
    state = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    assignee: serializers.StringRelatedField[User] = serializers.StringRelatedField(allow_null=True)
    opinion = serializers.CharField()
    decided_by: serializers.StringRelatedField[User] = serializers.StringRelatedField(
        allow_null=True
    )
    decided_at = serializers.DateTimeField(allow_null=True)
    deemed_consent = serializers.BooleanField()

    class Meta:
        ref_name = "StaffCaseReview"


class ExtensionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    case = serializers.CharField(source="case.ref")
    days = serializers.IntegerField()
    reason = serializers.CharField()
    state = serializers.CharField()
    requested_by = serializers.CharField(source="requested_by.__str__")
    old_deadline = serializers.DateField(allow_null=True)
    new_deadline = serializers.DateField(allow_null=True)

    class Meta:
        ref_name = "StaffExtension"


class StaffCaseOutputSerializer(serializers.Serializer):
    number = serializers.CharField(source="ref")
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    service = serializers.CharField(source="service.code")
    service_name = serializers.CharField(source="service.name")
    applicant_name = serializers.SerializerMethodField()
    lead_department = serializers.CharField(source="lead_department.code", allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    escalated_at = serializers.DateTimeField(allow_null=True)
    review_round = serializers.IntegerField()
    correction_request = serializers.JSONField()
    decision_reasons = serializers.CharField()
    granted_until = serializers.DateField(allow_null=True)
    answers = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    reviews = ReviewOutputSerializer(source="review_tasks.all", many=True)
    extensions = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        ref_name = "StaffCaseDetail"

    def get_applicant_name(self, case: Case) -> str:
        return applicant_name(case)

    def get_answers(self, case: Case) -> list[dict]:
        """ID numbers masked unless the viewer is allowed the full number."""
        user = self.context["request"].user
        return [
            {"key": row["key"], "label": str(row["label"]), "value": row["value"]}
            for row in answers_summary(
                version=case.version,
                answers=case.answers,
                mask_id_numbers=not selectors.case_shows_full_id_numbers(case=case, user=user),
            )
        ]

    def get_attachments(self, case: Case) -> list[dict]:
        request = self.context["request"]
        return [
            {
                "id": a.pk,
                "field": a.field_key,
                "name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "download": request.build_absolute_uri(
                    reverse("staff:staff_cases:attachment", args=[case.ref, a.pk])
                ),
            }
            for a in case.attachments.all()
        ]

    def get_extensions(self, case: Case) -> list[dict]:
        return [
            {
                "id": e.pk,
                "days": e.days,
                "reason": e.reason,
                "state": e.state,
                "requested_by": str(e.requested_by),
                "new_deadline": e.new_deadline,
            }
            for e in case.extension_requests.all()
        ]

    def get_timeline(self, case: Case) -> list[dict]:
        return [
            {
                "at": event.created_at,
                "verb": event.verb,
                "what": staff_verb_label(event.verb),
                "state": event.to_state,
                "note": event.note,
                "actor": str(event.actor) if event.actor_id else None,
                "department": event.department.code if event.department else None,
                "internal": not event.is_public,
            }
            for event in case.events.all()
        ]

    def get_documents(self, case: Case) -> list[dict]:
        return [
            {
                "id": link.document_id,
                "kind": link.document.kind,
                "title": link.document.title,
                "verification_code": link.document.verification_code,
                "public": link.is_public,
            }
            for link in case.case_documents.all()
        ]

    def get_actions(self, case: Case) -> dict:
        actions = selectors.case_staff_actions(case=case, user=self.context["request"].user)
        return {
            "accept": actions["accept"],
            "refuse": actions["refuse"],
            "return": actions["return_for_correction"],
            "decide": actions["decide"],
            "extend": actions["extend"],
            "note": actions["note"],
            "tasks": [task.pk for task in actions["tasks"]],
            "pending_extensions": [e.pk for e in actions["pending_extensions"]],
        }


def _case_response(
    request: AuthenticatedRequest, case: Case, status_code: int = status.HTTP_200_OK
) -> Response:
    case = selectors.case_get_for_staff(user=request.user, ref=case.ref)
    return Response(
        StaffCaseOutputSerializer(case, context={"request": request}).data, status=status_code
    )


def _task_response(request: AuthenticatedRequest, task: ReviewTask) -> Response:
    task = selectors.task_get_for_user(user=request.user, pk=task.pk)
    return Response(TaskOutputSerializer(task, context={"request": request}).data)


# --- the queue and tasks -----------------------------------------------------------------------


class TaskListApi(StaffApi):
    # Declared, so that the schema shows the page.
    pagination_class = partial(SeekPagination, keys=selectors.TASK_ORDER)

    @extend_schema(responses=TaskOutputSerializer(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        tasks = selectors.task_list_for_user(
            user=request.user,
            service=request.query_params.get("service", ""),
            overdue=request.query_params.get("overdue") in ("1", "true"),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(tasks, request, view=self)
        return paginator.get_paginated_response(
            TaskOutputSerializer(page, many=True, context={"request": request}).data
        )


class TaskClaimApi(StaffApi):
    @extend_schema(request=None, responses=TaskOutputSerializer)
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        task = selectors.task_get_for_user(user=request.user, pk=pk)
        services.task_claim(
            task=task, actor=request.user, context=AuditContext.from_request(request)
        )
        return _task_response(request, task)


class TaskApproveApi(StaffApi):
    class InputSerializer(serializers.Serializer):
        opinion = serializers.CharField(required=False, allow_blank=True, default="")

        class Meta:
            ref_name = "StaffTaskApproveInput"

    @extend_schema(request=InputSerializer, responses=TaskOutputSerializer)
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        task = selectors.task_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.task_approve(
            task=task,
            actor=request.user,
            opinion=data.validated_data["opinion"],
            context=AuditContext.from_request(request),
        )
        return _task_response(request, task)


class TaskRejectApi(StaffApi):
    class InputSerializer(serializers.Serializer):
        opinion = serializers.CharField(allow_blank=True)

        class Meta:
            ref_name = "StaffTaskRejectInput"

    @extend_schema(request=InputSerializer, responses=TaskOutputSerializer)
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        task = selectors.task_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.task_reject(
            task=task,
            actor=request.user,
            opinion=data.validated_data["opinion"],
            context=AuditContext.from_request(request),
        )
        return _task_response(request, task)


class ReturnInputSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True)

    class Meta:
        ref_name = "StaffReturnInput"

    def get_fields(self) -> dict[str, serializers.Field]:
        # Added here, not declared on the class: a class attribute `fields` would hide
        # Serializer.fields. The answers and documents to correct come first, then the note.
        return {
            "fields": serializers.ListField(child=serializers.CharField(), allow_empty=True),
            **super().get_fields(),
        }


class TaskReturnApi(StaffApi):
    @extend_schema(request=ReturnInputSerializer, responses=StaffCaseOutputSerializer)
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        task = selectors.task_get_for_user(user=request.user, pk=pk)
        data = ReturnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.task_return(
            task=task,
            actor=request.user,
            fields=data.validated_data["fields"],
            note=data.validated_data["note"],
            context=AuditContext.from_request(request),
        )
        return _case_response(request, case)


# --- the case ----------------------------------------------------------------------------------


class StaffCaseDetailApi(StaffApi):
    @extend_schema(responses=StaffCaseOutputSerializer)
    def get(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = selectors.case_get_for_staff(user=request.user, ref=ref)
        services.case_staff_view_record(
            case=case, actor=request.user, context=AuditContext.from_request(request)
        )
        return Response(StaffCaseOutputSerializer(case, context={"request": request}).data)


def _processable(request: AuthenticatedRequest, ref: str) -> Case:
    """The lead department's case: 404 for who may not see it; who may act on it is the
    services' (403 with the reason, audited)."""
    return selectors.case_get_for_staff(user=request.user, ref=ref)


class CaseAcceptApi(StaffApi):
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(required=False, allow_blank=True, default="")

        class Meta:
            ref_name = "StaffCaseAcceptInput"

    @extend_schema(request=InputSerializer, responses=StaffCaseOutputSerializer)
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = _processable(request, ref)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_accept(
            case=case,
            actor=request.user,
            note=data.validated_data["note"],
            context=AuditContext.from_request(request),
        )
        return _case_response(request, case)


class CaseRefuseApi(StaffApi):
    class InputSerializer(serializers.Serializer):
        reasons = serializers.CharField(allow_blank=True)

        class Meta:
            ref_name = "StaffCaseRefuseInput"

    @extend_schema(request=InputSerializer, responses=StaffCaseOutputSerializer)
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = _processable(request, ref)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_refuse(
            case=case,
            actor=request.user,
            reasons=data.validated_data["reasons"],
            context=AuditContext.from_request(request),
        )
        return _case_response(request, case)


class CaseReturnApi(StaffApi):
    @extend_schema(request=ReturnInputSerializer, responses=StaffCaseOutputSerializer)
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = _processable(request, ref)
        data = ReturnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_return_for_correction(
            case=case,
            actor=request.user,
            fields=data.validated_data["fields"],
            note=data.validated_data["note"],
            context=AuditContext.from_request(request),
        )
        return _case_response(request, case)


class CaseDecideApi(StaffApi):
    class InputSerializer(serializers.Serializer):
        reasons = serializers.CharField(required=False, allow_blank=True, default="")
        granted_until = serializers.DateField(required=False, allow_null=True, default=None)
        code = serializers.CharField(help_text="The code of the clerk's authenticator app.")

        class Meta:
            ref_name = "StaffCaseDecideInput"

    @extend_schema(request=InputSerializer, responses=StaffCaseOutputSerializer)
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = _processable(request, ref)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_decide(
            case=case,
            actor=request.user,
            code=data.validated_data["code"],
            reasons=data.validated_data["reasons"],
            granted_until=data.validated_data["granted_until"],
            context=AuditContext.from_request(request),
        )
        return _case_response(request, case)


class CaseExtendApi(StaffApi):
    class InputSerializer(serializers.Serializer):
        days = serializers.IntegerField(min_value=1, max_value=60)
        reason = serializers.CharField(allow_blank=True)

        class Meta:
            ref_name = "StaffCaseExtendInput"

    @extend_schema(request=InputSerializer, responses={201: ExtensionOutputSerializer})
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = selectors.case_get_for_staff(user=request.user, ref=ref)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        extension = services.extension_request(
            case=case,
            actor=request.user,
            days=data.validated_data["days"],
            reason=data.validated_data["reason"],
            context=AuditContext.from_request(request),
        )
        return Response(ExtensionOutputSerializer(extension).data, status=status.HTTP_201_CREATED)


class _ExtensionDecideApi(StaffApi):
    approve = True

    @extend_schema(request=None, responses=ExtensionOutputSerializer)
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        extension = selectors.extension_get_for_user(user=request.user, pk=pk)
        extension = services.extension_decide(
            extension=extension,
            actor=request.user,
            approve=self.approve,
            context=AuditContext.from_request(request),
        )
        extension = selectors.extension_get_for_user(user=request.user, pk=extension.pk)
        return Response(ExtensionOutputSerializer(extension).data)


class ExtensionApproveApi(_ExtensionDecideApi):
    approve = True


class ExtensionRefuseApi(_ExtensionDecideApi):
    approve = False
