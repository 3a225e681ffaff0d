from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel


class Document(BaseModel):
    """A sealed PDF the portal issued, with its digest and the code anyone can check it by.

    No link to a case: `cases` keeps its own links to documents.
    """

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        DECISION_LETTER = "decision_letter", _("Decision letter")
        COMPLAINT_REPLY = "complaint_reply", _("Complaint reply")
        STATUS_LETTER = "status_letter", _("Status letter")
        DESTRUCTION_LIST = "destruction_list", _("Destruction list report")
        CERTIFICATE = "certificate", _("Certificate")
        OTHER = "other", _("Other document")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    verification_code = models.CharField(_("verification code"), max_length=19, unique=True)
    seal = models.CharField(
        _("seal"), max_length=40, default="portal", help_text=_("portal, or a department code")
    )
    sealed_by = models.CharField(
        _("sealed by"), max_length=255, blank=True, help_text=_("The seal certificate's name.")
    )
    sealed_at = models.DateTimeField(_("sealed at"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-sealed_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return f"{self.title} ({self.verification_code})"

    def audit_repr(self) -> str:
        """What the audit trail shows: the verification code (a title may name a resident)."""
        return self.verification_code
