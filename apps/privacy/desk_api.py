"""The desk's API for a resident's own data (counter staff, under the resident's mandate): the
twins of the desk's data page. A copy of the data asked for and downloaded for the resident, and
the account closed at their request, confirmed with the staff member's authenticator code. The
same checks as the page: who may reach the resident (`resident_access_get`), and the mandate
checked again by the services."""

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from apps.accounts.http import AuthenticatedRequest
from apps.audit.context import AuditContext
from apps.core.http import file_response
from apps.helpdesk.api.desk import DeskApi
from apps.helpdesk.selectors import resident_access_get

from . import selectors, services
from .api import CaseRefSerializer, DataExportSerializer
from .models import DataExport


class DeskDataExportSerializer(DataExportSerializer):
    class Meta:
        ref_name = "DeskDataExport"

    def get_download_url(self, export: DataExport) -> str | None:
        if export.state != DataExport.State.READY:
            return None
        return self.context["request"].build_absolute_uri(
            reverse("desk-api-data-export-download", args=[export.resident_id, export.pk])
        )


class DeskResidentDataSerializer(serializers.Serializer):
    exports = DeskDataExportSerializer(many=True)
    blockers = CaseRefSerializer(many=True, help_text="Cases under way that keep it open.")

    class Meta:
        ref_name = "DeskResidentData"


class ResidentDataApi(DeskApi):
    @extend_schema(responses=DeskResidentDataSerializer)
    def get(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        """The resident's latest copies of their data and what keeps their account open."""
        resident = resident_access_get(staff=request.user, resident_id=resident_id).resident
        data = {
            "exports": selectors.data_export_list(resident=resident)[:5],
            "blockers": services.account_closure_blockers(resident=resident),
        }
        return Response(DeskResidentDataSerializer(data, context={"request": request}).data)


class ResidentDataExportApi(DeskApi):
    @extend_schema(request=None, responses={202: DeskDataExportSerializer})
    def post(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        """Ask for a copy of the resident's data for them (under their mandate)."""
        resident = resident_access_get(staff=request.user, resident_id=resident_id).resident
        export = services.data_export_request(
            resident=resident, actor=request.user, context=AuditContext.from_request(request)
        )
        export.refresh_from_db()
        return Response(
            DeskDataExportSerializer(export, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED,
        )


class ResidentDataExportDownloadApi(DeskApi):
    @extend_schema(responses={(200, "application/zip"): bytes})
    def get(self, request: AuthenticatedRequest, resident_id: int, pk: int) -> FileResponse:
        resident = resident_access_get(staff=request.user, resident_id=resident_id).resident
        export = selectors.data_export_get_for_resident(resident=resident, export_id=pk)
        handle = services.data_export_download(
            export=export, actor=request.user, context=AuditContext.from_request(request)
        )
        return file_response(
            file=handle, filename=f"resident-data-{export.pk}.zip", content_type="application/zip"
        )


class ResidentAccountCloseApi(DeskApi):
    class InputSerializer(serializers.Serializer):
        code = serializers.CharField(help_text="Your own authenticator code (an assisted step).")
        confirm = serializers.BooleanField(
            help_text="The resident asked in person to close their account."
        )

        class Meta:
            ref_name = "DeskAccountCloseInput"

    @extend_schema(request=InputSerializer, responses={204: None})
    def post(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        """Close the resident's account at their request, as the desk's data page does."""
        resident = resident_access_get(staff=request.user, resident_id=resident_id).resident
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["confirm"]:
            raise serializers.ValidationError(
                {"confirm": [_("Tick the box to confirm the resident asked to close the account.")]}
            )
        services.account_close(
            resident=resident,
            actor=request.user,
            code=data.validated_data["code"],
            channel="totp",
            context=AuditContext.from_request(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
