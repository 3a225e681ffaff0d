"""The signed-in user's own account, for the API."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ..http import AuthenticatedRequest


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
    def get(self, request: AuthenticatedRequest) -> Response:
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
