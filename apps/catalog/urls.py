"""The catalogue pages, mounted at /services/ (namespace `catalog`)."""

from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.service_list_view, name="service-list"),
    path("<slug:code>/", views.service_detail_view, name="service-detail"),
]
