"""Checking a document through the API, for anyone (one audience: public)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .services import document_verify, pdf_upload_read


class VerifiedDocumentSerializer(serializers.Serializer):
    title = serializers.CharField()
    kind = serializers.CharField()
    kind_display = serializers.CharField()
    issued_at = serializers.DateTimeField()
    sealed_by = serializers.CharField()
    seal = serializers.CharField()
    sha256 = serializers.CharField()
    verification_code = serializers.CharField()

    class Meta:
        ref_name = "DocumentVerificationDocument"


class DocumentStandingSerializer(serializers.Serializer):
    """Whether the certificate the document shows still holds today (its seal outlives that)."""

    # Text, not an enum: a second `status` enum would rename the result's `StatusEnum`.
    status = serializers.CharField(help_text="valid, expired, revoked or replaced")
    status_display = serializers.CharField()
    in_force = serializers.BooleanField()
    ended_on = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)

    class Meta:
        ref_name = "DocumentVerificationStanding"


class DocumentVerifyApi(APIView):
    """Check a PDF (multipart `file`) or a verification `code`: valid, tampered or unknown.
    A valid certificate's PDF also says in `standing` whether the certificate still holds."""

    permission_classes = [AllowAny]
    authentication_classes: list = []  # anonymous: no session, hence no CSRF check
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(required=False)
        code = serializers.CharField(required=False, allow_blank=True, max_length=40)

        class Meta:
            ref_name = "DocumentVerificationInput"

        def validate_code(self, value: str) -> str:
            # DRF turns a JSON number into text; a code is typed, so a number is a wrong request.
            if not isinstance(self.initial_data.get("code"), str):
                raise serializers.ValidationError(_("Type the verification code as text."))
            return value

        def validate(self, attrs):
            if not attrs.get("file") and not (attrs.get("code") or "").strip():
                raise serializers.ValidationError(_("Upload a PDF or type a verification code."))
            return attrs

    class OutputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=["valid", "tampered", "unknown"])
        document = VerifiedDocumentSerializer(allow_null=True)
        standing = DocumentStandingSerializer(allow_null=True)

        class Meta:
            ref_name = "DocumentVerificationResult"

    @extend_schema(
        operation_id="documents_verify",
        request={"multipart/form-data": InputSerializer, "application/json": InputSerializer},
        responses={200: OutputSerializer},
        auth=[],
        examples=[
            OpenApiExample("By code", value={"code": "7KQM-3XWP-HT9C-N2RD"}, request_only=True),
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data.get("file")
        if upload is not None:
            result = document_verify(pdf_bytes=pdf_upload_read(upload=upload))
        else:
            result = document_verify(code=serializer.validated_data["code"])
        return Response(self.OutputSerializer(result).data, status=status.HTTP_200_OK)
