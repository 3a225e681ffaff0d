"""The signed-in user's in-app notifications, for the API (one audience: resident)."""

from functools import partial

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.http import AuthenticatedRequest
from apps.core.pagination import SeekPagination

from . import selectors, services


class NotificationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.CharField()
    subject = serializers.CharField()
    body = serializers.CharField()
    url = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
    is_read = serializers.BooleanField()


class NotificationListApi(APIView):
    """The signed-in user's in-app notifications, newest first, with the unread count."""

    OutputSerializer = NotificationOutputSerializer

    # Keyset pages, newest first (`selectors.NOTIFICATION_ORDER`): no count of the inbox.
    pagination_class = partial(
        SeekPagination, keys=selectors.NOTIFICATION_ORDER, page_size=20, max_page_size=100
    )

    @extend_schema(
        # Said here: the answer is no plain page of results (it carries the unread count).
        parameters=[
            OpenApiParameter(
                "cursor",
                str,
                description="Where the page starts: the `next` or `previous` link's cursor.",
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": 100},
                description="Items per page, at most 100.",
            ),
        ],
        responses=inline_serializer(
            "NotificationListResponse",
            {
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "unread_count": serializers.IntegerField(),
                "results": NotificationOutputSerializer(many=True),
            },
        ),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.notification_list_for_user(user=request.user), request, view=self
        )
        response = paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)
        response.data["unread_count"] = selectors.unread_count(user=request.user)
        return response


class NotificationReadApi(APIView):
    """Mark one of the signed-in user's notifications read (404 for anyone else's)."""

    OutputSerializer = NotificationOutputSerializer

    @extend_schema(request=None, responses=NotificationOutputSerializer)
    def post(self, request: AuthenticatedRequest, notification_id: int) -> Response:
        notification = selectors.notification_get_for_user(
            user=request.user, notification_id=notification_id
        )
        notification = services.notification_mark_read(notification=notification, user=request.user)
        return Response(self.OutputSerializer(notification).data)
