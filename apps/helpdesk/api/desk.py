"""The service desk API (/api/v1/desk/): the same as the desk pages, for counter staff with 2FA."""

from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import StaffMembership, User
from apps.accounts.permissions import IsVerifiedStaff
from apps.accounts.selectors import user_has_role
from apps.audit.context import AuditContext
from apps.catalog.selectors import service_get
from apps.core.links import portal_url

from .. import selectors, services
from ..models import IdentityCheck, Mandate, PrintBatch, ResidentLookup


class IsCounterStaff(BasePermission):
    message = gettext_lazy("Counter staff only.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return isinstance(user, User) and user_has_role(
            user=user, roles=[StaffMembership.Role.COUNTER]
        )


class DeskApi(APIView):
    permission_classes = [IsVerifiedStaff, IsCounterStaff]


class ResidentSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        help_text="Opens the resident only for you, only while your look-up, a mandate to your "
        "service point or an assisted account of it lasts."
    )
    real_name = serializers.CharField()
    id_number = serializers.CharField(help_text="Masked unless you may see full ID numbers.")
    phone = serializers.CharField(help_text="Masked unless a mandate is in force.")
    email = serializers.CharField(help_text="Empty unless a mandate is in force.")
    address = serializers.CharField(help_text="Empty unless a mandate is in force.")
    preferred_contact = serializers.CharField()
    family_phone = serializers.CharField(help_text="Masked unless a mandate is in force.")
    service_point = serializers.CharField()
    is_assisted = serializers.BooleanField()
    access = serializers.ChoiceField(
        choices=["lookup", "mandate", "assisted"], help_text="What lets you open the resident."
    )
    lookup_expires_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "DeskResident"


class MandateSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    case = serializers.CharField(source="case.ref", default=None, read_only=True)
    service = serializers.CharField(source="service.code", default=None, read_only=True)

    class Meta:
        model = Mandate
        ref_name = "DeskMandate"
        fields = [
            "id",
            "reference",
            "scope",
            "case",
            "service",
            "valid_from",
            "valid_until",
            "evidence_kind",
            "evidence_sha256",
            "status",
            "revoked_at",
            "revoke_reason",
        ]


class DeskCaseSerializer(serializers.Serializer):
    reference = serializers.CharField()
    number = serializers.CharField(allow_null=True)
    state = serializers.CharField()
    service = serializers.CharField(source="service.code")
    deadline = serializers.DateField(allow_null=True)

    class Meta:
        ref_name = "DeskCase"


def _resident(viewer: User, resident_id: int, request: AuthenticatedRequest) -> User:
    """The resident, if this staff member may open them (404 otherwise); the view is audited."""
    access = selectors.resident_access_get(staff=viewer, resident_id=resident_id)
    services.resident_view_record(
        viewer=viewer,
        resident=access.resident,
        context=AuditContext.from_request(request),
        access=access.via,
    )
    return access.resident


def _reached(viewer: User, resident_id: int) -> User:
    """The resident, if this staff member may open them; 404 otherwise."""
    return selectors.resident_access_get(staff=viewer, resident_id=resident_id).resident


class ResidentLookupApi(DeskApi):
    """查询: find residents by the full ID number or mobile phone, with a reason (audited).

    There is no list of residents: each one found may be opened by you for a while."""

    class InputSerializer(serializers.Serializer):
        # All three are needed; the service says what is missing, in the reader's language.
        q = serializers.CharField(
            max_length=30, required=False, allow_blank=True, help_text="Full ID number or phone"
        )
        reason = serializers.CharField(
            max_length=20,
            required=False,
            allow_blank=True,
            help_text="One of: " + ", ".join(ResidentLookup.Reason.values),
        )
        reason_text = serializers.CharField(
            max_length=255, required=False, allow_blank=True, help_text="What the resident needs"
        )

        class Meta:
            ref_name = "DeskResidentLookupInput"

    @extend_schema(request=InputSerializer, responses=ResidentSerializer(many=True))
    def post(self, request: AuthenticatedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lookups = services.resident_lookup(
            staff=request.user,
            query=data.validated_data.get("q", ""),
            reason=data.validated_data.get("reason", ""),
            reason_text=data.validated_data.get("reason_text", ""),
            context=AuditContext.from_request(request),
        )
        cards = [
            selectors.resident_card(
                viewer=request.user,
                access=selectors.resident_access_get(
                    staff=request.user, resident_id=lookup.resident_id
                ),
            )
            for lookup in lookups
        ]
        return Response(ResidentSerializer(cards, many=True).data)


class ResidentCreateApi(DeskApi):
    """Open an assisted account (there is no list of residents: look them up instead)."""

    class InputSerializer(serializers.Serializer):
        real_name = serializers.CharField(max_length=100)
        id_number = serializers.CharField(max_length=18)
        resident_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
        address = serializers.CharField(max_length=255, required=False, allow_blank=True)
        preferred_contact = serializers.ChoiceField(
            choices=[c.value for c in services.ASSISTED_CONTACTS]
        )
        family_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
        identity_document = serializers.ChoiceField(choices=IdentityCheck.DocumentType.values)
        last_digits = serializers.CharField(max_length=6)

        class Meta:
            ref_name = "DeskResidentOpenInput"

    @extend_schema(request=InputSerializer, responses={201: ResidentSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["phone"] = values.pop("resident_phone", "")
        values["document_type"] = values.pop("identity_document")
        resident = services.assisted_account_open(
            actor=request.user, context=AuditContext.from_request(request), **values
        )
        access = selectors.resident_access_get(staff=request.user, resident_id=resident.pk)
        card = selectors.resident_card(viewer=request.user, access=access)
        return Response(ResidentSerializer(card).data, status=status.HTTP_201_CREATED)


class ResidentDetailApi(DeskApi):
    @extend_schema(responses=ResidentSerializer)
    def get(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        access = selectors.resident_access_get(staff=request.user, resident_id=resident_id)
        services.resident_view_record(
            viewer=request.user,
            resident=access.resident,
            context=AuditContext.from_request(request),
            access=access.via,
        )
        return Response(
            ResidentSerializer(selectors.resident_card(viewer=request.user, access=access)).data
        )


class IdentityCheckApi(DeskApi):
    class InputSerializer(serializers.Serializer):
        identity_document = serializers.ChoiceField(choices=IdentityCheck.DocumentType.values)
        last_digits = serializers.CharField(max_length=6)

        class Meta:
            ref_name = "DeskIdentityCheckInput"

    class OutputSerializer(serializers.ModelSerializer):
        checked_by: serializers.StringRelatedField[User] = serializers.StringRelatedField()
        identity_document = serializers.CharField(source="document_type")

        class Meta:
            model = IdentityCheck
            ref_name = "DeskIdentityCheck"
            fields = ["id", "identity_document", "last_digits", "checked_by", "checked_at"]

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        resident = _reached(request.user, resident_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        check = services.identity_check_record(
            actor=request.user,
            resident=resident,
            document_type=data.validated_data["identity_document"],
            last_digits=data.validated_data["last_digits"],
            context=AuditContext.from_request(request),
        )
        return Response(self.OutputSerializer(check).data, status=status.HTTP_201_CREATED)


class MandateListCreateApi(DeskApi):
    """The resident's mandates; record one with a scanned form (multipart `evidence`) or the
    tablet's drawing (`drawn_signature`, a PNG data URL)."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class InputSerializer(serializers.Serializer):
        scope = serializers.ChoiceField(choices=Mandate.Scope.values)
        service = serializers.CharField(required=False, allow_blank=True)
        case = serializers.CharField(required=False, allow_blank=True)
        valid_from = serializers.DateField()
        valid_until = serializers.DateField()
        evidence = serializers.FileField(required=False)
        drawn_signature = serializers.CharField(required=False, allow_blank=True)

        class Meta:
            ref_name = "DeskMandateInput"

    @extend_schema(responses=MandateSerializer(many=True))
    def get(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        resident = _resident(request.user, resident_id, request)
        return Response(
            MandateSerializer(selectors.mandate_list(resident=resident), many=True).data
        )

    @extend_schema(request=InputSerializer, responses={201: MandateSerializer})
    def post(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        resident = _reached(request.user, resident_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        service = service_get(code=values["service"]) if values.get("service") else None
        case = None
        if values.get("case"):
            case = selectors.resident_case_get(resident=resident, ref=values["case"])
        mandate = services.mandate_create(
            actor=request.user,
            resident=resident,
            scope=values["scope"],
            service=service,
            case=case,
            valid_from=values["valid_from"],
            valid_until=values["valid_until"],
            upload=values.get("evidence"),
            drawn_signature=values.get("drawn_signature", ""),
            context=AuditContext.from_request(request),
        )
        return Response(MandateSerializer(mandate).data, status=status.HTTP_201_CREATED)


class MandateRevokeApi(DeskApi):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=255, required=False, allow_blank=True)

        class Meta:
            ref_name = "DeskMandateRevokeInput"

    @extend_schema(request=InputSerializer, responses=MandateSerializer)
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        mandate = selectors.mandate_get_for_counter(staff=request.user, mandate_id=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mandate = services.mandate_revoke(
            mandate=mandate,
            actor=request.user,
            reason=data.validated_data.get("reason", ""),
            context=AuditContext.from_request(request),
        )
        return Response(MandateSerializer(mandate).data)


class ApplicationStartApi(DeskApi):
    """The resident's applications; start one for them, under a mandate."""

    class InputSerializer(serializers.Serializer):
        mandate = serializers.IntegerField()
        service = serializers.CharField()
        answers = serializers.DictField(required=False)

        class Meta:
            ref_name = "DeskApplicationStartInput"

    @extend_schema(responses=DeskCaseSerializer(many=True))
    def get(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        """The resident's cases the counter may list, as their desk page does."""
        access = selectors.resident_access_get(staff=request.user, resident_id=resident_id)
        cases = selectors.resident_cases_for_counter(access=access)
        return Response(DeskCaseSerializer(cases, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: DeskCaseSerializer})
    def post(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        resident = _reached(request.user, resident_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mandate = selectors.mandate_find(
            mandate_id=data.validated_data["mandate"], resident=resident
        )
        case = services.acting_case_create(
            staff=request.user,
            resident=resident,
            mandate=mandate,
            service=service_get(code=data.validated_data["service"]),
            context=AuditContext.from_request(request),
        )
        if data.validated_data.get("answers"):
            case = services.acting_answers_update(
                case=case,
                staff=request.user,
                mandate=mandate,
                answers=data.validated_data["answers"],
                context=AuditContext.from_request(request),
            )
        return Response(DeskCaseSerializer(case).data, status=status.HTTP_201_CREATED)


class ApplicationSubmitApi(DeskApi):
    """Sign (assisted: your own authenticator code) and submit the resident's application."""

    class InputSerializer(serializers.Serializer):
        mandate = serializers.IntegerField()
        code = serializers.CharField(max_length=10)
        answers = serializers.DictField(required=False)

        class Meta:
            ref_name = "DeskApplicationSubmitInput"

    @extend_schema(request=InputSerializer, responses=DeskCaseSerializer)
    def post(self, request: AuthenticatedRequest, resident_id: int, ref: str) -> Response:
        resident = _reached(request.user, resident_id)
        case = selectors.resident_case_get(resident=resident, ref=ref)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mandate = selectors.mandate_find(
            mandate_id=data.validated_data["mandate"], resident=case.applicant
        )
        if data.validated_data.get("answers"):
            services.acting_answers_update(
                case=case,
                staff=request.user,
                mandate=mandate,
                answers=data.validated_data["answers"],
                context=AuditContext.from_request(request),
            )
        case = services.assisted_case_submit(
            case=case,
            staff=request.user,
            mandate=mandate,
            code=data.validated_data["code"],
            context=AuditContext.from_request(request),
        )
        return Response(DeskCaseSerializer(case).data)


class PrintBatchApi(DeskApi):
    """Your service point's print batches (one PDF of every waiting letter each): the latest
    30, as the print page lists them, and a new batch made now."""

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        batch_date = serializers.DateField()
        letter_count = serializers.IntegerField()
        verification_code = serializers.CharField(source="document.verification_code")
        pdf = serializers.SerializerMethodField()

        class Meta:
            ref_name = "DeskPrintBatch"

        def get_pdf(self, batch: PrintBatch) -> str:
            return reverse("desk-api-print-batch-pdf", args=[batch.pk])

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        point = services.counter_service_point(user=request.user)
        if point is None:
            raise Http404
        batches = selectors.print_batches_of(service_point=point)[:30]
        return Response(self.OutputSerializer(batches, many=True).data)

    @extend_schema(request=None, responses={201: OutputSerializer, 204: None})
    def post(self, request: AuthenticatedRequest) -> Response:
        point = services.counter_service_point(user=request.user)
        if point is None:
            raise Http404
        batch = services.print_batch_generate(
            service_point=point, actor=request.user, context=AuditContext.from_request(request)
        )
        if batch is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(self.OutputSerializer(batch).data, status=status.HTTP_201_CREATED)


class PrintBatchPdfApi(DeskApi):
    """The PDF of one of your service point's print batches (404 for another point's)."""

    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request: AuthenticatedRequest, pk: int) -> FileResponse:
        point = services.counter_service_point(user=request.user)
        if point is None:
            raise Http404
        batch = selectors.print_batch_get(service_point=point, batch_id=pk)
        return FileResponse(
            batch.document.file.open("rb"),
            as_attachment=True,
            filename=f"letters-{point.code}-{batch.batch_date}.pdf",
            content_type="application/pdf",
        )


class ClaimCodeIssueApi(DeskApi):
    """A new claim code for the resident's letter (shown only in this answer)."""

    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField()
        expires_at = serializers.DateTimeField()

        class Meta:
            ref_name = "DeskClaimCode"

    @extend_schema(request=None, responses={201: OutputSerializer})
    def post(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        resident = _reached(request.user, resident_id)
        code, record = services.claim_code_issue(
            actor=request.user, resident=resident, context=AuditContext.from_request(request)
        )
        return Response(
            self.OutputSerializer({"code": code, "expires_at": record.expires_at}).data,
            status=status.HTTP_201_CREATED,
            headers={"Cache-Control": "no-store"},
        )


class ClaimCodeLetterApi(DeskApi):
    """A new claim code printed on the resident's letter (PDF, large type), as the desk page
    prints it: earlier codes stop working, and the code is on paper only."""

    @extend_schema(request=None, responses={(201, "application/pdf"): bytes})
    def post(self, request: AuthenticatedRequest, resident_id: int) -> HttpResponse:
        resident = _reached(request.user, resident_id)
        pdf = services.claim_code_letter_issue(
            actor=request.user,
            resident=resident,
            claim_url=portal_url(path=reverse("helpdesk:claim"), request=request),
            context=AuditContext.from_request(request),
        )
        response = HttpResponse(pdf, status=status.HTTP_201_CREATED, content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="claim-code.pdf"'
        response["Cache-Control"] = "no-store"
        return response
