from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """A resident's own data (PIPL arts. 45, 47): download it, close the account, see who at
    the city looked at their case. Above helpdesk and feedback, whose records it reads."""

    name = "apps.privacy"
    label = "privacy"
    verbose_name = _("Residents' data")
