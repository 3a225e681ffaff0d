"""The resident's API: drafts, answers, attachments, signing codes, submission, tracking."""

from functools import partial

from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.http import AuthenticatedRequest
from apps.audit.context import AuditContext
from apps.catalog.selectors import service_get
from apps.core.pagination import SeekPagination

from .. import prefill, selectors, services
from ..models import Case
from ..timeline import verb_label


def attachment_summaries(case: Case) -> list[dict]:
    """A case's attachments as its detail answers show them (the resident's and the desk's)."""
    return [
        {
            "id": a.pk,
            "field": a.field_key,
            "name": a.original_name,
            "content_type": a.content_type,
            "size": a.size,
            "sha256": a.sha256,
        }
        for a in case.attachments.all()
    ]


class CaseOutputSerializer(serializers.Serializer):
    number = serializers.CharField(source="ref")
    is_draft = serializers.SerializerMethodField()
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    service = serializers.CharField(source="service.code")
    service_name = serializers.CharField(source="service.name")
    version = serializers.IntegerField(source="version.number")
    submitted_at = serializers.DateTimeField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        ref_name = "CaseSummary"

    def get_is_draft(self, case: Case) -> bool:
        return case.number is None

    def get_url(self, case: Case) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api-case-detail", args=[case.ref])
        )


class CasePrefilledAnswerSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The answer's key.")
    # `source` and `label` shadow DRF Field attributes; this serializer only renders.
    source = serializers.CharField(  # type: ignore[assignment]
        help_text="The source the form declares, e.g. profile.name."
    )
    label = serializers.CharField(  # type: ignore[assignment]
        help_text="Where it came from, as the form says it."
    )
    locked = serializers.BooleanField(help_text="True: the service does not let it change.")
    origin = serializers.DictField(
        child=serializers.CharField(),
        help_text='The record it came from: {"kind": "profile"}, {"kind": "last_case", '
        '"case": number}, {"kind": "certificate", "number", "type", "name_zh", "name_en"}.',
    )

    class Meta:
        ref_name = "CasePrefilledAnswer"


class CaseDetailOutputSerializer(CaseOutputSerializer):
    answers = serializers.JSONField()
    prefill = serializers.SerializerMethodField()
    correction_request = serializers.JSONField()
    attachments = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    class Meta:
        ref_name = "CaseDetail"

    def get_attachments(self, case: Case) -> list[dict]:
        return attachment_summaries(case)

    @extend_schema_field(CasePrefilledAnswerSerializer(many=True))
    def get_prefill(self, case: Case) -> list[dict]:
        return [
            {"field": key, **mark} for key, mark in prefill.case_prefill_marks(case=case).items()
        ]

    def get_timeline(self, case: Case) -> list[dict]:
        return [
            {
                "at": event.created_at,
                "what": verb_label(event.verb),
                "state": event.to_state,
                "note": event.note,
            }
            for event in selectors.case_timeline(case=case)
        ]

    def get_documents(self, case: Case) -> list[dict]:
        request = self.context["request"]
        return [
            {
                "id": link.document_id,
                "kind": link.document.kind,
                "title": link.document.title,
                "sha256": link.document.sha256,
                "verification_code": link.document.verification_code,
                "download": request.build_absolute_uri(
                    reverse("api-case-document", args=[case.ref, link.document_id])
                ),
            }
            for link in selectors.case_public_documents(case=case)
        ]


def _detail(
    request: AuthenticatedRequest, case: Case, status_code: int = status.HTTP_200_OK
) -> Response:
    case = selectors.case_get_for_user(user=request.user, ref=case.ref)
    return Response(
        CaseDetailOutputSerializer(case, context={"request": request}).data, status=status_code
    )


class CaseListCreateApi(APIView):
    # Declared, so that the schema shows the page.
    pagination_class = partial(SeekPagination, keys=selectors.RESIDENT_CASE_ORDER)

    class InputSerializer(serializers.Serializer):
        service = serializers.SlugField()
        answers = serializers.DictField(required=False, default=dict)
        prefill = serializers.ChoiceField(
            choices=[choice.value for choice in services.PrefillChoice],
            required=False,
            help_text="Fill in from the records the city holds: none (not this time), draft "
            "(this application), remember (also later applications of the service, until "
            "withdrawn). Left out: as a consent remembered for the service says, else none.",
        )

        class Meta:
            ref_name = "CaseCreateInput"

    @extend_schema(responses=CaseOutputSerializer(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        cases = selectors.resident_case_list(user=request.user)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(cases, request, view=self)
        data = CaseOutputSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(request=InputSerializer, responses={201: CaseDetailOutputSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        service = service_get(code=data.validated_data["service"])
        case = services.case_start(
            service=service,
            applicant=request.user,
            actor=request.user,
            choice=data.validated_data.get("prefill"),
            channel=Case.Channel.API,
            context=AuditContext.from_request(request),
        )
        if data.validated_data["answers"]:
            services.case_answers_update(
                case=case,
                actor=request.user,
                answers=data.validated_data["answers"],
                context=AuditContext.from_request(request),
            )
        return _detail(request, case, status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    class InputSerializer(serializers.Serializer):
        answers = serializers.DictField()

        class Meta:
            ref_name = "CaseUpdateInput"

    @extend_schema(responses=CaseDetailOutputSerializer)
    def get(self, request: AuthenticatedRequest, ref: str) -> Response:
        return _detail(request, selectors.case_get_for_user(user=request.user, ref=ref))

    @extend_schema(request=InputSerializer, responses=CaseDetailOutputSerializer)
    def patch(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = _changeable(request, ref)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.case_answers_update(
            case=case,
            actor=request.user,
            answers=data.validated_data["answers"],
            context=AuditContext.from_request(request),
        )
        return _detail(request, case)


def _changeable(request: AuthenticatedRequest, ref: str) -> Case:
    case = selectors.case_get_for_user(user=request.user, ref=ref)
    services.case_change_check(
        case=case, actor=request.user, step="edit", context=AuditContext.from_request(request)
    )
    return case


class CaseAttachmentApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        field = serializers.CharField()
        file = serializers.FileField()

        class Meta:
            ref_name = "CaseAttachmentInput"

    @extend_schema(request=InputSerializer, responses={201: CaseDetailOutputSerializer})
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = _changeable(request, ref)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.attachment_add(
            case=case,
            actor=request.user,
            field_key=data.validated_data["field"],
            upload=data.validated_data["file"],
            context=AuditContext.from_request(request),
        )
        return _detail(request, case, status.HTTP_201_CREATED)


class CaseSignatureCodeApi(APIView):
    class InputSerializer(serializers.Serializer):
        channel = serializers.ChoiceField(choices=["email", "sms", "totp"])

        class Meta:
            ref_name = "CaseSignatureCodeInput"

    @extend_schema(request=InputSerializer, responses={202: None})
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = _changeable(request, ref)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.case_signature_code_send(
            case=case, actor=request.user, channel=data.validated_data["channel"]
        )
        return Response(status=status.HTTP_202_ACCEPTED)


class CaseSubmitApi(APIView):
    class InputSerializer(serializers.Serializer):
        channel = serializers.ChoiceField(choices=["email", "sms", "totp"])
        code = serializers.CharField()

        class Meta:
            ref_name = "CaseSubmitInput"

    @extend_schema(request=InputSerializer, responses=CaseDetailOutputSerializer)
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = _changeable(request, ref)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_submit(
            case=case,
            actor=request.user,
            code=data.validated_data["code"],
            channel=data.validated_data["channel"],
            context=AuditContext.from_request(request),
            on_behalf_of=case.applicant if request.user.pk != case.applicant_id else None,
        )
        return _detail(request, case)


class CaseWithdrawApi(APIView):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)

        class Meta:
            ref_name = "CaseWithdrawInput"

    @extend_schema(request=InputSerializer, responses=CaseDetailOutputSerializer)
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        """Withdraw a case not yet taken in: the applicant, or a family proxy for them (as on
        the web page)."""
        case = _changeable(request, ref)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_withdraw(
            case=case,
            actor=request.user,
            reason=data.validated_data["reason"],
            context=AuditContext.from_request(request),
            on_behalf_of=case.applicant if request.user.pk != case.applicant_id else None,
        )
        return _detail(request, case)


class CaseDocumentApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request: AuthenticatedRequest, ref: str, pk: int) -> FileResponse:
        case = selectors.case_get_for_user(user=request.user, ref=ref)
        link = next(
            (d for d in selectors.case_public_documents(case=case) if d.document_id == pk), None
        )
        if link is None:
            raise Http404
        return FileResponse(
            link.document.file.open("rb"),
            filename=f"{case.ref}-{link.document.kind}.pdf",
            content_type="application/pdf",
        )


class PrefillConsentSerializer(serializers.Serializer):
    service = serializers.CharField(source="service.code")
    service_name = serializers.CharField(source="service.name")
    given_at = serializers.DateTimeField(source="created_at")
    mandate = serializers.CharField(source="mandate_reference")

    class Meta:
        ref_name = "PrefillConsent"


class PrefillConsentListApi(APIView):
    @extend_schema(responses=PrefillConsentSerializer(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        """The services whose forms you agreed to have prefilled, until you withdraw."""
        consents = prefill.prefill_consent_list(resident=request.user)
        return Response(PrefillConsentSerializer(consents, many=True).data)


class PrefillConsentWithdrawApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request: AuthenticatedRequest, code: str) -> Response:
        """Withdraw your consent for a service: its next application asks again."""
        services.prefill_consent_withdraw(
            resident=request.user,
            service=service_get(code=code),
            actor=request.user,
            context=AuditContext.from_request(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
