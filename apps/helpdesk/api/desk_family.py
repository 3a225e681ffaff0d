"""The desk API's twins of the resident page's family and mandate actions: the resident's family
links, a binding recorded at the counter (the member confirms online), a binding ended, and a
mandate's paper evidence. The resident opens only through `selectors.resident_access_get`."""

from django.http import FileResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import User
from apps.audit.context import AuditContext
from apps.core.http import file_response
from apps.core.uploads import stored_media_type

from .. import selectors, services
from ..models import FamilyLink
from .desk import DeskApi, _reached


class FamilyLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    member: serializers.StringRelatedField[User] = serializers.StringRelatedField()
    relationship = serializers.CharField()
    state = serializers.CharField()
    initiated_by = serializers.CharField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "DeskFamilyLink"


class FamilyLinkListCreateApi(DeskApi):
    class InputSerializer(serializers.Serializer):
        login = serializers.CharField(
            max_length=254, help_text="The family member's email address or phone number."
        )
        relationship = serializers.CharField(
            max_length=50, required=False, allow_blank=True, default=""
        )

        class Meta:
            ref_name = "DeskFamilyLinkInput"

    @extend_schema(responses=FamilyLinkSerializer(many=True))
    def get(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        """The resident's family bindings, as their desk page lists them."""
        resident = _reached(request.user, resident_id)
        links = selectors.family_links_of_resident(resident=resident)
        return Response(FamilyLinkSerializer(links, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: FamilyLinkSerializer})
    def post(self, request: AuthenticatedRequest, resident_id: int) -> Response:
        """Record the resident's request to bind a family member, in person; the member
        confirms online."""
        resident = _reached(request.user, resident_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        link = services.family_invite(
            actor=request.user,
            resident=resident,
            login=data.validated_data["login"],
            relationship=data.validated_data["relationship"],
            at_counter=services.counter_service_point(user=request.user),
            context=AuditContext.from_request(request),
        )
        return Response(FamilyLinkSerializer(link).data, status=status.HTTP_201_CREATED)


class FamilyLinkUnbindApi(DeskApi):
    @extend_schema(request=None, responses=FamilyLinkSerializer)
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        """End a binding of a resident you may open (both sides are told)."""
        link: FamilyLink = selectors.family_link_get_for_counter(staff=request.user, link_id=pk)
        link = services.family_unbind(
            link=link, actor=request.user, context=AuditContext.from_request(request)
        )
        return Response(FamilyLinkSerializer(link).data)


class MandateEvidenceApi(DeskApi):
    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request: AuthenticatedRequest, pk: int) -> FileResponse:
        """The paper evidence kept with a mandate of a resident you may open (the view is
        audited)."""
        mandate = selectors.mandate_evidence_get_for_counter(staff=request.user, mandate_id=pk)
        services.resident_view_record(
            viewer=request.user,
            resident=mandate.resident,
            context=AuditContext.from_request(request),
            purpose="mandate",
        )
        evidence = mandate.evidence.open("rb")
        return file_response(
            file=evidence,
            filename=(mandate.evidence.name or "").rsplit("/")[-1],
            content_type=stored_media_type(evidence),
        )
