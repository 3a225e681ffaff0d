"""The feedback API, mounted at /api/v1/."""

from django.urls import path

from .api import public, resident, staff

urlpatterns = [
    path("cases/<str:ref>/rating/", resident.CaseRatingApi.as_view(), name="api-case-rating"),
    path(
        "feedback/rectifications/",
        staff.RectificationListApi.as_view(),
        name="api-feedback-rectification-list",
    ),
    path(
        "feedback/rectifications/<int:pk>/answer/",
        staff.RectificationAnswerApi.as_view(),
        name="api-feedback-rectification-answer",
    ),
    path(
        "feedback/ratings/<int:pk>/appeal/",
        staff.RatingAppealApi.as_view(),
        name="api-feedback-rating-appeal",
    ),
    path(
        "feedback/appeals/<int:pk>/decide/",
        staff.AppealDecideApi.as_view(),
        name="api-feedback-appeal-decide",
    ),
    path(
        "feedback/cases/<str:ref>/counter-rating/",
        staff.CounterRatingApi.as_view(),
        name="api-feedback-counter-rating",
    ),
    path("sms/inbound/", public.SmsInboundApi.as_view(), name="api-sms-inbound"),
]
