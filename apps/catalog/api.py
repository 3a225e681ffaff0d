"""The catalogue API: anyone may read it (AllowAny), as anyone may read the printed guide."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .forms import field_definitions
from .selectors import service_get, service_list, service_version_get

# Parts shared by the nested output serializers below; each names its schema component.


class ServiceDepartmentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="__str__")

    class Meta:
        ref_name = "ServiceDepartment"


# The API's keys `label`, `help`, `required` and `fields` shadow attributes of DRF's Field and
# Serializer classes; these serializers only render, so the shadowing is harmless.


class ServiceFieldChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]

    class Meta:
        ref_name = "ServiceFieldChoice"


class ServiceDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    required = serializers.BooleanField()  # type: ignore[assignment]

    class Meta:
        ref_name = "ServiceDocument"


class ServiceStageSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    name = serializers.CharField()
    days = serializers.IntegerField(allow_null=True)
    departments = ServiceDepartmentSerializer(many=True, source="departments.all")

    class Meta:
        ref_name = "ServiceReviewStage"


class ServiceFieldSerializer(serializers.Serializer):
    key = serializers.CharField()
    step = serializers.IntegerField()
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    help = serializers.CharField()
    required = serializers.BooleanField()  # type: ignore[assignment]
    choices = serializers.SerializerMethodField()
    rules = serializers.DictField()
    document_id = serializers.IntegerField(allow_null=True)
    prefill_source = serializers.CharField(
        help_text="Where the answer is filled in from, with the resident's consent (empty: none)."
    )
    prefill_changeable = serializers.BooleanField(
        help_text="Whether the resident may change a prefilled answer."
    )

    class Meta:
        ref_name = "ServiceField"

    @extend_schema_field(ServiceFieldChoiceSerializer(many=True))
    def get_choices(self, obj):
        return [{"value": value, "label": label} for value, label in obj.choice_list()]


class ServiceStepSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()

    class Meta:
        ref_name = "ServiceStep"


class ServiceVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    declaration = serializers.CharField()
    steps = ServiceStepSerializer(many=True)
    fields = ServiceFieldSerializer(many=True)  # type: ignore[assignment]

    class Meta:
        ref_name = "ServiceVersionDetail"


class ServiceListApi(APIView):
    """Active services, searched by words in either language (`?q=`), optionally by department."""

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField()
        kind = serializers.CharField()
        name = serializers.CharField()
        name_zh = serializers.CharField()
        name_en = serializers.CharField()
        summary = serializers.CharField()
        lead_department = ServiceDepartmentSerializer()
        promised_days = serializers.IntegerField()
        statutory_days = serializers.IntegerField()

        class Meta:
            ref_name = "ServiceListItem"

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Words to search for"),
            OpenApiParameter("department", OpenApiTypes.STR, description="A department code"),
        ],
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        services = service_list(
            q=request.query_params.get("q", "")[:100],
            department=request.query_params.get("department", "")[:40],
        )
        return Response(self.OutputSerializer(services, many=True).data)


class ServiceDetailApi(APIView):
    """One service: guide, both time limits, review stages, documents and the current form."""

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField()
        kind = serializers.CharField()
        name = serializers.CharField()
        name_zh = serializers.CharField()
        name_en = serializers.CharField()
        summary = serializers.CharField()
        who_may_apply = serializers.CharField()
        fee = serializers.CharField()
        legal_basis = serializers.CharField()
        where_to_go = serializers.CharField()
        processing_notes = serializers.CharField()
        lead_department = ServiceDepartmentSerializer()
        promised_days = serializers.IntegerField()
        statutory_days = serializers.IntegerField()
        documents = ServiceDocumentSerializer(many=True, source="documents.all")
        stages = ServiceStageSerializer(many=True, source="stages.all")
        version = serializers.SerializerMethodField()

        class Meta:
            ref_name = "ServiceDetail"

        @extend_schema_field(ServiceVersionSerializer)
        def get_version(self, service):
            version = self.context["version"]
            fields = field_definitions(version)
            return ServiceVersionSerializer(
                {
                    "number": version.number,
                    "published_at": version.published_at,
                    "declaration": version.declaration,
                    "steps": [
                        {"number": step, "title": version.step_title(step)}
                        for step in version.step_numbers()
                    ],
                    "fields": fields,
                }
            ).data

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, code: str) -> Response:
        service = service_get(code=code)
        version = service_version_get(service=service)
        return Response(self.OutputSerializer(service, context={"version": version}).data)
