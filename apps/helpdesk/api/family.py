"""A bound family member (亲情账号) through the API: the resident's cases and a new application
for them, as on the /family/ pages. Signing, answers, attachments, withdrawing and rating go
through the cases' own API (`/api/v1/cases/<ref>/...`), which accepts the member's grant."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import User
from apps.audit.context import AuditContext
from apps.cases import services as case_services
from apps.cases.api.resident import CaseDetailOutputSerializer, CaseOutputSerializer
from apps.cases.models import Case
from apps.cases.selectors import case_get_for_user
from apps.catalog.selectors import service_get

from .. import selectors


def _bound_resident(request: AuthenticatedRequest, resident_id: int) -> User:
    """The resident the member is bound to now, or 404 (like any resident they may not see)."""
    link = selectors.family_active_link(resident_id=resident_id, member=request.user)
    if link is None:
        raise Http404
    return link.resident


class FamilyCaseListCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        service = serializers.SlugField()

        class Meta:
            ref_name = "FamilyCaseCreateInput"

    @extend_schema(responses=CaseOutputSerializer(many=True))
    def get(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        """The bound resident's cases the member may see."""
        resident = _bound_resident(request, resident_id)
        cases = selectors.family_case_list(member=request.user, resident=resident)
        return Response(CaseOutputSerializer(cases, many=True, context={"request": request}).data)

    @extend_schema(request=InputSerializer, responses={201: CaseDetailOutputSerializer})
    def post(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        """Start an application for the bound resident: the applicant is the resident, the
        member the one who acts."""
        resident = _bound_resident(request, resident_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = case_services.case_create_draft(
            service=service_get(code=data.validated_data["service"]),
            applicant=resident,
            actor=request.user,
            channel=Case.Channel.API,
            context=AuditContext.from_request(request),
        )
        case = case_get_for_user(user=request.user, ref=case.ref)
        return Response(
            CaseDetailOutputSerializer(case, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
