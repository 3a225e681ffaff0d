"""GET /api/v1/events/: the pull feed for departments' systems that cannot take webhooks.

Audience: staff of a department (an API token of a staff member with 2FA, as the staff API);
each sees the events of cases their departments lead or review, oldest first, after a cursor."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import User
from apps.accounts.permissions import IsVerifiedStaff

from .envelope import event_json
from .selectors import DEFAULT_LIMIT, MAX_LIMIT, event_feed_for_user
from .services.outbox import events_sequence_pending


class FeedQuerySerializer(serializers.Serializer):
    after = serializers.IntegerField(min_value=0, required=False, default=0)
    limit = serializers.IntegerField(
        min_value=1, max_value=MAX_LIMIT, required=False, default=DEFAULT_LIMIT
    )

    def to_internal_value(self, data: Any) -> Any:
        # A query string's `?after=` is no number: refused, not read as the default (DRF lets an
        # optional field's blank form value fall back to it).
        blank = [name for name in ("after", "limit") if data.get(name) == ""]
        if blank:
            message = serializers.IntegerField.default_error_messages["invalid"]
            raise serializers.ValidationError({name: [message] for name in blank})
        return super().to_internal_value(data)


class CloudEventSerializer(serializers.Serializer):
    specversion = serializers.CharField()
    id = serializers.UUIDField()
    # The serializer's metaclass takes declared fields off the class, so these do not replace
    # `Field.source` and `Serializer.data` at run time; the stubs only see the class attributes.
    source = serializers.CharField()  # type: ignore[assignment]
    type = serializers.CharField()
    subject = serializers.CharField()
    time = serializers.DateTimeField()
    datacontenttype = serializers.CharField()
    sequence = serializers.CharField(help_text="The feed's cursor of this event.")
    data = serializers.DictField()  # type: ignore[assignment]

    class Meta:
        ref_name = "CloudEvent"


class FeedOutputSerializer(serializers.Serializer):
    next = serializers.IntegerField(help_text="Pass as `after` to read on.")
    has_more = serializers.BooleanField()
    results = CloudEventSerializer(many=True)

    class Meta:
        ref_name = "EventFeedPage"


class EventFeedApi(APIView):
    permission_classes = [IsVerifiedStaff]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "after",
                {"type": "integer", "minimum": 0},
                description="The cursor: the last `sequence` read (0, the default: the start).",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                description=f"At most {MAX_LIMIT} events (default {DEFAULT_LIMIT}).",
            ),
        ],
        responses=FeedOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        query = FeedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, User)
        events_sequence_pending()
        page = event_feed_for_user(
            user=user, after=query.validated_data["after"], limit=query.validated_data["limit"]
        )
        return Response(
            {
                "next": page.next,
                "has_more": page.has_more,
                "results": [event_json(event=event) for event in page.events],
            }
        )
