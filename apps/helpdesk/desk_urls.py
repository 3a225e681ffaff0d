"""The service desk pages, mounted at /desk/ (namespace `desk:helpdesk`)."""

from django.urls import path

from .views import desk

urlpatterns = [
    path("residents/", desk.resident_search, name="search"),
    path("residents/new/", desk.resident_new, name="resident-new"),
    path("residents/<int:resident_id>/", desk.resident_detail, name="resident"),
    path("residents/<int:resident_id>/identity-check/", desk.identity_check, name="identity-check"),
    path("residents/<int:resident_id>/mandates/new/", desk.mandate_new, name="mandate-new"),
    path("residents/<int:resident_id>/family/", desk.family_bind, name="family-bind"),
    path("residents/<int:resident_id>/claim-code/", desk.claim_code_issue, name="claim-code"),
    path("residents/<int:resident_id>/act/", desk.acting_start, name="act-start"),
    path("mandates/<int:pk>/revoke/", desk.mandate_revoke, name="mandate-revoke"),
    path("mandates/<int:pk>/evidence/", desk.mandate_evidence, name="mandate-evidence"),
    path("family-links/<int:pk>/unbind/", desk.family_unbind, name="family-unbind"),
    path("act/", desk.act_home, name="act-home"),
    path("act/stop/", desk.acting_stop, name="act-stop"),
    path("act/apply/<slug:code>/", desk.act_apply, name="act-apply"),
    path("act/complaint/", desk.act_complaint, name="act-complaint"),
    path("act/cases/<str:ref>/", desk.act_case, name="act-case"),
    path("act/cases/<str:ref>/steps/<int:step>/", desk.act_step, name="act-step"),
    path("act/cases/<str:ref>/check/", desk.act_check, name="act-check"),
    path("act/cases/<str:ref>/sign/", desk.act_sign, name="act-sign"),
    path("act/cases/<str:ref>/letter/", desk.act_status_letter, name="act-letter"),
    path("print/", desk.print_queue, name="print"),
    path("print/<int:pk>/", desk.print_batch_download, name="print-download"),
]
