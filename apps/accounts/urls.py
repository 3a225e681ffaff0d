from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", views.PortalLogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("register/verify/", views.register_verify, name="register-verify"),
    path("profile/", views.profile, name="profile"),
    path("2fa/", views.two_factor_settings, name="2fa"),
    path("2fa/enrol/", views.two_factor_enrol, name="2fa-enrol"),
    path("2fa/verify/", views.two_factor_verify_view, name="2fa-verify"),
    path("2fa/backup-codes/", views.backup_codes, name="2fa-backup-codes"),
    path("2fa/disable/", views.two_factor_disable_view, name="2fa-disable"),
]
