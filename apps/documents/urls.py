"""The verification page, mounted at /verify/ (namespace `documents`)."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.verify, name="verify"),
]
