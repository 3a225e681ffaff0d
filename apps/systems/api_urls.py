"""The service API for departments' systems, mounted at /api/v1/systems/."""

from django.urls import path

from . import api

urlpatterns = [
    path("token/", api.TokenApi.as_view(), name="api-systems-token"),
    path("cases/", api.SystemCaseListApi.as_view(), name="api-systems-case-list"),
    path("cases/<str:ref>/", api.SystemCaseDetailApi.as_view(), name="api-systems-case-detail"),
    path("events/", api.SystemEventFeedApi.as_view(), name="api-systems-events"),
    path("tasks/", api.SystemTaskListApi.as_view(), name="api-systems-task-list"),
    path(
        "tasks/<int:pk>/approve/",
        api.SystemTaskApproveApi.as_view(),
        name="api-systems-task-approve",
    ),
    path(
        "tasks/<int:pk>/reject/", api.SystemTaskRejectApi.as_view(), name="api-systems-task-reject"
    ),
    path(
        "certificates/",
        api.SystemCertificatesApi.as_view(),
        name="api-systems-certificate-list",
    ),
    path(
        "certificates/<str:number>/revoke/",
        api.SystemCertificateRevokeApi.as_view(),
        name="api-systems-certificate-revoke",
    ),
]
