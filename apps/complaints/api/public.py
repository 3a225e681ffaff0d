"""Complaint API for anyone (anonymous allowed): filing, tracking by number and extraction
code, and open complaints nearby to follow instead of filing the same one."""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.audit.context import AuditContext
from apps.audit.services import client_ip
from apps.cases.models import Case, CaseEvent
from apps.cases.selectors import case_timeline
from apps.cases.timeline import verb_label
from apps.catalog.selectors import complaint_category_get

from .. import selectors, services

# --- output -----------------------------------------------------------------------------------


class ComplaintTimelineSerializer(serializers.Serializer):
    at = serializers.DateTimeField(source="created_at")
    what = serializers.SerializerMethodField()
    note = serializers.CharField()

    class Meta:
        ref_name = "ComplaintTimelineLine"

    def get_what(self, event: CaseEvent) -> str:
        return verb_label(event.verb)


class ComplaintPublicSerializer(serializers.Serializer):
    number = serializers.CharField()
    category = serializers.CharField(source="service.code")
    category_name = serializers.CharField(source="service.name")
    complaint_type = serializers.CharField()
    urgency = serializers.CharField()
    status = serializers.SerializerMethodField()
    status_display = serializers.SerializerMethodField()
    description = serializers.CharField()
    address = serializers.CharField()
    department = serializers.CharField(source="lead_department", allow_null=True, default=None)
    submitted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    merged_into = serializers.CharField(source="merged_into.number", allow_null=True, default=None)
    reply = serializers.SerializerMethodField()
    question = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta:
        ref_name = "ComplaintPublic"

    def get_status(self, case: Case) -> str:
        return selectors.complaint_resident_status(case=case)[0]

    def get_status_display(self, case: Case) -> str:
        return selectors.complaint_resident_status(case=case)[1]

    def get_reply(self, case: Case) -> str:
        return case.decision_reasons if case.decided_at else ""

    def get_question(self, case: Case) -> dict | None:
        if not case.question:
            return None
        return {
            "text": case.question,
            "due": case.question_due,
            "answered": case.question_answered_at is not None,
        }

    def get_timeline(self, case: Case) -> list[dict[str, Any]]:
        return [ComplaintTimelineSerializer(event).data for event in case_timeline(case=case)]


class ComplaintFiledSerializer(ComplaintPublicSerializer):
    extraction_code = serializers.SerializerMethodField()

    class Meta:
        ref_name = "ComplaintFiled"

    def get_extraction_code(self, case: Case) -> str:
        return self.context["code"]


class ComplaintReportSerializer(serializers.Serializer):
    """What a report of a problem says, whoever files it (the reporter, or the counter for them)."""

    category = serializers.SlugField()
    complaint_type = serializers.ChoiceField(choices=Case.ComplaintType.choices)
    urgency = serializers.ChoiceField(choices=Case.Urgency.choices, default="normal")
    description = serializers.CharField(max_length=4000)
    address = serializers.CharField(required=False, allow_blank=True, default="")
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
    )
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)
    hide_identity = serializers.BooleanField(required=False, default=False)
    answers = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        default=dict,
        help_text=(
            "The answers to the category's own questions (its Open311 service definition's "
            "attributes), by question code: a list for a question of several choices. A refusal "
            "names each one as `answers.<code>`."
        ),
    )


# --- views ----------------------------------------------------------------------------


class ComplaintCreateApi(APIView):
    """File a complaint. Anonymous callers may give a phone (for the SMS) or nothing."""

    permission_classes = [AllowAny]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    class InputSerializer(ComplaintReportSerializer):
        reporter_name = serializers.CharField(required=False, allow_blank=True, default="")
        reporter_phone = serializers.CharField(required=False, allow_blank=True, default="")

        class Meta:
            ref_name = "ComplaintCreateInput"

    @extend_schema(request=InputSerializer, responses={201: ComplaintFiledSerializer})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        service = complaint_category_get(code=values["category"])
        if service is None:
            raise serializers.ValidationError(
                {"category": [_("Choose one of the complaint categories.")]}
            )
        user = request.user if request.user.is_authenticated else None
        photos = request.FILES.getlist("photos") if request.FILES else values["photos"]
        case, code = services.complaint_file(
            service=service,
            actor=user,
            reporter=user,
            complaint_type=values["complaint_type"],
            urgency=values["urgency"],
            description=values["description"],
            address=values["address"],
            latitude=values["latitude"],
            longitude=values["longitude"],
            photos=photos,
            hide_identity=values["hide_identity"],
            channel=Case.Channel.API,
            reporter_name="" if user else values["reporter_name"],
            reporter_phone="" if user else values["reporter_phone"],
            answers=values["answers"],
            context=AuditContext.from_request(request),
        )
        return Response(
            ComplaintFiledSerializer(case, context={"code": code}).data,
            status=status.HTTP_201_CREATED,
        )


class ComplaintTrackApi(APIView):
    """The public view of a complaint for whoever holds its number and extraction code."""

    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        number = serializers.CharField(max_length=20)
        code = serializers.CharField(max_length=12)

        class Meta:
            ref_name = "ComplaintTrackInput"

    @extend_schema(request=InputSerializer, responses=ComplaintPublicSerializer)
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # A refusal of the limit is a TooManyAttemptsError: 429 with the time to wait.
        case = services.complaint_track(
            number=data.validated_data["number"],
            code=data.validated_data["code"],
            client_ip=client_ip(request._request) or "",
        )
        return Response(ComplaintPublicSerializer(case).data)


class ComplaintNearbyApi(APIView):
    """Open complaints of a category near a point (or at an address): follow one instead."""

    permission_classes = [AllowAny]

    class QuerySerializer(serializers.Serializer):
        category = serializers.SlugField()
        lat = serializers.DecimalField(max_digits=9, decimal_places=6, required=False)
        long = serializers.DecimalField(max_digits=9, decimal_places=6, required=False)
        address = serializers.CharField(required=False, default="")

        class Meta:
            ref_name = "ComplaintNearbyQuery"

    class OutputSerializer(serializers.Serializer):
        number = serializers.CharField()
        address = serializers.CharField()
        description = serializers.CharField()
        submitted_at = serializers.DateTimeField()

        class Meta:
            ref_name = "ComplaintNearby"

    @extend_schema(parameters=[QuerySerializer], responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        service = complaint_category_get(code=query.validated_data["category"])
        if service is None:
            raise Http404
        cases = selectors.complaints_nearby(
            service=service,
            latitude=query.validated_data.get("lat"),
            longitude=query.validated_data.get("long"),
            address=query.validated_data.get("address", ""),
        )
        return Response(self.OutputSerializer(cases, many=True).data)
