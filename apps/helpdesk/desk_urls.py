from django.urls import path

from . import desk_views as views

urlpatterns = [
    path("residents/", views.resident_search, name="search"),
    path("residents/new/", views.resident_new, name="resident-new"),
    path("residents/<int:resident_id>/", views.resident_detail, name="resident"),
    path(
        "residents/<int:resident_id>/identity-check/", views.identity_check, name="identity-check"
    ),
    path("residents/<int:resident_id>/mandates/new/", views.mandate_new, name="mandate-new"),
    path("residents/<int:resident_id>/family/", views.family_bind, name="family-bind"),
    path("residents/<int:resident_id>/claim-code/", views.claim_code_issue, name="claim-code"),
    path("residents/<int:resident_id>/act/", views.acting_start, name="act-start"),
    path("mandates/<int:pk>/revoke/", views.mandate_revoke, name="mandate-revoke"),
    path("mandates/<int:pk>/evidence/", views.mandate_evidence, name="mandate-evidence"),
    path("family-links/<int:pk>/unbind/", views.family_unbind, name="family-unbind"),
    path("act/", views.act_home, name="act-home"),
    path("act/stop/", views.acting_stop, name="act-stop"),
    path("act/apply/<slug:code>/", views.act_apply, name="act-apply"),
    path("act/complaint/", views.act_complaint, name="act-complaint"),
    path("act/cases/<str:ref>/", views.act_case, name="act-case"),
    path("act/cases/<str:ref>/steps/<int:step>/", views.act_step, name="act-step"),
    path("act/cases/<str:ref>/check/", views.act_check, name="act-check"),
    path("act/cases/<str:ref>/sign/", views.act_sign, name="act-sign"),
    path("act/cases/<str:ref>/letter/", views.act_status_letter, name="act-letter"),
    path("print/", views.print_queue, name="print"),
    path("print/<int:pk>/", views.print_batch_download, name="print-download"),
]
