from django.urls import path

from . import api

urlpatterns = [
    path("cases/<str:ref>/rating/", api.CaseRatingApi.as_view(), name="api-case-rating"),
    path(
        "feedback/rectifications/",
        api.RectificationListApi.as_view(),
        name="api-feedback-rectification-list",
    ),
    path(
        "feedback/rectifications/<int:pk>/answer/",
        api.RectificationAnswerApi.as_view(),
        name="api-feedback-rectification-answer",
    ),
    path(
        "feedback/ratings/<int:pk>/appeal/",
        api.RatingAppealApi.as_view(),
        name="api-feedback-rating-appeal",
    ),
    path(
        "feedback/appeals/<int:pk>/decide/",
        api.AppealDecideApi.as_view(),
        name="api-feedback-appeal-decide",
    ),
    path("sms/inbound/", api.SmsInboundApi.as_view(), name="api-sms-inbound"),
]
