"""Writes on the catalogue (versions), and the answers checks the cases app and the API share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.validators import mask_id_number
from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.core.exceptions import ApplicationError, ConflictError

from .forms import AnswersForm, field_definitions, form_class_for
from .models import FieldDefinition, ServiceItem, ServiceVersion

Kind = FieldDefinition.Kind

# --- versions ----------------------------------------------------------------------------------


@transaction.atomic
def service_version_new_draft(*, service: ServiceItem, actor: User | None) -> ServiceVersion:
    """A draft copy of the service's latest version (declaration, steps, fields) to edit.

    If the latest version is still a draft, it is returned as it is: there is one draft at a
    time. A service without versions gets an empty draft number 1."""
    service = ServiceItem.objects.select_for_update().get(pk=service.pk)
    latest = service.versions.order_by("-number").first()
    if latest is not None and not latest.is_published:
        return latest
    number = (service.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = ServiceVersion.objects.create(
        service=service,
        number=number,
        declaration_zh=latest.declaration_zh if latest else "",
        declaration_en=latest.declaration_en if latest else "",
        steps=list(latest.steps or []) if latest else [],
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if latest is not None:
        FieldDefinition.objects.bulk_create(
            FieldDefinition(
                version=draft,
                key=field.key,
                step=field.step,
                order=field.order,
                kind=field.kind,
                label_zh=field.label_zh,
                label_en=field.label_en,
                help_zh=field.help_zh,
                help_en=field.help_en,
                required=field.required,
                choices=field.choices,
                rules=field.rules,
                document_id=field.document_id,
                prefill_source=field.prefill_source,
                prefill_changeable=field.prefill_changeable,
            )
            for field in latest.fields.all()
        )
    audit_record(
        actor=actor,
        action=AuditAction.SERVICE_VERSION_DRAFT,
        target=draft,
        data={"service": service.code, "number": number, "from": latest.number if latest else None},
    )
    return draft


@transaction.atomic
def service_version_publish(*, version: ServiceVersion, actor: User | None) -> ServiceVersion:
    """Publish a draft: from now on new cases start on it, and it never changes again."""
    version = ServiceVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ConflictError(
            _("Version %(number)s is already published.") % {"number": version.number}
        )
    fields = list(version.fields.all())
    if not fields:
        raise ApplicationError(_("A version needs at least one form field before it is published."))
    steps = len(version.steps or [])
    if steps and any(field.step > steps for field in fields):
        raise ApplicationError(
            _("Every field must be on one of the %(count)s steps that have a title.")
            % {"count": steps}
        )
    newer = version.service.versions.filter(number__gt=version.number, published_at__isnull=False)
    if newer.exists():
        raise ConflictError(_("A newer version is already published."))
    version.published_at = timezone.now()
    version.save(update_fields=["published_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.SERVICE_VERSION_PUBLISH,
        target=version,
        data={"service": version.service.code, "number": version.number, "fields": len(fields)},
    )
    return version


# --- answers -------------------------------------------------------------------------------------


def _bind(
    version: ServiceVersion,
    answers: Mapping[str, Any],
    *,
    partial: bool,
    steps: Iterable[int] | None,
) -> tuple[AnswersForm, dict[str, list[str]]]:
    """A bound form over the version's non-file fields, plus shape errors found before binding."""
    definitions = [d for d in field_definitions(version, steps) if not d.is_file]
    if partial:
        definitions = [d for d in definitions if d.key in answers]
    shape_errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {}
    for definition in definitions:
        value = answers.get(definition.key)
        if value is None:
            continue
        if definition.kind == Kind.MULTICHOICE:
            if not isinstance(value, list | tuple):
                shape_errors[definition.key] = [_("Choose from the list of options.")]
                continue
            value = [str(item) for item in value]
        elif isinstance(value, list | tuple | dict) or isinstance(value, bool):
            shape_errors[definition.key] = [_("Enter a single value.")]
            continue
        data[definition.key] = value
    form_class = form_class_for(version, definitions, force_optional=partial)
    return form_class(data=data), shape_errors


def _merge_errors(shape_errors: dict[str, list[str]], form: AnswersForm) -> dict[str, list[str]]:
    errors = dict(shape_errors)
    for key, messages in form.errors.items():
        # A value of the wrong shape was left out of the form; "required" would only confuse.
        if key not in shape_errors:
            errors[key] = [str(message) for message in messages]
    return errors


def answers_validate(
    *,
    version: ServiceVersion,
    answers: Mapping[str, Any],
    partial: bool = False,
    steps: Iterable[int] | None = None,
) -> dict[str, list[str]]:
    """Check an answers dict against the version's fields: `{key: [message, …]}`, empty if valid.

    Values are JSON-shaped (dates as ISO strings, several choices as a list, numbers as strings
    or numbers). `partial=True` checks only the keys present and requires nothing (a draft);
    `steps` limits the check to those steps. File fields are not checked here."""
    form, errors = _bind(version, answers or {}, partial=partial, steps=steps)
    form.is_valid()
    return _merge_errors(errors, form)


def answers_clean(
    *,
    version: ServiceVersion,
    answers: Mapping[str, Any],
    partial: bool = False,
    steps: Iterable[int] | None = None,
) -> dict[str, Any]:
    """The normalised, JSON-safe answers (ID numbers upper-case, numbers and dates canonical,
    unknown keys dropped). Raises `ApplicationError` naming the fields at fault when invalid."""
    form, errors = _bind(version, answers or {}, partial=partial, steps=steps)
    if not form.is_valid() or errors:
        errors = _merge_errors(errors, form)
        raise ApplicationError(_("Some answers need correcting."), errors=errors)
    cleaned = form.answers()
    if partial:
        cleaned = {key: value for key, value in cleaned.items() if key in answers}
    return cleaned


def _display_value(definition: FieldDefinition, value: Any, *, mask_id_numbers: bool) -> str:
    if value in (None, "", []):
        return ""
    kind = definition.kind
    if kind == Kind.CHOICE:
        return definition.choice_label(value)
    if kind == Kind.MULTICHOICE:
        labels = [definition.choice_label(item) for item in value]
        return (
            "、".join(labels)
            if not translation.get_language().startswith("en")
            else ", ".join(labels)
        )
    if kind == Kind.DATE:
        try:
            return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
        except ValueError:
            return str(value)
    if kind == Kind.ID_NUMBER and mask_id_numbers:
        return mask_id_number(str(value))
    if kind == Kind.FILE:
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
    return str(value)


def answers_summary(
    *,
    version: ServiceVersion,
    answers: Mapping[str, Any] | None,
    language: str | None = None,
    mask_id_numbers: bool = False,
    include_files: bool = False,
) -> list[dict[str, Any]]:
    """Questions and answers as people read them (choice labels, local dates), in form order:
    `[{"key", "label", "value", "step", "kind"}]` for the receipt and the check-your-answers page.

    File fields appear only with `include_files` (their value is whatever the answers hold for
    them, e.g. file names)."""
    language = language or translation.get_language()
    rows = []
    with translation.override(language):
        for definition in field_definitions(version):
            if definition.is_file and not include_files:
                continue
            rows.append(
                {
                    "key": definition.key,
                    "label": definition.label,
                    "value": _display_value(
                        definition,
                        (answers or {}).get(definition.key),
                        mask_id_numbers=mask_id_numbers,
                    ),
                    "step": definition.step,
                    "kind": definition.kind,
                }
            )
    return rows
