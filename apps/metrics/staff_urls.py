"""The metrics dashboard, mounted under /staff/metrics/ (namespace `staff:staff_metrics`)."""

from django.urls import path

from . import staff_views as views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.csv", views.export_csv, name="export-csv"),
]
