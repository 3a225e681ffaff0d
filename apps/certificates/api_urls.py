"""The certificates API, mounted at /api/v1/."""

from django.urls import path

from .api import resident, staff

urlpatterns = [
    # a signed-in resident
    path("certificates/", resident.WalletApi.as_view(), name="api-certificate-wallet"),
    path(
        "certificates/<str:number>/pdf/",
        resident.CertificatePdfApi.as_view(),
        name="api-certificate-pdf",
    ),
    path(
        "cases/<str:ref>/certificates/",
        resident.CaseCertificatesApi.as_view(),
        name="api-case-certificates",
    ),
    path(
        "cases/<str:ref>/certificates/<str:field>/",
        resident.CaseCertificateRemoveApi.as_view(),
        name="api-case-certificate-remove",
    ),
    # department staff
    path(
        "staff/cases/<str:ref>/certificates/",
        staff.StaffCaseCertificatesApi.as_view(),
        name="api-staff-case-certificates",
    ),
    path(
        "staff/certificates/",
        staff.StaffCertificateListApi.as_view(),
        name="api-staff-certificates",
    ),
    path(
        "staff/certificates/<str:number>/revoke/",
        staff.StaffCertificateRevokeApi.as_view(),
        name="api-staff-certificate-revoke",
    ),
    path(
        "staff/certificates/<str:number>/replace/",
        staff.StaffCertificateReplaceApi.as_view(),
        name="api-staff-certificate-replace",
    ),
]
