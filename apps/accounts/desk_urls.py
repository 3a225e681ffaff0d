"""The desk home page, mounted at /desk/ inside the `desk` namespace (`desk:home`)."""

from django.urls import path

from .views import desk

urlpatterns = [
    path("", desk.desk_home, name="home"),
]
