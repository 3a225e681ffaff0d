"""The complaint pages for residents and anyone, mounted at /complaints/ (namespace
`complaints`)."""

from django.urls import path

from .views import public, resident

app_name = "complaints"

urlpatterns = [
    path("", public.complaint_new, name="new"),
    path("track/", public.complaint_track, name="track"),
    path("track/<str:ref>/", public.complaint_tracked, name="tracked"),
    path("track/<str:ref>/answer/", public.complaint_answer, name="answer"),
    path("track/<str:ref>/reopen/", public.complaint_reopen, name="reopen"),
    path("track/<str:ref>/photos/<int:pk>/", public.complaint_photo, name="photo"),
    path("filed/<str:ref>/", public.complaint_filed, name="filed"),
    path("follow/<str:ref>/", resident.complaint_follow, name="follow"),
]
