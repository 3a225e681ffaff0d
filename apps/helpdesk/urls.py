from django.urls import path

from . import views

app_name = "helpdesk"

urlpatterns = [
    path("", views.family_home, name="home"),
    path("invite/", views.family_invite, name="invite"),
    path("links/<int:pk>/confirm/", views.family_confirm, name="confirm"),
    path("links/<int:pk>/unbind/", views.family_unbind, name="unbind"),
    path("for/<int:resident_id>/", views.family_for, name="for"),
    path("for/<int:resident_id>/apply/<slug:code>/", views.family_apply, name="apply"),
    path("cases/<str:ref>/sign/", views.family_sign, name="sign"),
    path("mandates/<int:pk>/revoke/", views.mandate_revoke, name="mandate-revoke"),
    path("claim/", views.claim, name="claim"),
    path("claim/verify/", views.claim_verify, name="claim-verify"),
]
