"""The documents API, mounted at /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("documents/verify/", api.DocumentVerifyApi.as_view(), name="api-document-verify"),
]
