"""The resident's certificates, mounted at /certificates/ (namespace `certificates`)."""

from django.urls import path

from .views import resident

app_name = "certificates"

urlpatterns = [
    path("", resident.wallet, name="wallet"),
    path("<str:number>/pdf/", resident.certificate_pdf, name="pdf"),
]
