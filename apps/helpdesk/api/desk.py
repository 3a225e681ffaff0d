"""The service desk API (/api/v1/desk/): the same as the desk pages, for counter staff with 2FA."""

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
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

from .. import selectors, services
from ..models import IdentityCheck, Mandate


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
    id = serializers.IntegerField()
    real_name = serializers.CharField()
    id_number = serializers.CharField(help_text="Masked unless you may see full ID numbers.")
    phone = serializers.CharField()
    email = serializers.CharField()
    address = serializers.CharField()
    preferred_contact = serializers.CharField()
    family_phone = serializers.CharField()
    service_point = serializers.CharField()
    is_assisted = serializers.BooleanField()

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
    resident = selectors.resident_get(resident_id=resident_id)
    services.resident_view_record(
        viewer=viewer, resident=resident, context=AuditContext.from_request(request)
    )
    return resident


class ResidentListCreateApi(DeskApi):
    """Find a resident by full ID number or phone; open an assisted account."""

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

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Full ID number or mobile phone", required=True)
        ],
        responses=ResidentSerializer(many=True),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        profiles = selectors.resident_search(query=request.query_params.get("q", ""))
        for profile in profiles:
            services.resident_view_record(
                viewer=request.user,
                resident=profile.user,
                context=AuditContext.from_request(request),
                purpose="search",
            )
        cards = [selectors.resident_card(viewer=request.user, resident=p.user) for p in profiles]
        return Response(ResidentSerializer(cards, many=True).data)

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
        card = selectors.resident_card(viewer=request.user, resident=resident)
        return Response(ResidentSerializer(card).data, status=status.HTTP_201_CREATED)


class ResidentDetailApi(DeskApi):
    @extend_schema(responses=ResidentSerializer)
    def get(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        resident = _resident(request.user, resident_id, request)
        return Response(
            ResidentSerializer(selectors.resident_card(viewer=request.user, resident=resident)).data
        )


class IdentityCheckApi(DeskApi):
    class InputSerializer(serializers.Serializer):
        identity_document = serializers.ChoiceField(choices=IdentityCheck.DocumentType.values)
        last_digits = serializers.CharField(max_length=6)

        class Meta:
            ref_name = "DeskIdentityCheckInput"

    class OutputSerializer(serializers.ModelSerializer):
        checked_by = serializers.CharField(source="checked_by.__str__")
        identity_document = serializers.CharField(source="document_type")

        class Meta:
            model = IdentityCheck
            ref_name = "DeskIdentityCheck"
            fields = ["id", "identity_document", "last_digits", "checked_by", "checked_at"]

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        resident = selectors.resident_get(resident_id=resident_id)
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
        resident = selectors.resident_get(resident_id=resident_id)
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
        mandate = selectors.mandate_get(mandate_id=pk)
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
    """Start an application for the resident, under a mandate."""

    class InputSerializer(serializers.Serializer):
        mandate = serializers.IntegerField()
        service = serializers.CharField()
        answers = serializers.DictField(required=False)

        class Meta:
            ref_name = "DeskApplicationStartInput"

    @extend_schema(request=InputSerializer, responses={201: DeskCaseSerializer})
    def post(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        resident = selectors.resident_get(resident_id=resident_id)
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
        resident = selectors.resident_get(resident_id=resident_id)
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
    """Make the print batch of your service point now (one PDF of every waiting letter)."""

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        batch_date = serializers.DateField()
        letter_count = serializers.IntegerField()
        verification_code = serializers.CharField(source="document.verification_code")

        class Meta:
            ref_name = "DeskPrintBatch"

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


class ClaimCodeIssueApi(DeskApi):
    """A new claim code for the resident's letter (shown only in this answer)."""

    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField()
        expires_at = serializers.DateTimeField()

        class Meta:
            ref_name = "DeskClaimCode"

    @extend_schema(request=None, responses={201: OutputSerializer})
    def post(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        resident = selectors.resident_get(resident_id=resident_id)
        code, record = services.claim_code_issue(
            actor=request.user, resident=resident, context=AuditContext.from_request(request)
        )
        return Response(
            self.OutputSerializer({"code": code, "expires_at": record.expires_at}).data,
            status=status.HTTP_201_CREATED,
            headers={"Cache-Control": "no-store"},
        )
