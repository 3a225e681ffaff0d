"""The metrics API, mounted at /api/v1/."""

from django.urls import path

from .api import public

urlpatterns = [
    path("metrics/", public.MetricsApi.as_view(), name="api-metrics"),
]
