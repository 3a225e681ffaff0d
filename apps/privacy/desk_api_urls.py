"""The desk's API for a resident's own data, mounted at /api/v1/desk/ beside helpdesk's."""

from django.urls import path

from . import desk_api

urlpatterns = [
    path(
        "residents/<int:resident_id>/data/",
        desk_api.ResidentDataApi.as_view(),
        name="desk-api-resident-data",
    ),
    path(
        "residents/<int:resident_id>/data/exports/",
        desk_api.ResidentDataExportApi.as_view(),
        name="desk-api-data-exports",
    ),
    path(
        "residents/<int:resident_id>/data/exports/<int:pk>/download/",
        desk_api.ResidentDataExportDownloadApi.as_view(),
        name="desk-api-data-export-download",
    ),
    path(
        "residents/<int:resident_id>/close/",
        desk_api.ResidentAccountCloseApi.as_view(),
        name="desk-api-account-close",
    ),
]
