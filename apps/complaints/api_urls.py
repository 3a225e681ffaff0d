"""Complaint API routes, mounted at /api/v1/. Every route of one complaint lives under
complaints/<number>/; none shares a path with the applications' routes any more."""

from django.urls import path

from .api import public, resident, staff

urlpatterns = [
    # anyone
    path("complaints/", public.ComplaintCreateApi.as_view(), name="api-complaint-create"),
    path("complaints/track/", public.ComplaintTrackApi.as_view(), name="api-complaint-track"),
    path("complaints/nearby/", public.ComplaintNearbyApi.as_view(), name="api-complaint-nearby"),
    # a signed-in resident
    path(
        "complaints/<str:ref>/follow/",
        resident.ComplaintFollowApi.as_view(),
        name="api-complaint-follow",
    ),
    # staff
    path(
        "complaints/<str:ref>/",
        staff.ComplaintStaffDetailApi.as_view(),
        name="api-complaint-detail",
    ),
    path(
        "complaints/<str:ref>/dispatch/",
        staff.ComplaintDispatchApi.as_view(),
        name="api-complaint-dispatch",
    ),
    path("complaints/<str:ref>/sign/", staff.ComplaintSignApi.as_view(), name="api-complaint-sign"),
    path(
        "complaints/<str:ref>/return/",
        staff.ComplaintReturnApi.as_view(),
        name="api-complaint-return",
    ),
    path(
        "complaints/<str:ref>/reply/", staff.ComplaintReplyApi.as_view(), name="api-complaint-reply"
    ),
    path(
        "complaints/<str:ref>/merge/", staff.ComplaintMergeApi.as_view(), name="api-complaint-merge"
    ),
    path(
        "complaints/<str:ref>/reopen/",
        staff.ComplaintReopenApi.as_view(),
        name="api-complaint-reopen",
    ),
    path(
        "complaints/<str:ref>/extend/",
        staff.ComplaintExtendApi.as_view(),
        name="api-complaint-extend",
    ),
    path(
        "complaint-extensions/<int:pk>/approve/",
        staff.ComplaintExtensionApproveApi.as_view(),
        name="api-complaint-extension-approve",
    ),
    path(
        "complaint-extensions/<int:pk>/refuse/",
        staff.ComplaintExtensionRefuseApi.as_view(),
        name="api-complaint-extension-refuse",
    ),
]

# Deprecated, kept for one release: the old paths of the complaint actions under cases/ and of
# the work order under staff/complaints/, marked deprecated in the schema. They do not shadow the
# applications: cases/<number>/return/ and cases/<number>/extend/ belong to the applications'
# routes alone (an old complaint client there gets the applications' answer, a 409, and must
# move to complaints/<number>/return/ and extend/).
deprecated_urlpatterns = [
    path(
        "staff/complaints/<str:ref>/",
        staff.deprecated_alias(staff.ComplaintStaffDetailApi).as_view(),
        name="api-staff-complaint-detail",
    ),
    path(
        "cases/<str:ref>/dispatch/",
        staff.deprecated_alias(staff.ComplaintDispatchApi).as_view(),
        name="api-case-dispatch",
    ),
    path(
        "cases/<str:ref>/sign/",
        staff.deprecated_alias(staff.ComplaintSignApi).as_view(),
        name="api-case-sign",
    ),
    path(
        "cases/<str:ref>/reply/",
        staff.deprecated_alias(staff.ComplaintReplyApi).as_view(),
        name="api-case-reply",
    ),
    path(
        "cases/<str:ref>/merge/",
        staff.deprecated_alias(staff.ComplaintMergeApi).as_view(),
        name="api-case-merge",
    ),
    path(
        "cases/<str:ref>/reopen/",
        staff.deprecated_alias(staff.ComplaintReopenApi).as_view(),
        name="api-case-reopen",
    ),
]

urlpatterns += deprecated_urlpatterns
