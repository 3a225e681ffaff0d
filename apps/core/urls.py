"""The portal's home, design and health pages, mounted at / (no namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("design/", views.design, name="design"),
    path("healthz", views.healthz, name="healthz"),
]
