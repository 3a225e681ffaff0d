"""The resident rates a case (好差评)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.http import AuthenticatedRequest
from apps.audit.context import AuditContext
from apps.cases.selectors import case_get_for_user

from .. import services
from ..models import Rating
from .common import RatingInputSerializer, RatingOutputSerializer


class CaseRatingApi(APIView):
    class InputSerializer(RatingInputSerializer):
        class Meta:
            ref_name = "FeedbackRatingInput"

    @extend_schema(request=InputSerializer, responses={201: RatingOutputSerializer})
    def post(self, request: AuthenticatedRequest, ref: str) -> Response:
        """Rate the case: the applicant, or a family proxy (亲情账号) for them, as on the web. The
        rating is the applicant's, marked as entered by the proxy; anyone else who may see the case
        (its departments) is refused by the service."""
        case = case_get_for_user(user=request.user, ref=ref)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.rating_submit(
            case=case,
            rater=case.applicant,
            entered_by=request.user if request.user.pk != case.applicant_id else None,
            level=data.validated_data["level"],
            sub_scores=data.validated_data["sub_scores"],
            comment=data.validated_data["comment"],
            channel=Rating.Channel.API,
            context=AuditContext.from_request(request),
        )
        return Response(RatingOutputSerializer(rating).data, status=status.HTTP_201_CREATED)
