"""The accounts API, mounted at /api/v1/."""

from django.urls import path

from .api import public, resident, staff

urlpatterns = [
    path("auth/token/", public.TokenObtainApi.as_view(), name="api-token"),
    path("me/", resident.MeApi.as_view(), name="api-me"),
    path("staff/me/", staff.StaffMeApi.as_view(), name="api-staff-me"),
]
