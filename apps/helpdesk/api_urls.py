"""The service desk API, mounted at /api/v1/desk/."""

from django.urls import path

from .api import desk, desk_acting, desk_family

urlpatterns = [
    path("residents/", desk.ResidentCreateApi.as_view(), name="desk-api-residents"),
    path("residents/lookup/", desk.ResidentLookupApi.as_view(), name="desk-api-resident-lookup"),
    path(
        "residents/<int:resident_id>/", desk.ResidentDetailApi.as_view(), name="desk-api-resident"
    ),
    path(
        "residents/<int:resident_id>/identity-checks/",
        desk.IdentityCheckApi.as_view(),
        name="desk-api-identity-check",
    ),
    path(
        "residents/<int:resident_id>/mandates/",
        desk.MandateListCreateApi.as_view(),
        name="desk-api-mandates",
    ),
    path(
        "mandates/<int:pk>/revoke/", desk.MandateRevokeApi.as_view(), name="desk-api-mandate-revoke"
    ),
    path(
        "residents/<int:resident_id>/applications/",
        desk.ApplicationStartApi.as_view(),
        name="desk-api-application-start",
    ),
    path(
        "residents/<int:resident_id>/applications/<str:ref>/submit/",
        desk.ApplicationSubmitApi.as_view(),
        name="desk-api-application-submit",
    ),
    path(
        "residents/<int:resident_id>/claim-codes/",
        desk.ClaimCodeIssueApi.as_view(),
        name="desk-api-claim-code",
    ),
    path(
        "residents/<int:resident_id>/claim-codes/letter/",
        desk.ClaimCodeLetterApi.as_view(),
        name="desk-api-claim-code-letter",
    ),
    path(
        "residents/<int:resident_id>/applications/<str:ref>/",
        desk_acting.ApplicationDetailApi.as_view(),
        name="desk-api-application",
    ),
    path(
        "residents/<int:resident_id>/applications/<str:ref>/attachments/",
        desk_acting.ApplicationAttachmentApi.as_view(),
        name="desk-api-application-attachments",
    ),
    path(
        "residents/<int:resident_id>/applications/<str:ref>/letter/",
        desk_acting.ApplicationStatusLetterApi.as_view(),
        name="desk-api-application-letter",
    ),
    path(
        "residents/<int:resident_id>/complaints/",
        desk_acting.ComplaintFileApi.as_view(),
        name="desk-api-complaints",
    ),
    path(
        "residents/<int:resident_id>/family-links/",
        desk_family.FamilyLinkListCreateApi.as_view(),
        name="desk-api-family-links",
    ),
    path(
        "family-links/<int:pk>/unbind/",
        desk_family.FamilyLinkUnbindApi.as_view(),
        name="desk-api-family-unbind",
    ),
    path(
        "mandates/<int:pk>/evidence/",
        desk_family.MandateEvidenceApi.as_view(),
        name="desk-api-mandate-evidence",
    ),
    path("print-batches/", desk.PrintBatchApi.as_view(), name="desk-api-print-batch"),
    path(
        "print-batches/<int:pk>/pdf/",
        desk.PrintBatchPdfApi.as_view(),
        name="desk-api-print-batch-pdf",
    ),
]
