"""A resident's remembered consent to prefill a service's forms from what the city holds."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel


class PrefillConsent(BaseModel):
    """同意: "fill in my applications for this service from my data", until withdrawn.

    One consent in force per resident and service; a withdrawn row stays as the record of when
    it held. Consent for one draft only is kept on the case (`Case.prefill`) and in the audit."""

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.CASCADE,
        related_name="prefill_consents",
    )
    service = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("given through"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    mandate_reference = models.CharField(_("under mandate"), max_length=12, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("prefill consent")
        verbose_name_plural = _("prefill consents")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "service"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="cases_prefill_consent_one_in_force",
            )
        ]

    def __str__(self):
        return f"{self.resident} · {self.service}"

    def audit_repr(self) -> str:
        """What the audit trail shows: the service and the row, never the resident's name."""
        return f"prefill consent #{self.pk} ({self.service.code})"
