from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("cases/<str:ref>/rate/", views.rate, name="rate"),
]
