"""Staff answer rectifications and appeal ratings; supervisors decide appeals."""

from functools import partial

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import User
from apps.accounts.permissions import IsVerifiedStaff
from apps.audit.context import AuditContext
from apps.core.pagination import SeekPagination

from .. import selectors, services
from ..models import Rating
from .common import RatingInputSerializer, RatingOutputSerializer


class StaffRatingOutputSerializer(RatingOutputSerializer):
    """As the department sees it: no name where the reporter hid their identity."""

    rater_name = serializers.SerializerMethodField()
    entered_by: serializers.StringRelatedField[User] = serializers.StringRelatedField(
        allow_null=True
    )

    class Meta:
        ref_name = "FeedbackStaffRating"

    def get_rater_name(self, rating: Rating) -> str | None:
        return selectors.rater_name_for_department(rating=rating) or None


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
    decided_by: serializers.StringRelatedField[User] = serializers.StringRelatedField(
        allow_null=True
    )
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()
    rating_excluded = serializers.BooleanField(source="rating.excluded")

    class Meta:
        ref_name = "FeedbackAppeal"


class StaffApi(APIView):
    permission_classes = [IsVerifiedStaff]


class RectificationListApi(StaffApi):
    # Declared, so that the schema shows the page: keyset pages in the web list's order.
    pagination_class = partial(SeekPagination, keys=selectors.RECTIFICATION_KEYS)

    @extend_schema(responses=RectificationOutputSerializer(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        """Open rectifications: my departments', or every department's for supervisors."""
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.rectification_list(user=request.user),
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
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        rectification = selectors.rectification_get_for_staff(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rectification = services.rectification_answer(
            rectification=rectification,
            actor=request.user,
            answer=data.validated_data["answer"],
            context=AuditContext.from_request(request),
        )
        return Response(RectificationOutputSerializer(rectification).data)


class RatingAppealApi(StaffApi):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=4000)

        class Meta:
            ref_name = "FeedbackAppealInput"

    @extend_schema(request=InputSerializer, responses={201: AppealOutputSerializer})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        rating = selectors.rating_get_for_staff(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = services.appeal_file(
            rating=rating,
            actor=request.user,
            reason=data.validated_data["reason"],
            context=AuditContext.from_request(request),
        )
        return Response(AppealOutputSerializer(appeal).data, status=status.HTTP_201_CREATED)


class AppealDecideApi(StaffApi):
    class InputSerializer(serializers.Serializer):
        uphold = serializers.BooleanField()
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)

        class Meta:
            ref_name = "FeedbackAppealDecideInput"

    @extend_schema(request=InputSerializer, responses=AppealOutputSerializer)
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        appeal = selectors.appeal_get_for_staff(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = services.appeal_decide(
            appeal=appeal,
            actor=request.user,
            uphold=data.validated_data["uphold"],
            note=data.validated_data["note"],
            context=AuditContext.from_request(request),
        )
        return Response(AppealOutputSerializer(appeal).data)


class CounterRatingApi(StaffApi):
    """The resident at the counter rates a case (by its number, which they show): counter staff
    type it in, as on the counter's rating page; the rating is the resident's, marked as entered
    at the counter. 404 for staff without a counter role or a case with nothing to rate."""

    class InputSerializer(RatingInputSerializer):
        class Meta:
            ref_name = "FeedbackCounterRatingInput"

    @extend_schema(request=InputSerializer, responses={201: StaffRatingOutputSerializer})
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        case = selectors.case_for_counter_rating(user=request.user, ref=ref)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.rating_submit(
            case=case,
            rater=case.applicant,
            level=data.validated_data["level"],
            sub_scores=data.validated_data["sub_scores"],
            comment=data.validated_data["comment"],
            channel=Rating.Channel.COUNTER,
            entered_by=request.user,
            context=AuditContext.from_request(request),
        )
        return Response(StaffRatingOutputSerializer(rating).data, status=status.HTTP_201_CREATED)
