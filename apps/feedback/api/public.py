"""The SMS provider's webhook: no user, a shared secret."""

import hmac

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.exceptions import ApplicationError

from .. import services


class SmsInboundApi(APIView):
    """The SMS provider posts each reply here, with the shared secret in `X-SMS-Token`.
    Disabled (404) while SMS_INBOUND_TOKEN is empty."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        phone = serializers.CharField(max_length=30)
        text = serializers.CharField(max_length=500, allow_blank=True)

        class Meta:
            ref_name = "FeedbackSmsInboundInput"

    @extend_schema(
        request=InputSerializer,
        responses=inline_serializer(
            name="FeedbackSmsInboundResult",
            fields={
                "recorded": serializers.BooleanField(),
                "rating": serializers.IntegerField(required=False),
                "detail": serializers.CharField(required=False),
            },
        ),
    )
    def post(self, request: Request) -> Response:
        expected = getattr(settings, "SMS_INBOUND_TOKEN", "")
        given = request.headers.get("X-SMS-Token", "")
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            raise Http404
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            rating = services.rating_sms_reply(
                phone=data.validated_data["phone"], text=data.validated_data["text"]
            )
        except ApplicationError as exc:
            # The provider only needs to know we took the message; it is not retried.
            return Response({"recorded": False, "detail": str(exc.message)})
        return Response({"recorded": True, "rating": rating.pk})
