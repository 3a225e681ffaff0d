"""Department staff pages, mounted under /staff/cases/ (namespace `staff:staff_cases`)."""

from django.urls import path

from .views import staff as views

urlpatterns = [
    path("", views.queue, name="queue"),
    path("overdue/", views.overdue, name="overdue"),
    path("tasks/<int:pk>/claim/", views.task_claim, name="task-claim"),
    path("tasks/<int:pk>/assign/", views.task_assign, name="task-assign"),
    path(
        "tasks/<int:pk>/<str:action>/",
        views.task_action,
        name="task-action",
    ),
    path(
        "extensions/<int:pk>/<str:decision>/",
        views.extension_decide,
        name="extension-decide",
    ),
    path("<str:ref>/", views.case_detail, name="detail"),
    path("<str:ref>/attachments/<int:pk>/", views.case_attachment, name="attachment"),
    path("<str:ref>/documents/<int:pk>/", views.case_document, name="document"),
    path("<str:ref>/<str:action>/", views.case_action, name="action"),
]
