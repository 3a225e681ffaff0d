"""The resident's complaint pages, mounted at /complaints/ (namespace `complaints`)."""

from django.urls import path

from . import complaint_views as views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_new, name="new"),
    path("track/", views.complaint_track, name="track"),
    path("track/<str:ref>/", views.complaint_tracked, name="tracked"),
    path("track/<str:ref>/answer/", views.complaint_answer, name="answer"),
    path("track/<str:ref>/reopen/", views.complaint_reopen, name="reopen"),
    path("track/<str:ref>/photos/<int:pk>/", views.complaint_photo, name="photo"),
    path("filed/<str:ref>/", views.complaint_filed, name="filed"),
    path("follow/<str:ref>/", views.complaint_follow, name="follow"),
]
