"""The family proxy API, mounted at /api/v1/family/."""

from django.urls import path

from .api import family

urlpatterns = [
    path(
        "residents/<int:resident_id>/cases/",
        family.FamilyCaseListCreateApi.as_view(),
        name="family-api-cases",
    ),
]
