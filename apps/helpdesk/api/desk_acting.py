"""The desk API's twins of the acting pages (/api/v1/desk/residents/<id>/…): a draft's page,
its answers and documents, a complaint filed for the resident, a status letter. Each command
names the mandate it acts under; the helpdesk services check it again (403 with the reason
when it does not cover the action), as the pages do. The resident opens only through
`selectors.resident_access_get` (a look-up with a reason, a mandate to your service point or an
assisted account of it): 404 otherwise."""

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.accounts.http import AuthenticatedRequest
from apps.audit.context import AuditContext
from apps.cases import selectors as case_selectors
from apps.cases import services as case_services
from apps.cases.api.resident import CasePrefilledAnswerSerializer, attachment_summaries
from apps.cases.models import Case
from apps.cases.prefill import case_prefill_marks
from apps.cases.timeline import staff_verb_label
from apps.catalog.selectors import complaint_category_get
from apps.complaints.api.public import ComplaintReportSerializer

from .. import selectors, services
from .desk import DeskApi, DeskCaseSerializer, _reached


class DeskCaseDetailSerializer(DeskCaseSerializer):
    answers = serializers.JSONField()
    prefill = serializers.SerializerMethodField(
        help_text="The answers filled in from a source (under the mandate), and where from."
    )
    correction_request = serializers.JSONField(allow_null=True)
    is_editable = serializers.BooleanField()
    attachments = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField(
        help_text="What is still missing before the application can be signed, by field."
    )
    timeline = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    class Meta:
        ref_name = "DeskCaseDetail"

    def get_attachments(self, case: Case) -> list[dict]:
        return attachment_summaries(case)

    @extend_schema_field(CasePrefilledAnswerSerializer(many=True))
    def get_prefill(self, case: Case) -> list[dict]:
        return [{"field": key, **mark} for key, mark in case_prefill_marks(case=case).items()]

    def get_missing(self, case: Case) -> dict[str, list[str]]:
        if not case.is_editable:
            return {}
        return {
            key: [str(message) for message in messages]
            for key, messages in case_services.case_submission_errors(case=case).items()
        }

    def get_timeline(self, case: Case) -> list[dict]:
        return [
            {
                "at": event.created_at,
                "what": str(staff_verb_label(event.verb)),
                "state": event.to_state,
                "note": event.note,
            }
            for event in case_selectors.case_timeline(case=case)
        ]

    def get_documents(self, case: Case) -> list[dict]:
        return [
            {
                "id": link.document_id,
                "kind": link.document.kind,
                "title": link.document.title,
                "verification_code": link.document.verification_code,
            }
            for link in selectors.case_document_list(case=case)
        ]


def _case(request: AuthenticatedRequest, resident_id: int, ref: str) -> Case:
    """The resident's case, when this staff member may open the resident; 404 otherwise."""
    resident = _reached(request.user, resident_id)
    return selectors.resident_case_get(resident=resident, ref=ref)


def _detail(case: Case, status_code: int = status.HTTP_200_OK) -> Response:
    case = selectors.resident_case_get(resident=case.applicant, ref=case.ref)  # as it is now
    return Response(DeskCaseDetailSerializer(case).data, status=status_code)


class ApplicationDetailApi(DeskApi):
    """The resident's application as the acting page shows it; its answers changed under a
    mandate (the desk's steps)."""

    class InputSerializer(serializers.Serializer):
        mandate = serializers.IntegerField()
        answers = serializers.DictField()

        class Meta:
            ref_name = "DeskApplicationAnswersInput"

    @extend_schema(responses=DeskCaseDetailSerializer)
    def get(self, request: AuthenticatedRequest, resident_id: int, ref: str) -> Response:
        return _detail(_case(request, resident_id, ref))

    @extend_schema(request=InputSerializer, responses=DeskCaseDetailSerializer)
    def patch(self, request: AuthenticatedRequest, resident_id: int, ref: str) -> Response:
        case = _case(request, resident_id, ref)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mandate = selectors.mandate_find(
            mandate_id=data.validated_data["mandate"], resident=case.applicant
        )
        case = services.acting_answers_update(
            case=case,
            staff=request.user,
            mandate=mandate,
            answers=data.validated_data["answers"],
            context=AuditContext.from_request(request),
        )
        return _detail(case)


class ApplicationAttachmentApi(DeskApi):
    """Add a document to the resident's application under a mandate (multipart)."""

    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        mandate = serializers.IntegerField()
        field = serializers.CharField()
        file = serializers.FileField()

        class Meta:
            ref_name = "DeskApplicationAttachmentInput"

    @extend_schema(request=InputSerializer, responses={201: DeskCaseDetailSerializer})
    def post(self, request: AuthenticatedRequest, resident_id: int, ref: str) -> Response:
        case = _case(request, resident_id, ref)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mandate = selectors.mandate_find(
            mandate_id=data.validated_data["mandate"], resident=case.applicant
        )
        services.acting_attachment_add(
            case=case,
            staff=request.user,
            mandate=mandate,
            field_key=data.validated_data["field"],
            upload=data.validated_data["file"],
            context=AuditContext.from_request(request),
        )
        return _detail(case, status.HTTP_201_CREATED)


class ApplicationStatusLetterApi(DeskApi):
    """Print a letter on where the resident's application stands (PDF), as the acting page does:
    under the resident's mandate (403 with the reason without one)."""

    class InputSerializer(serializers.Serializer):
        mandate = serializers.IntegerField()

        class Meta:
            ref_name = "DeskApplicationLetterInput"

    @extend_schema(request=InputSerializer, responses={(200, "application/pdf"): bytes})
    def post(self, request: AuthenticatedRequest, resident_id: int, ref: str) -> FileResponse:
        case = _case(request, resident_id, ref)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mandate = selectors.mandate_find(
            mandate_id=data.validated_data["mandate"], resident=case.applicant
        )
        document = services.case_status_letter_issue(
            case=case,
            actor=request.user,
            mandate=mandate,
            context=AuditContext.from_request(request),
        )
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=f"{case.ref}-letter.pdf",
            content_type="application/pdf",
        )


class ComplaintFileApi(DeskApi):
    """Report a problem for the resident (12345 work order) under a mandate; the extraction code
    is shown only in this answer."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    class InputSerializer(ComplaintReportSerializer):
        mandate = serializers.IntegerField()

        class Meta:
            ref_name = "DeskComplaintFileInput"

    class OutputSerializer(serializers.Serializer):
        number = serializers.CharField()
        state = serializers.CharField()
        extraction_code = serializers.CharField()

        class Meta:
            ref_name = "DeskComplaintFiled"

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        resident = _reached(request.user, resident_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        category = complaint_category_get(code=values["category"])
        if category is None:
            raise serializers.ValidationError(
                {"category": [_("Choose one of the complaint categories.")]}
            )
        case, code = services.acting_complaint_file(
            staff=request.user,
            resident=resident,
            mandate=selectors.mandate_find(mandate_id=values["mandate"], resident=resident),
            service=category,
            complaint_type=values["complaint_type"],
            urgency=values["urgency"],
            description=values["description"],
            address=values["address"],
            latitude=values["latitude"],
            longitude=values["longitude"],
            photos=request.FILES.getlist("photos") if request.FILES else values["photos"],
            hide_identity=values["hide_identity"],
            answers=values["answers"],
            context=AuditContext.from_request(request),
        )
        return Response(
            self.OutputSerializer(
                {"number": case.number, "state": case.state, "extraction_code": code}
            ).data,
            status=status.HTTP_201_CREATED,
            headers={"Cache-Control": "no-store"},
        )
