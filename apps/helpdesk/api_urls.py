from django.urls import path

from . import api

urlpatterns = [
    path("residents/", api.ResidentListCreateApi.as_view(), name="desk-api-residents"),
    path("residents/<int:resident_id>/", api.ResidentDetailApi.as_view(), name="desk-api-resident"),
    path(
        "residents/<int:resident_id>/identity-checks/",
        api.IdentityCheckApi.as_view(),
        name="desk-api-identity-check",
    ),
    path(
        "residents/<int:resident_id>/mandates/",
        api.MandateListCreateApi.as_view(),
        name="desk-api-mandates",
    ),
    path(
        "mandates/<int:pk>/revoke/", api.MandateRevokeApi.as_view(), name="desk-api-mandate-revoke"
    ),
    path(
        "residents/<int:resident_id>/applications/",
        api.ApplicationStartApi.as_view(),
        name="desk-api-application-start",
    ),
    path(
        "residents/<int:resident_id>/applications/<str:ref>/submit/",
        api.ApplicationSubmitApi.as_view(),
        name="desk-api-application-submit",
    ),
    path(
        "residents/<int:resident_id>/claim-codes/",
        api.ClaimCodeIssueApi.as_view(),
        name="desk-api-claim-code",
    ),
    path("print-batches/", api.PrintBatchApi.as_view(), name="desk-api-print-batch"),
]
