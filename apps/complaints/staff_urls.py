"""Staff complaint pages, mounted under /staff/complaints/ (namespace `staff:staff_complaints`)."""

from django.urls import path

from .views import staff as views

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.complaint_new, name="new"),
    path("extensions/<int:pk>/<str:decision>/", views.extension_decide, name="extension-decide"),
    path("<str:ref>/", views.detail, name="detail"),
    path("<str:ref>/photos/<int:pk>/", views.photo, name="photo"),
    path("<str:ref>/<str:action>/", views.action, name="action"),
]
