"""Public and resident pages, mounted at /accounts/ (namespace `accounts`)."""

from django.urls import path

from .views import public, resident

app_name = "accounts"

urlpatterns = [
    path("login/", public.PortalLoginView.as_view(), name="login"),
    path("logout/", public.PortalLogoutView.as_view(), name="logout"),
    path("register/", public.register, name="register"),
    path("register/verify/", public.register_verify, name="register-verify"),
    path("profile/", resident.profile, name="profile"),
    path("2fa/", resident.two_factor_settings, name="2fa"),
    path("2fa/enrol/", resident.two_factor_enrol, name="2fa-enrol"),
    path("2fa/verify/", resident.two_factor_verify_view, name="2fa-verify"),
    path("2fa/backup-codes/", resident.backup_codes, name="2fa-backup-codes"),
    path("2fa/disable/", resident.two_factor_disable_view, name="2fa-disable"),
]
