"""The resident's rating page, mounted at /feedback/ (namespace `feedback`)."""

from django.urls import path

from .views import resident

app_name = "feedback"

urlpatterns = [
    path("cases/<str:ref>/rate/", resident.rate, name="rate"),
]
