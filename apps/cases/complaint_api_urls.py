"""Complaint API routes; mounted before the other cases routes so /return/ and /extend/ reach
these views first (they hand applications to the applications' views)."""

from django.urls import path

from . import complaint_api as api

urlpatterns = [
    path("complaints/", api.ComplaintCreateApi.as_view(), name="api-complaint-create"),
    path("complaints/track/", api.ComplaintTrackApi.as_view(), name="api-complaint-track"),
    path("complaints/nearby/", api.ComplaintNearbyApi.as_view(), name="api-complaint-nearby"),
    path(
        "complaints/<str:ref>/follow/",
        api.ComplaintFollowApi.as_view(),
        name="api-complaint-follow",
    ),
    path(
        "staff/complaints/<str:ref>/",
        api.ComplaintStaffDetailApi.as_view(),
        name="api-staff-complaint-detail",
    ),
    path(
        "complaint-extensions/<int:pk>/approve/",
        api.ComplaintExtensionApproveApi.as_view(),
        name="api-complaint-extension-approve",
    ),
    path(
        "complaint-extensions/<int:pk>/refuse/",
        api.ComplaintExtensionRefuseApi.as_view(),
        name="api-complaint-extension-refuse",
    ),
    path("cases/<str:ref>/dispatch/", api.ComplaintDispatchApi.as_view(), name="api-case-dispatch"),
    path("cases/<str:ref>/sign/", api.ComplaintSignApi.as_view(), name="api-case-sign"),
    path("cases/<str:ref>/return/", api.ComplaintReturnApi.as_view(), name="api-complaint-return"),
    path("cases/<str:ref>/reply/", api.ComplaintReplyApi.as_view(), name="api-case-reply"),
    path("cases/<str:ref>/merge/", api.ComplaintMergeApi.as_view(), name="api-case-merge"),
    path("cases/<str:ref>/reopen/", api.ComplaintReopenApi.as_view(), name="api-case-reopen"),
    path("cases/<str:ref>/extend/", api.ComplaintExtendApi.as_view(), name="api-complaint-extend"),
]
