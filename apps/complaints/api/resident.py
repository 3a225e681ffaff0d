"""Complaint API for a signed-in resident: follow an open complaint (its outcome is sent to the
followers too)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.http import AuthenticatedRequest
from apps.audit.context import AuditContext

from .. import selectors, services


class ComplaintFollowApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = selectors.complaint_get_by_number(number=ref)
        if case is None:
            raise Http404
        services.complaint_follow(
            case=case, user=request.user, context=AuditContext.from_request(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
