"""Signing in for the API: anyone may ask for a token."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.audit.context import AuditContext

from ..http import authenticate_or_refuse
from ..services import api_token_issue


class TokenObtainApi(APIView):
    """Sign in for the API: login (email or phone) and password; staff add their one-time code."""

    authentication_classes = []
    permission_classes = []

    class InputSerializer(serializers.Serializer):
        login = serializers.CharField()
        password = serializers.CharField(style={"input_type": "password"})
        otp = serializers.CharField(required=False, allow_blank=True)

        class Meta:
            ref_name = "TokenObtainInput"

    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField()
        expires_at = serializers.DateTimeField()
        otp_verified = serializers.BooleanField()

        class Meta:
            ref_name = "TokenObtainOutput"

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate_or_refuse(
            request._request,
            login=data.validated_data["login"],
            password=data.validated_data["password"],
        )
        key, token = api_token_issue(
            user=user,
            otp=data.validated_data.get("otp", ""),
            context=AuditContext.from_request(request._request),
        )
        return Response(
            self.OutputSerializer(
                {"token": key, "expires_at": token.expires_at, "otp_verified": token.otp_verified}
            ).data
        )
