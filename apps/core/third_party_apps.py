"""The third-party apps under names the admin can show in the page's language.

Their own AppConfigs carry no verbose_name (the admin falls back to "Axes", "Otp_Totp", …) and
django-otp names its models with plain strings; these subclasses give both a translatable name.
INSTALLED_APPS lists these instead of the bare app modules.
"""

from typing import Any

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as OtpStaticAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as OtpTotpAppConfig
from oauth2_provider.apps import DOTConfig


def _rename(config: Any, model_name: str, singular: Any, plural: Any) -> None:
    meta = config.get_model(model_name)._meta
    meta.verbose_name = singular
    meta.verbose_name_plural = plural


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in lockouts")


class OtpTotpConfig(OtpTotpAppConfig):
    verbose_name = _("Authenticator apps (TOTP)")

    def ready(self) -> None:
        super().ready()
        _rename(self, "TOTPDevice", _("authenticator app"), _("authenticator apps"))


class OtpStaticConfig(OtpStaticAppConfig):
    verbose_name = _("Backup codes")

    def ready(self) -> None:
        super().ready()
        _rename(self, "StaticDevice", _("backup code list"), _("backup code lists"))
        _rename(self, "StaticToken", _("backup code"), _("backup codes"))


class OAuth2ProviderConfig(DOTConfig):
    """django-oauth-toolkit: the OAuth2 clients of departments' systems and their tokens."""

    verbose_name = _("OAuth2 clients and tokens")

    def ready(self) -> None:
        super().ready()
        _rename(self, "Application", _("OAuth2 client"), _("OAuth2 clients"))
        _rename(self, "AccessToken", _("access token"), _("access tokens"))
        _rename(self, "RefreshToken", _("refresh token"), _("refresh tokens"))
        _rename(self, "Grant", _("authorization code"), _("authorization codes"))
        _rename(self, "IDToken", _("ID token"), _("ID tokens"))
