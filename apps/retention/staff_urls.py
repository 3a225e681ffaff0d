"""The records pages, mounted under /staff/retention/ (namespace `staff:staff_retention`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("holds/", views.hold_set, name="hold-set"),
    path("holds/<str:number>/clear/", views.hold_clear, name="hold-clear"),
    path("lists/<int:pk>/", views.list_detail, name="list"),
    path("lists/<int:pk>/approve/", views.list_approve, name="list-approve"),
    path("lists/<int:pk>/reject/", views.list_reject, name="list-reject"),
    path("lists/<int:pk>/report/", views.list_report_issue, name="list-report-issue"),
    path("lists/<int:pk>/report.pdf", views.list_report, name="list-report"),
]
