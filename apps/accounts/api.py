from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .permissions import IsVerifiedStaff
from .selectors import staff_memberships_of
from .services import api_token_issue


class TokenObtainApi(APIView):
    """Sign in for the API: login (email or phone) and password; staff add their one-time code."""

    authentication_classes: list = []
    permission_classes: list = []

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
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key, token = api_token_issue(request=request._request, **data.validated_data)
        return Response(
            self.OutputSerializer(
                {"token": key, "expires_at": token.expires_at, "otp_verified": token.otp_verified}
            ).data
        )


class MeApi(APIView):
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        display_name = serializers.CharField()
        email = serializers.EmailField(allow_null=True)
        phone = serializers.CharField(allow_null=True)
        is_staff_member = serializers.BooleanField()
        is_verified = serializers.BooleanField()
        care_mode = serializers.BooleanField()
        id_number_masked = serializers.CharField()

        class Meta:
            ref_name = "Me"

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        user = request.user
        profile = getattr(user, "profile", None)
        data = {
            "id": user.pk,
            "display_name": str(user),
            "email": user.email,
            "phone": user.phone,
            "is_staff_member": user.is_staff_member,
            "is_verified": user.is_verified(),
            "care_mode": user.care_mode,
            "id_number_masked": profile.masked_id_number if profile else "",
        }
        return Response(self.OutputSerializer(data).data)


class StaffMeApi(APIView):
    """The signed-in staff member's departments and roles (needs verified 2FA)."""

    permission_classes = [IsVerifiedStaff]

    class OutputSerializer(serializers.Serializer):
        department_code = serializers.CharField(source="department.code")
        department = serializers.CharField(source="department.__str__")
        role = serializers.CharField()

        class Meta:
            ref_name = "StaffMembership"

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request):
        memberships = staff_memberships_of(request.user)
        return Response(self.OutputSerializer(memberships, many=True).data)
