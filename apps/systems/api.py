"""The service API for departments' own systems, /api/v1/systems/ (docs/integration.md).

Audience: a department's system, as an OAuth2 client of the portal (client credentials). It
asks `token/` for a short-lived access token, then calls the rest with it. Every action runs
the services a clerk's request runs, as the system's own account (a clerk of its department),
so the same duties and four eyes apply; every audit event names the client. A case the
department may not see is 404; a step its duties refuse is 403 with the reason (audited); a
scope its token lacks is 403 (audited)."""

import base64
import binascii
import json
from functools import partial
from typing import Any
from urllib.parse import unquote_plus

from django.http import HttpRequest
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from oauth2_provider.views.mixins import OAuthLibMixin
from rest_framework import serializers, status
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.audit.context import AuditContext
from apps.cases import selectors as case_selectors
from apps.cases import services as case_services
from apps.cases.display import applicant_name
from apps.cases.models import Case, ReviewTask
from apps.cases.timeline import staff_verb_label
from apps.catalog.services import answers_summary
from apps.certificates import selectors as certificate_selectors
from apps.certificates import services as certificate_services
from apps.certificates.api.common import CertificateOutputSerializer
from apps.core.api import ApiErrorSerializer
from apps.core.pagination import SeekPagination
from apps.events.api import FeedOutputSerializer, FeedQuerySerializer
from apps.events.envelope import event_json
from apps.events.selectors import event_feed_for_user

from . import selectors, services
from .authentication import (
    DepartmentSystemAuthentication,
    HasSystemScope,
    request_audit_context,
    request_system,
)
from .models import Scope


class SystemApi(APIView):
    authentication_classes = [DepartmentSystemAuthentication]
    permission_classes = [HasSystemScope]
    required_scope = Scope.CASES_READ.value


# --- the token endpoint ------------------------------------------------------------------------


class TokenInputSerializer(serializers.Serializer):
    grant_type = serializers.ChoiceField(choices=["client_credentials"])
    scope = serializers.CharField(
        required=False,
        help_text="Scopes asked for, separated by spaces; none: every scope the client has.",
    )
    client_id = serializers.CharField(
        required=False, help_text="Or HTTP Basic authentication (preferred)."
    )
    client_secret = serializers.CharField(required=False)

    class Meta:
        ref_name = "SystemTokenInput"


class TokenOutputSerializer(serializers.Serializer):
    access_token = serializers.CharField()
    token_type = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="Seconds the token is valid.")
    scope = serializers.CharField()

    class Meta:
        ref_name = "SystemToken"


def token_error_detail(error: str) -> str:
    """What a refused token request says (translated), by RFC 6749's error code."""
    if error == "invalid_client":
        return _("The client is unknown, its secret is wrong, or its system is switched off.")
    if error == "invalid_scope":
        return _("The client may not ask for this scope.")
    if error in ("unsupported_grant_type", "unauthorized_client"):
        return _("Only the client-credentials grant is offered.")
    if error == "invalid_request":
        return _(
            "The token request is not complete: send grant_type=client_credentials with the "
            "client's id and secret."
        )
    return _("The token request was refused.")


def _basic_client_id(request: HttpRequest) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    kind, _space, encoded = header.partition(" ")
    if kind.lower() != "basic":
        return ""
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""
    return unquote_plus(decoded.partition(":")[0])


class TokenApi(OAuthLibMixin, APIView):
    """POST: an access token for a department system's client (client credentials only)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [FormParser]

    @extend_schema(
        request={"application/x-www-form-urlencoded": TokenInputSerializer},
        responses={
            200: TokenOutputSerializer,
            400: OpenApiResponse(
                ApiErrorSerializer,
                description="Refused (RFC 6749 §5.2): the error shape, with RFC 6749's `error` "
                "(also the `code`: `invalid_request`, `unsupported_grant_type`, `invalid_scope`) "
                "beside it.",
            ),
            401: OpenApiResponse(
                ApiErrorSerializer,
                description="The client's credentials are not valid (`error` and `code`: "
                "`invalid_client`).",
            ),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        # django-oauth-toolkit reads the form itself, from Django's request.
        django_request = request._request
        form = django_request.POST
        services.system_token_limit(
            client_ip=AuditContext.from_request(django_request).ip_address,
            client_id=form.get("client_id", "") or _basic_client_id(django_request),
        )
        if form.get("grant_type") != "client_credentials":
            body: dict[str, Any] = {
                "error": "unsupported_grant_type" if form.get("grant_type") else "invalid_request"
            }
            code = status.HTTP_400_BAD_REQUEST
            headers: dict[str, str] = {}
        else:
            _url, headers, raw, code = self.create_token_response(django_request)
            body = json.loads(raw or "{}")
        if code == status.HTTP_200_OK:
            services.system_token_issued_record(
                token=selectors.access_token_get(key=body["access_token"]),
                context=AuditContext.from_request(django_request),
            )
        else:
            error = str(body.get("error", "invalid_request"))
            body = {
                **body,
                "error": error,
                "detail": token_error_detail(error),
                "code": error,
                "errors": {},
            }
        response = Response(body, status=code)
        for name, value in headers.items():
            if name.lower() != "content-type":
                response[name] = value
        return response


# --- output ------------------------------------------------------------------------------------


class SystemCaseSerializer(serializers.Serializer):
    number = serializers.CharField(source="ref")
    kind = serializers.CharField()
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    service = serializers.CharField(source="service.code")
    service_name = serializers.CharField(source="service.name")
    lead_department = serializers.CharField(source="lead_department.code", allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    review_round = serializers.IntegerField()

    class Meta:
        ref_name = "SystemCase"


class SystemReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    department = serializers.CharField(source="department.code")
    round = serializers.IntegerField()
    stage = serializers.IntegerField(source="stage_order")
    state = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    opinion = serializers.CharField()
    decided_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(
        allow_null=True
    )
    decided_at = serializers.DateTimeField(allow_null=True)
    deemed_consent = serializers.BooleanField()

    class Meta:
        ref_name = "SystemCaseReview"


class SystemCaseDetailSerializer(SystemCaseSerializer):
    applicant_name = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField()
    decision_reasons = serializers.CharField()
    granted_until = serializers.DateField(allow_null=True)
    reviews = SystemReviewSerializer(source="review_tasks.all", many=True)
    timeline = serializers.SerializerMethodField()

    class Meta:
        ref_name = "SystemCaseDetail"

    def get_applicant_name(self, case: Case) -> str:
        return applicant_name(case)

    def get_answers(self, case: Case) -> list[dict[str, str]]:
        """ID numbers masked: a system's account is never given the full number."""
        return [
            {"key": row["key"], "label": str(row["label"]), "value": row["value"]}
            for row in answers_summary(
                version=case.version, answers=case.answers, mask_id_numbers=True
            )
        ]

    def get_timeline(self, case: Case) -> list[dict[str, Any]]:
        return [
            {
                "at": event.created_at,
                "verb": event.verb,
                "what": staff_verb_label(event.verb),
                "state": event.to_state,
                "actor": str(event.actor) if event.actor_id else None,
                "department": event.department.code if event.department else None,
            }
            for event in case.events.all()
        ]


class SystemTaskSerializer(SystemReviewSerializer):
    case = serializers.CharField(source="case.ref")
    service = serializers.CharField(source="case.service.code")

    class Meta:
        ref_name = "SystemTask"


# --- cases and the event feed ------------------------------------------------------------------


class PresentChoiceField(serializers.ChoiceField):
    """A query choice that, when given, must be one: DRF reads `?state=` as not given."""

    def get_value(self, dictionary: Any) -> Any:
        if self.field_name in dictionary:
            return dictionary[self.field_name]
        return super().get_value(dictionary)


class CaseQuerySerializer(serializers.Serializer):
    state = PresentChoiceField(choices=Case.State.choices, required=False)


class SystemCaseListApi(SystemApi):
    required_scope = Scope.CASES_READ.value
    pagination_class = partial(SeekPagination, keys=selectors.SYSTEM_CASE_ORDER)

    @extend_schema(parameters=[CaseQuerySerializer], responses=SystemCaseSerializer(many=True))
    def get(self, request: Request) -> Response:
        query = CaseQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        cases = selectors.system_case_list(
            system=request_system(request), state=query.validated_data.get("state", "")
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(cases, request, view=self)
        return paginator.get_paginated_response(SystemCaseSerializer(page, many=True).data)


class SystemCaseDetailApi(SystemApi):
    required_scope = Scope.CASES_READ.value

    @extend_schema(responses=SystemCaseDetailSerializer)
    def get(self, request: Request, ref: str) -> Response:
        system = request_system(request)
        case = selectors.system_case_get(system=system, ref=ref)
        # The applicant's name and answers: a view of personal data, on the audit chain.
        case_services.case_staff_view_record(
            case=case, actor=system.user, context=request_audit_context(request)
        )
        return Response(SystemCaseDetailSerializer(case).data)


class SystemEventFeedApi(SystemApi):
    """The event feed of `/api/v1/events/`, for the system's department."""

    required_scope = Scope.CASES_READ.value

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "after",
                {"type": "integer", "minimum": 0},
                description="The cursor: the last `sequence` read (0, the default: the start).",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": 500},
                description="At most 500 events (default 100).",
            ),
        ],
        responses=FeedOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        query = FeedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = event_feed_for_user(
            user=request_system(request).user,
            after=query.validated_data["after"],
            limit=query.validated_data["limit"],
        )
        return Response(
            {
                "next": page.next,
                "has_more": page.has_more,
                "results": [event_json(event=event) for event in page.events],
            }
        )


# --- review tasks ------------------------------------------------------------------------------


class SystemTaskListApi(SystemApi):
    required_scope = Scope.TASKS_ACT.value
    pagination_class = partial(SeekPagination, keys=case_selectors.TASK_ORDER)

    @extend_schema(responses=SystemTaskSerializer(many=True))
    def get(self, request: Request) -> Response:
        tasks = case_selectors.task_list_for_user(user=request_system(request).user)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(tasks, request, view=self)
        return paginator.get_paginated_response(SystemTaskSerializer(page, many=True).data)


class OpinionInputSerializer(serializers.Serializer):
    opinion = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        ref_name = "SystemTaskOpinionInput"


def _task_response(task: ReviewTask, request: Request) -> Response:
    task = case_selectors.task_get_for_user(user=request_system(request).user, pk=task.pk)
    return Response(SystemTaskSerializer(task).data)


class SystemTaskApproveApi(SystemApi):
    required_scope = Scope.TASKS_ACT.value

    @extend_schema(request=OpinionInputSerializer, responses=SystemTaskSerializer)
    def post(self, request: Request, pk: int) -> Response:
        system = request_system(request)
        task = case_selectors.task_get_for_user(user=system.user, pk=pk)
        data = OpinionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case_services.task_approve(
            task=task,
            actor=system.user,
            opinion=data.validated_data["opinion"],
            context=request_audit_context(request),
        )
        return _task_response(task, request)


class SystemTaskRejectApi(SystemApi):
    required_scope = Scope.TASKS_ACT.value

    @extend_schema(request=OpinionInputSerializer, responses=SystemTaskSerializer)
    def post(self, request: Request, pk: int) -> Response:
        system = request_system(request)
        task = case_selectors.task_get_for_user(user=system.user, pk=pk)
        data = OpinionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case_services.task_reject(
            task=task,
            actor=system.user,
            opinion=data.validated_data["opinion"],
            context=request_audit_context(request),
        )
        return _task_response(task, request)


# --- certificates (电子证照) -----------------------------------------------------------------


class CertificateIssueInputSerializer(serializers.Serializer):
    type = serializers.CharField(max_length=40, help_text="The certificate type's code.")
    case = serializers.CharField(
        max_length=40, help_text="The number of one of the department's cases: its applicant."
    )
    # The key is "fields" (DRF takes declared fields out of the class, so the name is free).
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.CharField(max_length=500), required=False, default=dict
    )
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)

    class Meta:
        ref_name = "SystemCertificateIssueInput"


class CertificateRevokeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)

    class Meta:
        ref_name = "SystemCertificateRevokeInput"


class SystemCertificatesApi(SystemApi):
    required_scope = Scope.CERTIFICATES.value
    pagination_class = partial(SeekPagination, keys=certificate_selectors.STAFF_CERTIFICATE_ORDER)

    @extend_schema(responses=CertificateOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        """The certificates the department issued, newest first."""
        certificates = certificate_selectors.certificate_list_for_staff(
            user=request_system(request).user
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(certificates, request, view=self)
        return paginator.get_paginated_response(CertificateOutputSerializer(page, many=True).data)

    @extend_schema(
        request=CertificateIssueInputSerializer, responses={201: CertificateOutputSerializer}
    )
    def post(self, request: Request) -> Response:
        """Issue a certificate of one of the department's types to the applicant of one of its
        cases (another department's case: 404; another department's type: 403, audited)."""
        system = request_system(request)
        data = CertificateIssueInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = selectors.system_case_get(system=system, ref=data.validated_data["case"])
        certificate = certificate_services.certificate_issue(
            certificate_type=selectors.system_certificate_type_get(
                code=data.validated_data["type"]
            ),
            holder=case.applicant,
            fields=data.validated_data["fields"],
            actor=system.user,
            source_case=case,
            valid_until=data.validated_data["valid_until"],
            context=request_audit_context(request),
        )
        certificate = certificate_selectors.certificate_get_for_staff(
            user=system.user, number=certificate.number
        )
        return Response(
            CertificateOutputSerializer(certificate).data, status=status.HTTP_201_CREATED
        )


class SystemCertificateRevokeApi(SystemApi):
    required_scope = Scope.CERTIFICATES.value

    @extend_schema(request=CertificateRevokeInputSerializer, responses=CertificateOutputSerializer)
    def post(self, request: Request, number: str) -> Response:
        """Revoke one of the department's certificates, with the reason the holder reads
        (another department's certificate: 403, audited; an unknown number: 404)."""
        system = request_system(request)
        certificate = selectors.system_certificate_get(number=number)
        data = CertificateRevokeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        certificate_services.certificate_revoke(
            certificate=certificate,
            actor=system.user,
            reason=data.validated_data["reason"],
            context=request_audit_context(request),
        )
        certificate = certificate_selectors.certificate_get_for_staff(
            user=system.user, number=number
        )
        return Response(CertificateOutputSerializer(certificate).data)
