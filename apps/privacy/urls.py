"""The resident's own data, mounted at /my-data/ (namespace `privacy`)."""

from django.urls import path

from .views import resident

app_name = "privacy"

urlpatterns = [
    path("", resident.data_home, name="home"),
    path("exports/", resident.export_request, name="export-request"),
    path("exports/<int:pk>/download/", resident.export_download, name="export-download"),
    path("close/", resident.account_close, name="close"),
    path("closed/", resident.account_closed, name="closed"),
    path("cases/<str:ref>/views/", resident.case_views, name="case-views"),
]
