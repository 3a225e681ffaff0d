"""What a case keeps beside it: its number counter, files, timeline lines and documents."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

from .case import Case


class CaseNumberSequence(models.Model):
    """The last number given per prefix and year: numbers are never reused."""

    prefix = models.CharField(max_length=4)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="unique_case_number_sequence")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"


class Attachment(BaseModel):
    """A file the resident uploaded for one file field of the form, checked by its content."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    field_key = models.CharField(_("field"), max_length=60)
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["field_key", "created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class CaseEvent(BaseModel):
    """One line of the case's timeline; internal lines are shown to staff only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    verb = models.CharField(_("what happened"), max_length=40)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_public = models.BooleanField(_("shown to the resident"), default=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self):
        return f"{self.case} {self.verb}"


class CaseDocument(BaseModel):
    """A document issued for a case (receipt, decision letter…), kept by the documents app."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_documents")
    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, related_name="case_links"
    )
    is_public = models.BooleanField(default=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "document"], name="unique_case_document")
        ]

    def __str__(self):
        return f"{self.case} · {self.document}"
