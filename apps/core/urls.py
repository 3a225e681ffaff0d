from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("design/", views.design, name="design"),
    path("care-mode/", views.care_mode, name="care-mode"),
    path("healthz", views.healthz, name="healthz"),
]
