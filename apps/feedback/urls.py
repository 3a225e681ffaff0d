"""The rating pages, mounted at /feedback/ (namespace `feedback`): the resident's (signed in),
and the signed link and the tracking page's for a reporter without an account."""

from django.urls import path

from .views import public, resident

app_name = "feedback"

urlpatterns = [
    path("cases/<str:ref>/rate/", resident.rate, name="rate"),
    path("r/<str:token>/", public.rate_by_link, name="rate-link"),
    path("track/<str:ref>/rate/", public.rate_tracked, name="rate-tracked"),
]
