"""Department staff pages, mounted under /staff/certificates/ (namespace
`staff:staff_certificates`)."""

from django.urls import path

from .views import staff as views

urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("<str:number>/", views.certificate_detail, name="detail"),
]
