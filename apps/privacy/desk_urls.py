"""The counter's pages for a resident's data, mounted at /desk/ (namespace `desk:privacy`)."""

from django.urls import path

from .views import desk

urlpatterns = [
    path("residents/<int:resident_id>/data/", desk.desk_data, name="data"),
    path("residents/<int:resident_id>/data/exports/", desk.desk_export_request, name="export"),
    path(
        "residents/<int:resident_id>/data/exports/<int:pk>/download/",
        desk.desk_export_download,
        name="export-download",
    ),
]
