"""Public and resident pages, mounted at /family/ (namespace `helpdesk`)."""

from django.urls import path

from .views import public, resident

app_name = "helpdesk"

urlpatterns = [
    path("", resident.family_home, name="home"),
    path("invite/", resident.family_invite, name="invite"),
    path("links/<int:pk>/confirm/", resident.family_confirm, name="confirm"),
    path("links/<int:pk>/unbind/", resident.family_unbind, name="unbind"),
    path("for/<int:resident_id>/", resident.family_for, name="for"),
    path("for/<int:resident_id>/apply/<slug:code>/", resident.family_apply, name="apply"),
    path("cases/<str:ref>/sign/", resident.family_sign, name="sign"),
    path("mandates/<int:pk>/revoke/", resident.mandate_revoke, name="mandate-revoke"),
    path("claim/", public.claim, name="claim"),
    path("claim/verify/", public.claim_verify, name="claim-verify"),
]
