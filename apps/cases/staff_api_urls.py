from django.urls import path

from . import staff_api as api

urlpatterns = [
    path("tasks/", api.TaskListApi.as_view(), name="api-task-list"),
    path("tasks/<int:pk>/claim/", api.TaskClaimApi.as_view(), name="api-task-claim"),
    path("tasks/<int:pk>/approve/", api.TaskApproveApi.as_view(), name="api-task-approve"),
    path("tasks/<int:pk>/reject/", api.TaskRejectApi.as_view(), name="api-task-reject"),
    path("tasks/<int:pk>/return/", api.TaskReturnApi.as_view(), name="api-task-return"),
    path("cases/<str:ref>/accept/", api.CaseAcceptApi.as_view(), name="api-case-accept"),
    path("cases/<str:ref>/refuse/", api.CaseRefuseApi.as_view(), name="api-case-refuse"),
    path("cases/<str:ref>/return/", api.CaseReturnApi.as_view(), name="api-case-return"),
    path("cases/<str:ref>/decide/", api.CaseDecideApi.as_view(), name="api-case-decide"),
    path("cases/<str:ref>/extend/", api.CaseExtendApi.as_view(), name="api-case-extend"),
    path("staff/cases/<str:ref>/", api.StaffCaseDetailApi.as_view(), name="api-staff-case-detail"),
    path(
        "extensions/<int:pk>/approve/",
        api.ExtensionApproveApi.as_view(),
        name="api-extension-approve",
    ),
    path(
        "extensions/<int:pk>/refuse/",
        api.ExtensionRefuseApi.as_view(),
        name="api-extension-refuse",
    ),
]
