"""The applications API, mounted at /api/v1/."""

from django.urls import path

from .api import resident, staff

urlpatterns = [
    # a signed-in resident
    path("cases/", resident.CaseListCreateApi.as_view(), name="api-case-list"),
    path("cases/<str:ref>/", resident.CaseDetailApi.as_view(), name="api-case-detail"),
    path(
        "prefill-consents/", resident.PrefillConsentListApi.as_view(), name="api-prefill-consents"
    ),
    path(
        "prefill-consents/<slug:code>/",
        resident.PrefillConsentWithdrawApi.as_view(),
        name="api-prefill-consent-withdraw",
    ),
    path(
        "cases/<str:ref>/attachments/",
        resident.CaseAttachmentApi.as_view(),
        name="api-case-attachments",
    ),
    path(
        "cases/<str:ref>/signature-code/",
        resident.CaseSignatureCodeApi.as_view(),
        name="api-case-signature-code",
    ),
    path("cases/<str:ref>/submit/", resident.CaseSubmitApi.as_view(), name="api-case-submit"),
    path("cases/<str:ref>/withdraw/", resident.CaseWithdrawApi.as_view(), name="api-case-withdraw"),
    path(
        "cases/<str:ref>/documents/<int:pk>/",
        resident.CaseDocumentApi.as_view(),
        name="api-case-document",
    ),
    # department staff
    path("tasks/", staff.TaskListApi.as_view(), name="api-task-list"),
    path("tasks/<int:pk>/claim/", staff.TaskClaimApi.as_view(), name="api-task-claim"),
    path("tasks/<int:pk>/approve/", staff.TaskApproveApi.as_view(), name="api-task-approve"),
    path("tasks/<int:pk>/reject/", staff.TaskRejectApi.as_view(), name="api-task-reject"),
    path("tasks/<int:pk>/return/", staff.TaskReturnApi.as_view(), name="api-task-return"),
    path("cases/<str:ref>/accept/", staff.CaseAcceptApi.as_view(), name="api-case-accept"),
    path("cases/<str:ref>/refuse/", staff.CaseRefuseApi.as_view(), name="api-case-refuse"),
    path("cases/<str:ref>/return/", staff.CaseReturnApi.as_view(), name="api-case-return"),
    path("cases/<str:ref>/decide/", staff.CaseDecideApi.as_view(), name="api-case-decide"),
    path("cases/<str:ref>/extend/", staff.CaseExtendApi.as_view(), name="api-case-extend"),
    path(
        "staff/cases/<str:ref>/", staff.StaffCaseDetailApi.as_view(), name="api-staff-case-detail"
    ),
    path(
        "extensions/<int:pk>/approve/",
        staff.ExtensionApproveApi.as_view(),
        name="api-extension-approve",
    ),
    path(
        "extensions/<int:pk>/refuse/",
        staff.ExtensionRefuseApi.as_view(),
        name="api-extension-refuse",
    ),
]
