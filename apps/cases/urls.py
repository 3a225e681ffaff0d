"""The resident's application pages, mounted at /cases/ (namespace `cases`)."""

from django.urls import path

from .views import resident as views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/<slug:code>/", views.case_new, name="new"),
    path(
        "new/<slug:code>/prefill-consent/withdraw/",
        views.prefill_consent_withdraw,
        name="prefill-consent-withdraw",
    ),
    path("<str:ref>/", views.case_detail, name="detail"),
    path("<str:ref>/step/<int:step>/", views.case_step, name="step"),
    path("<str:ref>/check/", views.case_check, name="check"),
    path("<str:ref>/sign/", views.case_sign, name="sign"),
    path("<str:ref>/submitted/", views.case_submitted, name="submitted"),
    path("<str:ref>/withdraw/", views.case_withdraw, name="withdraw"),
    path("<str:ref>/documents/<int:pk>/", views.case_document, name="document"),
    path("<str:ref>/attachments/<int:pk>/", views.case_attachment, name="attachment"),
    path(
        "<str:ref>/attachments/<int:pk>/remove/", views.attachment_remove, name="attachment-remove"
    ),
]
