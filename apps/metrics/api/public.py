"""GET /api/v1/metrics/: the public aggregates (the open-data document), for anyone."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.db_router import read_from_replica

from ..forms import PeriodForm
from ..open_data import open_data
from ..selectors import MetricsFilters

# A month as the period form reads it (apps/metrics/forms.py).
# Empty is allowed and means the default period, as on the page.
MONTH = {"type": "string", "pattern": r"^(\d{4}-(0[1-9]|1[0-2]))?$", "example": "2025-01"}


class PeriodOutputSerializer(serializers.Serializer):
    start = serializers.CharField()
    end = serializers.CharField()

    class Meta:
        ref_name = "MetricsPeriod"


class DefinitionOutputSerializer(serializers.Serializer):
    key = serializers.CharField()
    # The serializer's metaclass takes declared fields off the class, so this does not replace
    # `Field.label` at run time; the stubs only see the class attribute.
    label = serializers.CharField()  # type: ignore[assignment]
    kind = serializers.ChoiceField(choices=["count", "rate", "days"])
    definition = serializers.CharField()

    class Meta:
        ref_name = "MetricsDefinition"


class AggregateOutputSerializer(serializers.Serializer):
    """One row; rates are fractions (0..1); null where suppressed or nothing to count."""

    department = serializers.CharField(required=False)
    department_name = serializers.CharField(required=False)
    service = serializers.CharField(required=False)
    service_name = serializers.CharField(required=False)
    month = serializers.CharField(required=False)
    suppressed = serializers.BooleanField()
    received = serializers.IntegerField(allow_null=True)
    decided = serializers.IntegerField(allow_null=True)
    on_time_rate = serializers.FloatField(allow_null=True)
    avg_working_days = serializers.FloatField(allow_null=True)
    p90_working_days = serializers.IntegerField(allow_null=True)
    active_rating_rate = serializers.FloatField(allow_null=True)
    satisfaction_rate = serializers.FloatField(allow_null=True)
    rectification_rate = serializers.FloatField(allow_null=True)
    follow_up_rate = serializers.FloatField(allow_null=True)
    reopen_rate = serializers.FloatField(allow_null=True)
    return_rate = serializers.FloatField(allow_null=True)
    correction_rate = serializers.FloatField(allow_null=True)

    class Meta:
        ref_name = "MetricsAggregate"


class OpenDataOutputSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    period = PeriodOutputSerializer()
    suppression_threshold = serializers.IntegerField()
    definitions = DefinitionOutputSerializer(many=True)
    by_department = AggregateOutputSerializer(many=True)
    by_service = AggregateOutputSerializer(many=True)
    by_month = AggregateOutputSerializer(many=True)

    class Meta:
        ref_name = "MetricsOpenData"


class MetricsApi(APIView):
    """Aggregates by department, service and month; rows under five cases are suppressed.
    Staff get the same document as everyone."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="metrics_retrieve",
        parameters=[
            OpenApiParameter("start", MONTH, description="First month, YYYY-MM"),
            OpenApiParameter("end", MONTH, description="Last month, YYYY-MM (included)"),
        ],
        responses=OpenDataOutputSerializer,
    )
    @read_from_replica()
    def get(self, request: Request) -> Response:
        form = PeriodForm(request.query_params)
        if request.query_params and not form.is_valid():
            raise serializers.ValidationError(
                {field: [str(m) for m in messages] for field, messages in form.errors.items()}
            )
        start, end = form.period()
        return Response(open_data(filters=MetricsFilters(start=start, end=end)))
