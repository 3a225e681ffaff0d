"""The public open data, mounted at /open-data/ (namespace `metrics`)."""

from django.urls import path

from . import views

app_name = "metrics"
urlpatterns = [
    path("", views.open_data_page, name="open-data"),
    path("metrics.json", views.open_data_json, name="open-data-json"),
    path("metrics.csv", views.open_data_csv_view, name="open-data-csv"),
]
