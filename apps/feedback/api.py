"""The 好差评 API: the resident rates a case; staff answer rectifications, appeal ratings and
(supervisors) decide appeals; the SMS provider posts replies to the inbound webhook.

Someone else's case is 404; a refusal of the rules is 400 with field-keyed errors; nothing to
rate (or already rated) is 409; staff without the role are 403."""

import hmac

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import IsVerifiedStaff
from apps.cases.selectors import case_get_for_user
from apps.core.exceptions import ApplicationError

from . import selectors, services
from .models import Rating

# --- output -------


class RatingOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    case = serializers.CharField(source="case.ref")
    department = serializers.CharField(source="department.code")
    level = serializers.IntegerField()
    level_display = serializers.CharField(source="get_level_display")
    channel = serializers.CharField()
    sub_scores = serializers.DictField(child=serializers.IntegerField())
    comment = serializers.CharField()
    is_bad = serializers.BooleanField()
    excluded = serializers.BooleanField()
    entered_at_counter = serializers.SerializerMethodField()
    supersedes = serializers.IntegerField(source="supersedes_id", allow_null=True)
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "FeedbackRating"

    def get_entered_at_counter(self, rating) -> bool:
        return rating.entered_by_id is not None


class StaffRatingOutputSerializer(RatingOutputSerializer):
    """As the department sees it: no name where the reporter hid their identity."""

    rater_name = serializers.SerializerMethodField()
    entered_by = serializers.CharField(source="entered_by.__str__", allow_null=True, default=None)

    class Meta:
        ref_name = "FeedbackStaffRating"

    def get_rater_name(self, rating) -> str | None:
        return selectors.rater_name_for_department(rating) or None


class RectificationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    rating = StaffRatingOutputSerializer()
    department = serializers.CharField(source="department.code")
    deadline = serializers.DateField()
    state = serializers.CharField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    resident_informed_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "FeedbackRectification"


class AppealOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    rating = serializers.IntegerField(source="rating_id")
    case = serializers.CharField(source="rating.case.ref")
    department = serializers.CharField(source="department.code")
    reason = serializers.CharField()
    state = serializers.CharField()
    filed_by = serializers.CharField(source="filed_by.__str__")
    decided_by = serializers.CharField(source="decided_by.__str__", allow_null=True, default=None)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()
    rating_excluded = serializers.BooleanField(source="rating.excluded")

    class Meta:
        ref_name = "FeedbackAppeal"


# --- the resident -------


class CaseRatingApi(APIView):
    class InputSerializer(serializers.Serializer):
        level = serializers.IntegerField(min_value=1, max_value=5)
        sub_scores = serializers.DictField(
            child=serializers.IntegerField(min_value=1, max_value=5), required=False, default=dict
        )
        comment = serializers.CharField(
            required=False, allow_blank=True, default="", max_length=services.COMMENT_MAX_LENGTH
        )

        class Meta:
            ref_name = "FeedbackRatingInput"

    @extend_schema(request=InputSerializer, responses={201: RatingOutputSerializer})
    def post(self, request, ref: str):
        case = case_get_for_user(user=request.user, ref=ref)
        if case.applicant_id != request.user.pk:
            raise Http404
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.rating_submit(
            case=case,
            rater=request.user,
            level=data.validated_data["level"],
            sub_scores=data.validated_data["sub_scores"],
            comment=data.validated_data["comment"],
            channel=Rating.Channel.API,
            request=request._request,
        )
        return Response(RatingOutputSerializer(rating).data, status=status.HTTP_201_CREATED)


# --- staff -------


class StaffApi(APIView):
    permission_classes = [IsVerifiedStaff]


class RectificationListApi(StaffApi):
    @extend_schema(responses=RectificationOutputSerializer(many=True))
    def get(self, request):
        """Open rectifications: my departments', or every department's for supervisors."""
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(
            selectors.open_rectifications_for_user(request.user).select_related(
                "rating__department", "rating__entered_by", "rating__rater"
            ),
            request,
            view=self,
        )
        return paginator.get_paginated_response(RectificationOutputSerializer(page, many=True).data)


class RectificationAnswerApi(StaffApi):
    class InputSerializer(serializers.Serializer):
        answer = serializers.CharField(max_length=4000)

        class Meta:
            ref_name = "FeedbackRectificationAnswerInput"

    @extend_schema(request=InputSerializer, responses=RectificationOutputSerializer)
    def post(self, request, pk: int):
        rectification = selectors.rectification_get_for_staff(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rectification = services.rectification_answer(
            rectification=rectification,
            actor=request.user,
            answer=data.validated_data["answer"],
            request=request._request,
        )
        return Response(RectificationOutputSerializer(rectification).data)


class RatingAppealApi(StaffApi):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=4000)

        class Meta:
            ref_name = "FeedbackAppealInput"

    @extend_schema(request=InputSerializer, responses={201: AppealOutputSerializer})
    def post(self, request, pk: int):
        rating = selectors.rating_get_for_staff(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = services.appeal_file(
            rating=rating,
            actor=request.user,
            reason=data.validated_data["reason"],
            request=request._request,
        )
        return Response(AppealOutputSerializer(appeal).data, status=status.HTTP_201_CREATED)


class AppealDecideApi(StaffApi):
    class InputSerializer(serializers.Serializer):
        uphold = serializers.BooleanField()
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)

        class Meta:
            ref_name = "FeedbackAppealDecideInput"

    @extend_schema(request=InputSerializer, responses=AppealOutputSerializer)
    def post(self, request, pk: int):
        appeal = selectors.appeal_get_for_staff(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = services.appeal_decide(
            appeal=appeal,
            actor=request.user,
            uphold=data.validated_data["uphold"],
            note=data.validated_data["note"],
            request=request._request,
        )
        return Response(AppealOutputSerializer(appeal).data)


# --- the SMS provider -------


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
    def post(self, request):
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
