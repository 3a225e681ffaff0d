"""Complaint API for staff: the work order (GET /api/v1/complaints/{number}/), the actions on
it (POST /api/v1/complaints/{number}/dispatch/, sign/, return/, reply/, merge/, reopen/,
extend/) and the supervisors' decision on extensions. Who may not see a complaint gets 404, who
may see it but not act 403, an action the state does not allow now 409. Each view parses its
input and calls one service.

Deprecated aliases (kept one release, marked deprecated in the schema): the actions under
/api/v1/cases/{number}/dispatch/, sign/, reply/, merge/, reopen/ and the work order at
/api/v1/staff/complaints/{number}/. /api/v1/cases/{number}/return/ and extend/ are the
applications' routes only: complaint clients use the new paths."""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Department
from apps.accounts.permissions import IsVerifiedStaff
from apps.audit.context import AuditContext
from apps.cases.services import case_staff_view_record
from apps.cases.timeline import staff_verb_label

from .. import selectors, services
from ..models import Complaint

# --- output -----------------------------------------------------------------------------------


class ComplaintStaffSerializer(serializers.Serializer):
    number = serializers.CharField()
    kind = serializers.CharField()
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    category = serializers.CharField(source="service.code")
    complaint_type = serializers.CharField()
    urgency = serializers.CharField()
    channel = serializers.CharField()
    description = serializers.CharField()
    address = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    reporter_name = serializers.SerializerMethodField()
    reporter_phone = serializers.SerializerMethodField()
    identity_hidden = serializers.BooleanField(source="hide_identity")
    lead_department = serializers.CharField(
        source="lead_department.code", allow_null=True, default=None
    )
    co_departments = serializers.SerializerMethodField()
    due_at = serializers.DateTimeField(allow_null=True)
    sign_due_at = serializers.DateTimeField(allow_null=True)
    escalated_at = serializers.DateTimeField(allow_null=True)
    return_reason = serializers.CharField()
    return_legal_basis = serializers.CharField()
    reply = serializers.CharField(source="decision_reasons")
    merged_into = serializers.CharField(source="merged_into.number", allow_null=True, default=None)
    timeline = serializers.SerializerMethodField()

    class Meta:
        ref_name = "ComplaintStaffDetail"

    def _reporter(self, case: Complaint) -> dict:
        return selectors.complaint_reporter_shown(case=case, user=self.context["request"].user)

    def get_reporter_name(self, case: Complaint) -> str:
        return str(self._reporter(case)["name"])

    def get_reporter_phone(self, case: Complaint) -> str:
        return self._reporter(case)["phone"]

    def get_co_departments(self, case: Complaint) -> list[str]:
        return [d.code for d in case.co_departments.all()]

    def get_timeline(self, case: Complaint) -> list[dict]:
        return [
            {
                "at": e.created_at,
                "verb": e.verb,
                "what": staff_verb_label(e.verb),
                "note": e.note,
                "department": e.department.code if e.department else None,
                "internal": not e.is_public,
            }
            for e in case.events.all()
        ]


class ComplaintExtensionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    case = serializers.CharField(source="case.number")
    days = serializers.IntegerField()
    reason = serializers.CharField()
    state = serializers.CharField()
    new_deadline = serializers.DateField(allow_null=True)

    class Meta:
        ref_name = "ComplaintExtension"


# --- staff actions ----------------------------------------------------------------------------


class ComplaintActionInputSerializer(serializers.Serializer):
    """Every field any complaint action takes; each action reads its own."""

    department = serializers.SlugField(required=False, help_text="dispatch: the lead department")
    co_departments = serializers.ListField(
        child=serializers.SlugField(), required=False, default=list
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    into = serializers.CharField(required=False, default="", help_text="merge: case number")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    days = serializers.IntegerField(required=False, min_value=1, max_value=60)

    class Meta:
        ref_name = "ComplaintActionInput"


class _ComplaintActionApi(APIView):
    """Loads the complaint (404), refuses who may not run `transition` now (403) before any input
    is looked at, parses the input; subclasses call their one service."""

    permission_classes = [IsVerifiedStaff]
    transition = ""

    def _complaint(self, request: AuthenticatedRequest, ref: str) -> Complaint:
        case = selectors.complaint_get_for_staff(user=request.user, ref=ref)
        if self.transition:
            method = getattr(case, self.transition)
            if can_proceed(method) and not has_transition_perm(method, request.user):
                raise PermissionDenied
        return case

    def _input(self, request: AuthenticatedRequest) -> dict[str, Any]:
        data = ComplaintActionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def _answer(self, request: AuthenticatedRequest, ref: str) -> Response:
        try:
            case = selectors.complaint_get_for_staff(user=request.user, ref=ref)
        except Http404:  # returned or merged: no longer this department's
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(ComplaintStaffSerializer(case, context={"request": request}).data)


def _departments(codes) -> list[Department]:
    found = selectors.departments_by_codes(codes=codes)
    if any(code not in found for code in codes):
        raise serializers.ValidationError({"department": [_("Choose one of the departments.")]})
    return [found[code] for code in codes]


class ComplaintDispatchApi(_ComplaintActionApi):
    transition = "dispatch"

    @extend_schema(request=ComplaintActionInputSerializer, responses=ComplaintStaffSerializer)
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = self._complaint(request, ref)
        values = self._input(request)
        if not values.get("department"):
            raise serializers.ValidationError({"department": [_("Required.")]})
        services.complaint_dispatch(
            case=case,
            actor=request.user,
            department=_departments([values["department"]])[0],
            co_departments=_departments(values.get("co_departments") or []),
            note=values["note"],
            context=AuditContext.from_request(request),
        )
        return self._answer(request, ref)


class ComplaintSignApi(_ComplaintActionApi):
    transition = "sign"

    @extend_schema(request=ComplaintActionInputSerializer, responses=ComplaintStaffSerializer)
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = self._complaint(request, ref)
        self._input(request)
        services.complaint_sign(
            case=case, actor=request.user, context=AuditContext.from_request(request)
        )
        return self._answer(request, ref)


class ComplaintReturnApi(_ComplaintActionApi):
    transition = "complaint_return"

    @extend_schema(request=ComplaintActionInputSerializer, responses=ComplaintStaffSerializer)
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = self._complaint(request, ref)
        values = self._input(request)
        services.complaint_return(
            case=case,
            actor=request.user,
            reason=values["reason"],
            legal_basis=values["legal_basis"],
            context=AuditContext.from_request(request),
        )
        return self._answer(request, ref)


class ComplaintReplyApi(_ComplaintActionApi):
    transition = "reply"

    @extend_schema(request=ComplaintActionInputSerializer, responses=ComplaintStaffSerializer)
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = self._complaint(request, ref)
        values = self._input(request)
        services.complaint_reply(
            case=case,
            actor=request.user,
            text=values["text"],
            context=AuditContext.from_request(request),
        )
        return self._answer(request, ref)


class ComplaintMergeApi(_ComplaintActionApi):
    transition = "merge"

    @extend_schema(request=ComplaintActionInputSerializer, responses=ComplaintStaffSerializer)
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = self._complaint(request, ref)
        values = self._input(request)
        services.complaint_merge(
            case=case,
            actor=request.user,
            into=selectors.complaint_merge_target_get(number=values["into"]),
            note=values["note"],
            context=AuditContext.from_request(request),
        )
        return self._answer(request, ref)


class ComplaintReopenApi(_ComplaintActionApi):
    @extend_schema(request=ComplaintActionInputSerializer, responses=ComplaintStaffSerializer)
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = self._complaint(request, ref)
        values = self._input(request)
        services.complaint_reopen(
            case=case,
            actor=request.user,
            comment=values["comment"],
            context=AuditContext.from_request(request),
        )
        return self._answer(request, ref)


class ComplaintExtendApi(_ComplaintActionApi):
    @extend_schema(
        request=ComplaintActionInputSerializer, responses={201: ComplaintExtensionSerializer}
    )
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = self._complaint(request, ref)
        values = self._input(request)
        if not values.get("days"):
            raise serializers.ValidationError({"days": [_("Required.")]})
        extension = services.complaint_extension_request(
            case=case,
            actor=request.user,
            days=values["days"],
            reason=values["reason"],
            context=AuditContext.from_request(request),
        )
        return Response(
            ComplaintExtensionSerializer(extension).data, status=status.HTTP_201_CREATED
        )


class ComplaintStaffDetailApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(responses=ComplaintStaffSerializer)
    def get(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = selectors.complaint_get_for_staff(user=request.user, ref=ref)
        if selectors.identity_visible_to(case=case, user=request.user):
            # 个人信息: a staff view of the reporter's personal data is on the audit chain.
            case_staff_view_record(
                case=case, actor=request.user, context=AuditContext.from_request(request)
            )
        return Response(ComplaintStaffSerializer(case, context={"request": request}).data)


class ComplaintExtensionDecideApi(APIView):
    permission_classes = [IsVerifiedStaff]
    approve = True

    @extend_schema(request=None, responses=ComplaintExtensionSerializer)
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        extension = services.complaint_extension_decide(
            extension=selectors.complaint_extension_get(pk=pk),
            actor=request.user,
            approve=self.approve,
            context=AuditContext.from_request(request),
        )
        return Response(ComplaintExtensionSerializer(extension).data)


class ComplaintExtensionApproveApi(ComplaintExtensionDecideApi):
    approve = True


class ComplaintExtensionRefuseApi(ComplaintExtensionDecideApi):
    approve = False


# --- deprecated aliases (one release) -----------------------------------------------------------


def deprecated_alias(view: type[APIView]) -> type[APIView]:
    """The same view for an old path, marked deprecated in the schema."""
    alias = type(f"{view.__name__[:-3]}DeprecatedApi", (view,), {"__doc__": view.__doc__})
    return extend_schema(deprecated=True)(alias)
