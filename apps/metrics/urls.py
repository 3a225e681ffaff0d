"""The public open data, mounted at /open-data/ (namespace `metrics`)."""

from django.urls import path

from .views import public

app_name = "metrics"
urlpatterns = [
    path("", public.open_data_page, name="open-data"),
    path("metrics.json", public.open_data_json, name="open-data-json"),
    path("metrics.csv", public.open_data_csv_view, name="open-data-csv"),
]
