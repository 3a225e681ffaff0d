from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "apps.helpdesk"
    label = "helpdesk"
    verbose_name = _("Help desk")

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects to cases' case_created
