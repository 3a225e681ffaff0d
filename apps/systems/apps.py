from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SystemsConfig(AppConfig):
    """Departments' own systems as OAuth2 clients (client credentials, django-oauth-toolkit)
    and the service API they call, /api/v1/systems/ (docs/integration.md)."""

    name = "apps.systems"
    label = "systems"
    verbose_name = _("Departments' systems (service API)")

    def ready(self) -> None:
        from . import schema  # noqa: F401
