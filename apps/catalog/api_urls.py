"""The catalogue API, mounted at /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("services/", api.ServiceListApi.as_view(), name="api-service-list"),
    path("services/<slug:code>/", api.ServiceDetailApi.as_view(), name="api-service-detail"),
]
