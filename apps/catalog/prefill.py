"""Where a form field's answer may come from before the resident types it (一次填报、多次复用).

A field declares a source (`FieldDefinition.prefill_source`) and whether the resident may change
what it gave (`prefill_changeable`). The catalogue only names and checks the sources; the cases
app reads them (`apps/cases/prefill.py`), and only with the resident's consent."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

PROFILE_SOURCES = ("profile.name", "profile.id_number", "profile.phone", "profile.address")
LAST_CASE = "last_case"
CERTIFICATE_PATTERN = re.compile(
    r"^certificate:(?P<type>[a-z0-9][a-z0-9_-]*)\.(?P<field>[a-z0-9_]+)$"
)


@dataclass(frozen=True)
class SourceName:
    """A parsed source: `kind` is "profile", "last_case" or "certificate"."""

    kind: str
    item: str = ""  # the profile attribute, or the certificate's field
    certificate_type: str = ""


def source_parse(source: str) -> SourceName | None:
    """The parsed source, or None when `source` names none the portal knows."""
    if source in PROFILE_SOURCES:
        return SourceName(kind="profile", item=source.split(".", 1)[1])
    if source == LAST_CASE:
        return SourceName(kind="last_case")
    match = CERTIFICATE_PATTERN.match(source)
    if match:
        return SourceName(kind="certificate", item=match["field"], certificate_type=match["type"])
    return None


class PrefillSettings(models.Model):
    """A form field's prefill settings (part of `FieldDefinition`)."""

    prefill_source = models.CharField(
        _("prefill from"),
        max_length=120,
        blank=True,
        help_text=_(
            "Optional. With the resident's consent the form fills this field in from: "
            "profile.name, profile.id_number, profile.phone, profile.address; last_case (the "
            "same field in the applicant's latest application for this service); "
            "certificate:<type code>.<field> (a valid electronic licence of the applicant)."
        ),
    )
    prefill_changeable = models.BooleanField(
        _("resident may change a prefilled answer"),
        default=True,
        help_text=_(
            "Untick when the prefilled answer must stay as the source gives it (for example "
            "the name on an ID card). A field the source leaves empty is always typed in."
        ),
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if not self.prefill_source:
            return
        if source_parse(self.prefill_source) is None:
            raise ValidationError(
                {
                    "prefill_source": _(
                        "Unknown source. Use profile.name, profile.id_number, profile.phone, "
                        "profile.address, last_case or certificate:<type code>.<field>."
                    )
                }
            )
        if getattr(self, "kind", None) == "file":
            raise ValidationError(
                {"prefill_source": _("A file upload cannot be filled in from a source.")}
            )
