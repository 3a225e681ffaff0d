"""A department's own system, registered by an administrator: one OAuth2 client
(client credentials) bound to one department, with the scopes it may ask for.

The system acts through its own account (`user`): no password, no authenticator, an active
clerk membership in its department and, while it holds `certificates:manage`, a `system`
membership there that only certificate revocation accepts. Every step it takes on a case
therefore runs the same duties as a clerk's (apps/cases/duties.py: the department's grant on
the row, four eyes), and every audit event it causes names the client (`AuditEvent.client`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings

from apps.accounts.models import Department
from apps.core.models import BaseModel


class Scope(models.TextChoices):
    """What a client may ask a token for. Names never change once released."""

    CASES_READ = "cases:read", _("Read the department's cases and review tasks")
    TASKS_ACT = "tasks:act", _("Approve or reject the department's review tasks")
    CERTIFICATES = "certificates:manage", _("Issue and revoke the department's certificates")


class DepartmentSystem(BaseModel):
    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="systems",
    )
    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL,
        verbose_name=_("OAuth2 client"),
        on_delete=models.PROTECT,
        related_name="department_system",
        editable=False,
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("system account"),
        on_delete=models.PROTECT,
        related_name="department_system",
        editable=False,
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department system")
        verbose_name_plural = _("department systems")
        ordering = ["department__code", "name"]

    def __str__(self):
        return self.name

    def audit_repr(self) -> str:
        """The audit trail's name for it: a system, never a person."""
        return self.audit_label

    @property
    def client_id(self) -> str:
        return str(self.application.client_id)

    @property
    def audit_label(self) -> str:
        """How the audit trail names it: the system and its client, not a person."""
        return f"{self.name} (client {self.client_id})"
