"""The staff home page, mounted at /staff/ inside the `staff` namespace (`staff:home`)."""

from django.urls import path

from .views import staff

urlpatterns = [
    path("", staff.staff_home, name="home"),
]
