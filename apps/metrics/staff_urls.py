"""The metrics dashboard, mounted under /staff/metrics/ (namespace `staff:staff_metrics`)."""

from django.urls import path

from .views import staff

urlpatterns = [
    path("", staff.dashboard, name="dashboard"),
    path("export.csv", staff.export_csv, name="export-csv"),
]
