"""The events API, mounted at /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("events/", api.EventFeedApi.as_view(), name="api-events"),
]
