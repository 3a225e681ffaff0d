"""The resident's API for their own data (a signed-in resident): exports, closing the account,
who looked at a case. The twins of the /my-data/ pages."""

from django.contrib.auth import logout
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.http import AuthenticatedRequest
from apps.audit.context import AuditContext
from apps.core.http import file_response

from . import selectors, services
from .models import DataExport


class DataExportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    created_at = serializers.DateTimeField()
    ready_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    summary_code = serializers.CharField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        ref_name = "DataExport"

    def get_download_url(self, export: DataExport) -> str | None:
        if export.state != DataExport.State.READY:
            return None
        return self.context["request"].build_absolute_uri(
            reverse("api-data-export-download", args=[export.pk])
        )


class DataExportListApi(APIView):
    @extend_schema(responses=DataExportSerializer(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        exports = selectors.data_export_list(resident=request.user)[:10]
        return Response(DataExportSerializer(exports, many=True, context={"request": request}).data)

    @extend_schema(request=None, responses={202: DataExportSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        export = services.data_export_request(
            resident=request.user, actor=request.user, context=AuditContext.from_request(request)
        )
        export.refresh_from_db()
        return Response(
            DataExportSerializer(export, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED,
        )


class DataExportDownloadApi(APIView):
    @extend_schema(responses={(200, "application/zip"): bytes})
    def get(self, request: AuthenticatedRequest, pk: int) -> FileResponse:
        export = selectors.data_export_get_for_resident(resident=request.user, export_id=pk)
        handle = services.data_export_download(
            export=export, actor=request.user, context=AuditContext.from_request(request)
        )
        return file_response(
            file=handle, filename=f"my-data-{export.pk}.zip", content_type="application/zip"
        )


class CaseRefSerializer(serializers.Serializer):
    ref = serializers.CharField()
    state = serializers.CharField()

    class Meta:
        ref_name = "AccountClosureBlocker"


class AccountCloseApi(APIView):
    class InputSerializer(serializers.Serializer):
        channel = serializers.ChoiceField(choices=["email", "sms", "totp"])
        code = serializers.CharField()

        class Meta:
            ref_name = "AccountCloseInput"

    @extend_schema(responses={200: CaseRefSerializer(many=True)})
    def get(self, request: AuthenticatedRequest) -> Response:
        """The cases under way that keep the account open (empty: it may be closed)."""
        blockers = services.account_closure_blockers(resident=request.user)
        return Response(CaseRefSerializer(blockers, many=True).data)

    @extend_schema(request=InputSerializer, responses={204: None})
    def post(self, request: AuthenticatedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.account_close(
            resident=request.user,
            actor=request.user,
            code=data.validated_data["code"],
            channel=data.validated_data["channel"],
            context=AuditContext.from_request(request),
        )
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AccountCloseCodeApi(APIView):
    class InputSerializer(serializers.Serializer):
        channel = serializers.ChoiceField(choices=["email", "sms", "totp"])

        class Meta:
            ref_name = "AccountCloseCodeInput"

    @extend_schema(request=InputSerializer, responses={202: None})
    def post(self, request: AuthenticatedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.account_closure_code_send(
            resident=request.user, channel=data.validated_data["channel"]
        )
        return Response(status=status.HTTP_202_ACCEPTED)


class StaffViewSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    department = serializers.CharField()
    role = serializers.CharField()
    name = serializers.CharField()
    file = serializers.CharField()

    class Meta:
        ref_name = "CaseStaffView"


class CaseStaffViewsApi(APIView):
    @extend_schema(responses=StaffViewSerializer(many=True))
    def get(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = selectors.resident_case_get(resident=request.user, ref=ref)
        return Response(StaffViewSerializer(selectors.case_staff_views(case=case), many=True).data)
