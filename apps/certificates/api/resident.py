"""The resident's certificate API (the wallet page's and the application form's twin): the
wallet, and a case's certificates on offer and in use instead of uploads."""

from functools import partial

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.http import AuthenticatedRequest
from apps.audit.context import AuditContext
from apps.cases.provided import document_offers, provided_documents
from apps.cases.selectors import case_get_for_user
from apps.core.pagination import SeekPagination

from .. import selectors, services
from .common import CertificateOutputSerializer, ProvidedDocumentSerializer


class WalletApi(APIView):
    pagination_class = partial(SeekPagination, keys=selectors.HOLDER_CERTIFICATE_ORDER)

    @extend_schema(responses=CertificateOutputSerializer(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        """Every certificate the signed-in resident holds, expired and ended ones too (`status`
        says which: valid, expired, revoked, replaced)."""
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.certificate_list_for_holder(user=request.user), request, view=self
        )
        return paginator.get_paginated_response(CertificateOutputSerializer(page, many=True).data)


class CertificatePdfApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request: AuthenticatedRequest, number: str) -> FileResponse:
        certificate = selectors.certificate_get_for_holder(user=request.user, number=number)
        if certificate.document is None:
            raise Http404
        return FileResponse(
            certificate.document.file.open("rb"),
            filename=f"{certificate.number}.pdf",
            content_type="application/pdf",
        )


class OfferSerializer(serializers.Serializer):
    field = serializers.CharField(source="field_key")
    number = serializers.CharField(source="reference")
    title = serializers.CharField()
    valid_until = serializers.DateField(allow_null=True)


class CaseCertificatesOutputSerializer(serializers.Serializer):
    notice = serializers.CharField()
    offers = OfferSerializer(many=True)
    linked = ProvidedDocumentSerializer(many=True)

    class Meta:
        ref_name = "CaseCertificates"


def _case_certificates(request: AuthenticatedRequest, ref: str, code: int = 200) -> Response:
    case = case_get_for_user(user=request.user, ref=ref)
    offers = [offer for items in document_offers(case=case).values() for offer in items]
    data = CaseCertificatesOutputSerializer(
        {
            "notice": _("You already hold an electronic certificate: no upload needed"),
            "offers": offers,
            "linked": provided_documents(case=case),
        }
    ).data
    return Response(data, status=code)


class CaseCertificatesApi(APIView):
    class InputSerializer(serializers.Serializer):
        field = serializers.CharField(max_length=50)
        number = serializers.CharField(max_length=40)

        class Meta:
            ref_name = "CaseCertificateUseInput"

    @extend_schema(responses=CaseCertificatesOutputSerializer)
    def get(self, request: AuthenticatedRequest, ref: str) -> Response:
        """The applicant's certificates the form offers instead of uploads, and those in use,
        each with its state today."""
        return _case_certificates(request, ref)

    @extend_schema(request=InputSerializer, responses={201: CaseCertificatesOutputSerializer})
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        """Use one of the offered certificates for a file field instead of an upload."""
        case = case_get_for_user(user=request.user, ref=ref)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.case_certificate_link(
            case=case,
            actor=request.user,
            field_key=data.validated_data["field"],
            number=data.validated_data["number"],
            context=AuditContext.from_request(request),
        )
        return _case_certificates(request, ref, status.HTTP_201_CREATED)


class CaseCertificateRemoveApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: AuthenticatedRequest, ref: str, field: str) -> Response:
        """Stop using a certificate for the field (upload the document instead)."""
        case = case_get_for_user(user=request.user, ref=ref)
        services.case_certificate_unlink(
            case=case,
            actor=request.user,
            field_key=field,
            context=AuditContext.from_request(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
