from django.urls import path

from . import api

urlpatterns = [
    path("cases/", api.CaseListCreateApi.as_view(), name="api-case-list"),
    path("cases/<str:ref>/", api.CaseDetailApi.as_view(), name="api-case-detail"),
    path(
        "cases/<str:ref>/attachments/", api.CaseAttachmentApi.as_view(), name="api-case-attachments"
    ),
    path(
        "cases/<str:ref>/signature-code/",
        api.CaseSignatureCodeApi.as_view(),
        name="api-case-signature-code",
    ),
    path("cases/<str:ref>/submit/", api.CaseSubmitApi.as_view(), name="api-case-submit"),
    path(
        "cases/<str:ref>/documents/<int:pk>/",
        api.CaseDocumentApi.as_view(),
        name="api-case-document",
    ),
]
