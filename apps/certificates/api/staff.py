"""The department staff's certificate API (the staff pages' twin): the certificates a case
uses, verified live; the department's certificates; revoking and replacing them."""

import datetime
from functools import partial

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.permissions import IsVerifiedStaff
from apps.audit.context import AuditContext
from apps.cases.provided import provided_documents
from apps.cases.selectors import case_get_for_staff
from apps.core.pagination import SeekPagination

from .. import selectors, services
from .common import CertificateOutputSerializer, ProvidedDocumentSerializer


class StaffApi(APIView):
    permission_classes = [IsVerifiedStaff]


class StaffCaseCertificatesApi(StaffApi):
    @extend_schema(responses=ProvidedDocumentSerializer(many=True))
    def get(self, request: AuthenticatedRequest, ref: str) -> Response:
        """The certificates a case uses instead of uploads, each read live from its record:
        valid, expired, revoked or replaced, with its fields (never a copy taken earlier)."""
        case = case_get_for_staff(user=request.user, ref=ref)
        return Response(ProvidedDocumentSerializer(provided_documents(case=case), many=True).data)


class StaffCertificateListApi(StaffApi):
    pagination_class = partial(SeekPagination, keys=selectors.STAFF_CERTIFICATE_ORDER)

    @extend_schema(responses=CertificateOutputSerializer(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        """The certificates the staff member's departments issued, newest first."""
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.certificate_list_for_staff(user=request.user), request, view=self
        )
        return paginator.get_paginated_response(CertificateOutputSerializer(page, many=True).data)


class StaffCertificateRevokeApi(StaffApi):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=2000)

        class Meta:
            ref_name = "CertificateRevokeInput"

    @extend_schema(request=InputSerializer, responses=CertificateOutputSerializer)
    def post(self, request: AuthenticatedRequest, number: str) -> Response:
        """Revoke a certificate: a lead of its issuing department (403 otherwise)."""
        certificate = selectors.certificate_get_for_staff(user=request.user, number=number)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        certificate = services.certificate_revoke(
            certificate=certificate,
            actor=request.user,
            reason=data.validated_data["reason"],
            context=AuditContext.from_request(request),
        )
        certificate = selectors.certificate_get_for_staff(
            user=request.user, number=certificate.number
        )
        return Response(CertificateOutputSerializer(certificate).data)


class StaffCertificateReplaceApi(StaffApi):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=2000)
        # The key is "fields" (DRF takes declared fields out of the class, so the name is free).
        fields = serializers.DictField(  # type: ignore[assignment]
            child=serializers.CharField(max_length=500), required=False, default=dict
        )
        valid_until = serializers.DateField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "CertificateReplaceInput"

    @extend_schema(request=InputSerializer, responses={201: CertificateOutputSerializer})
    def post(self, request: AuthenticatedRequest, number: str) -> Response:
        """Replace a certificate with a successor (changed fields merged in): a lead of its
        issuing department. Answers the successor."""
        certificate = selectors.certificate_get_for_staff(user=request.user, number=number)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        valid_until: datetime.date | None = data.validated_data["valid_until"]
        successor = services.certificate_replace(
            certificate=certificate,
            actor=request.user,
            reason=data.validated_data["reason"],
            fields=data.validated_data["fields"],
            valid_until=valid_until,
            context=AuditContext.from_request(request),
        )
        successor = selectors.certificate_get_for_staff(user=request.user, number=successor.number)
        return Response(CertificateOutputSerializer(successor).data, status=201)
