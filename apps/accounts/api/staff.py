"""The signed-in staff member's departments and roles, for the API."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ..http import AuthenticatedRequest
from ..permissions import IsVerifiedStaff
from ..selectors import staff_memberships_of


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
    def get(self, request: AuthenticatedRequest) -> Response:
        memberships = staff_memberships_of(user=request.user)
        return Response(self.OutputSerializer(memberships, many=True).data)
