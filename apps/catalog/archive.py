"""How long the record of a service's cases is kept: its archive class (文书档案保管期限,
国家档案局令第8号: permanent, 30 years, 10 years). The retention schedule (apps.retention)
reads it as the default period of the service's records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArchiveClass(models.TextChoices):
    """档案保管期限: how long a case's record is kept once it ends."""

    TEN_YEARS = "d10", _("10 years (定期10年)")
    THIRTY_YEARS = "d30", _("30 years (定期30年)")
    PERMANENT = "permanent", _("Permanent (永久)")


class ArchiveSettings(models.Model):
    """A service's archive class (part of `ServiceItem`)."""

    archive_class = models.CharField(
        _("archive class"),
        max_length=10,
        choices=ArchiveClass.choices,
        default=ArchiveClass.TEN_YEARS,
        help_text=_(
            "How long the city keeps the record of a case (保管期限): 10 years, 30 years or "
            "permanently. The retention schedule may set other periods for this service."
        ),
    )

    class Meta:
        abstract = True
