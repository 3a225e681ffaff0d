"""The resident's own data API, mounted at /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("me/data-exports/", api.DataExportListApi.as_view(), name="api-data-exports"),
    path(
        "me/data-exports/<int:pk>/download/",
        api.DataExportDownloadApi.as_view(),
        name="api-data-export-download",
    ),
    path("me/close/", api.AccountCloseApi.as_view(), name="api-account-close"),
    path("me/close/code/", api.AccountCloseCodeApi.as_view(), name="api-account-close-code"),
    path(
        "me/cases/<str:ref>/staff-views/",
        api.CaseStaffViewsApi.as_view(),
        name="api-case-staff-views",
    ),
]
