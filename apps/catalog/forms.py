"""The form engine: Django form fields built from a version's `FieldDefinition`s.

One builder (`build_field`) serves the web pages (`step_form_class`) and the API
(`services.answers_validate` / `answers_clean`), so a rule is checked the same way everywhere.
Labels and messages follow the active language at the time the class is built."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.validators import normalize_id_number, validate_cn_id_number, validate_cn_mobile
from apps.core.i18n import pick_language
from apps.core.uploads import DEFAULT_ALLOWED, MB, TYPE_LABELS, accept_attribute, validate_upload
from apps.core.widgets import PageDateInput

from .models import FieldDefinition, ServiceVersion

Kind = FieldDefinition.Kind

DEFAULT_MAX_LENGTH: dict[str, int] = {Kind.TEXT: 200, Kind.TEXTAREA: 2000, Kind.ADDRESS: 300}
DEFAULT_MAX_MB = 10
DEFAULT_MAX_FILES = 1


# --- widgets and fields ---------------------------------------------------------------------


# Dates in the page's format, not the browser's: see apps.core.widgets.PageDateInput.
DateInput = PageDateInput


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadField(forms.FileField):
    """Cleans to a list of uploaded files (possibly empty), each checked by content.

    Never required by itself: whether a document is missing depends on the files a case already
    holds, which the cases app knows (see `file_field_keys`)."""

    def __init__(
        self, *, allowed=DEFAULT_ALLOWED, max_bytes=DEFAULT_MAX_MB * MB, max_files=1, **kw
    ):
        self.allowed = set(allowed)
        self.max_bytes = max_bytes
        self.max_files = max_files
        attrs = {"accept": accept_attribute(self.allowed)}
        widget = MultipleFileInput(attrs) if max_files > 1 else forms.ClearableFileInput(attrs)
        kw.setdefault("widget", widget)
        kw["required"] = False
        kw.setdefault("allow_empty_file", False)
        super().__init__(**kw)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        single_clean = super().clean
        files = [single_clean(item, initial) for item in items if item]
        files = [f for f in files if f]
        if len(files) > self.max_files:
            raise ValidationError(
                ngettext(
                    "Upload at most %(count)d file here.",
                    "Upload at most %(count)d files here.",
                    self.max_files,
                )
                % {"count": self.max_files},
                code="max_files",
            )
        errors = []
        for upload in files:
            try:
                validate_upload(upload, allowed=self.allowed, max_bytes=self.max_bytes)
            except ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise ValidationError(errors)
        return files


class IdNumberField(forms.CharField):
    """An 18-character resident ID number, stored compact and upper-case."""

    default_validators = [validate_cn_id_number]

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_id_number(value) if value else value


class PhoneField(forms.CharField):
    """A mainland mobile number; spaces, hyphens and a +86 prefix are forgiven."""

    default_validators = [validate_cn_mobile]

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        value = re.sub(r"[\s\-()]", "", value)
        if value.startswith("+86"):
            value = value[3:]
        elif value.startswith("0086"):
            value = value[4:]
        return value


def _rule_date(value) -> date | None:
    if value in (None, ""):
        return None
    if value == "today":
        return timezone.localdate()
    return date.fromisoformat(str(value))


def _date_range_validator(lowest: date | None, highest: date | None):
    def validate(value: date):
        if lowest and value < lowest:
            raise ValidationError(
                _("Enter a date on or after %(date)s.") % {"date": date_format(lowest)},
                code="date_min",
            )
        if highest and value > highest:
            raise ValidationError(
                _("Enter a date on or before %(date)s.") % {"date": date_format(highest)},
                code="date_max",
            )

    return validate


class CommonFieldArguments(TypedDict):
    """What every field built from a definition is given, whatever its kind."""

    label: str
    help_text: str
    required: bool


def build_field(definition: FieldDefinition, *, force_optional: bool = False) -> forms.Field:
    """The Django form field for one definition, in the active language."""
    rules: dict[str, Any] = definition.rules or {}
    kind = definition.kind
    field: forms.Field
    common: CommonFieldArguments = {
        "label": definition.label,
        "help_text": definition.help,
        "required": definition.required and not force_optional,
    }
    if kind in (Kind.TEXT, Kind.TEXTAREA, Kind.ADDRESS):
        validators: list[Callable[[Any], None]] = []
        if rules.get("pattern"):
            message = pick_language(rules, "pattern_message") or _(
                "Enter the value in the format shown in the hint."
            )
            validators.append(RegexValidator(rules["pattern"], message, code="pattern"))
        widget: forms.Widget = (
            forms.Textarea(attrs={"rows": 5 if kind == Kind.TEXTAREA else 3})
            if kind != Kind.TEXT
            else forms.TextInput()
        )
        if kind == Kind.ADDRESS:
            widget.attrs["autocomplete"] = "street-address"
        field = forms.CharField(
            min_length=rules.get("min_length"),
            max_length=rules.get("max_length") or DEFAULT_MAX_LENGTH[kind],
            validators=validators,
            widget=widget,
            **common,
        )
    elif kind == Kind.NUMBER:
        lowest, highest = rules.get("min"), rules.get("max")
        field = forms.DecimalField(
            min_value=Decimal(str(lowest)) if lowest is not None else None,
            max_value=Decimal(str(highest)) if highest is not None else None,
            decimal_places=rules.get("decimal_places"),
            max_digits=18,
            **common,
        )
        field.widget.attrs["inputmode"] = "decimal"
    elif kind == Kind.DATE:
        field = forms.DateField(
            widget=DateInput(),
            validators=[
                _date_range_validator(_rule_date(rules.get("min")), _rule_date(rules.get("max")))
            ],
            **common,
        )
    elif kind == Kind.CHOICE:
        field = forms.ChoiceField(
            choices=definition.choice_list(), widget=forms.RadioSelect, **common
        )
    elif kind == Kind.MULTICHOICE:
        field = forms.MultipleChoiceField(
            choices=definition.choice_list(), widget=forms.CheckboxSelectMultiple, **common
        )
    elif kind == Kind.ID_NUMBER:
        field = IdNumberField(max_length=30, **common)
        field.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
    elif kind == Kind.PHONE:
        phone_input = forms.TextInput()
        phone_input.input_type = "tel"
        field = PhoneField(max_length=20, widget=phone_input, **common)
        field.widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
    elif kind == Kind.FILE:
        allowed = set(rules.get("types") or DEFAULT_ALLOWED) & set(TYPE_LABELS)
        field = UploadField(
            allowed=allowed or DEFAULT_ALLOWED,
            max_bytes=int(Decimal(str(rules.get("max_mb") or DEFAULT_MAX_MB)) * MB),
            max_files=int(rules.get("max_files") or DEFAULT_MAX_FILES),
            label=common["label"],
            help_text=common["help_text"],
        )
    else:  # pragma: no cover - the model's choices cover every kind
        raise ValueError(f"Unknown field kind {kind!r}")
    # Templates and the cases app reach the definition (kind, document) through the field.
    # (django's field classes do not declare this attribute of the portal's)
    field.definition = definition  # type: ignore[union-attr]
    return field


# --- forms ------------------------------------------------------------------------------------


def to_json_value(definition: FieldDefinition, value):
    """A cleaned value as stored in a case's answers (JSON-safe)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return value


class AnswersForm(forms.Form):
    """A form over some of a version's fields. `answers()` gives the JSON-safe cleaned values of
    the non-file fields; `files_by_key()` the uploaded files of the file fields."""

    version: ServiceVersion
    step: int | None = None
    definitions: dict[str, FieldDefinition] = {}
    # Answers the service does not let change from what a source gave: {key: where from}.
    locked: dict[str, str]

    def show_sources(self, sources: Mapping[str, tuple[str, bool]]) -> None:
        """Say beside each prefilled field where its answer came from (`{key: (label,
        locked)}`), and make a locked one read-only. Call before the form is cleaned: a locked
        answer sent changed is refused with the field's error, the other answers are kept."""
        self.locked = {}
        for key, (label, locked) in sources.items():
            field = self.fields.get(key)
            if field is None:
                continue
            note = (
                label
                if not locked
                else _("%(source)s (this service does not let you change it)") % {"source": label}
            )
            # The hint is the catalogue's own text, which field.html renders as given (the
            # administrator's markup); only the note is ours, and format_html escapes it.
            hint = mark_safe(field.help_text)  # noqa: S308  # nosec B308 B703
            field.help_text = format_html('<span class="field__source">{}</span>{}', note, hint)
            if locked:
                self.locked[key] = label
                if self.definitions[key].kind in (Kind.CHOICE, Kind.MULTICHOICE):
                    field.disabled = True  # radios and boxes have no read-only state
                else:
                    field.widget.attrs.update({"readonly": True, "aria-readonly": "true"})

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        for key, label in getattr(self, "locked", {}).items():
            if key in self.errors:
                continue
            field = self.fields[key]
            if field.disabled:
                several = self.definitions[key].kind == Kind.MULTICHOICE
                data: Any = self.data
                raw = data.getlist(key) if several and hasattr(data, "getlist") else data.get(key)
                if not raw:
                    continue
                try:
                    sent = to_json_value(self.definitions[key], field.clean(raw))
                except ValidationError:
                    sent = raw
            else:
                sent = to_json_value(self.definitions[key], cleaned.get(key))
            if sent != self.initial.get(key):
                self.add_error(
                    key,
                    _("%(source)s. This service does not let you change this answer.")
                    % {"source": label},
                )
        return cleaned

    def answers(self) -> dict[str, Any]:
        return {
            key: to_json_value(definition, self.cleaned_data.get(key))
            for key, definition in self.definitions.items()
            if not definition.is_file and key in self.cleaned_data
        }

    def files_by_key(self) -> dict[str, list]:
        return {
            key: self.cleaned_data.get(key) or []
            for key, definition in self.definitions.items()
            if definition.is_file
        }


def field_definitions(
    version: ServiceVersion, steps: Iterable[int] | None = None
) -> list[FieldDefinition]:
    """The version's field definitions (of some steps, or all) in form order: the prefetched
    ones when the version came with them (`cases.selectors.case_get_for_staff`)."""
    if "fields" in getattr(version, "_prefetched_objects_cache", {}):
        wanted = None if steps is None else set(steps)
        return sorted(
            (d for d in version.fields.all() if wanted is None or d.step in wanted),
            key=lambda d: (d.step, d.order, d.pk),
        )
    qs = version.fields.select_related("document").order_by("step", "order", "pk")
    if steps is not None:
        qs = qs.filter(step__in=list(steps))
    return list(qs)


def form_class_for(
    version: ServiceVersion,
    definitions: list[FieldDefinition],
    *,
    step: int | None = None,
    force_optional: bool = False,
) -> type[AnswersForm]:
    attrs: dict[str, object] = {
        "version": version,
        "step": step,
        "definitions": {d.key: d for d in definitions},
    }
    for definition in definitions:
        attrs[definition.key] = build_field(definition, force_optional=force_optional)
    name = f"Service{version.service_id}V{version.number}Step{step or 'All'}Form"
    return type(name, (AnswersForm,), attrs)


def step_form_class(version: ServiceVersion, step: int) -> type[AnswersForm]:
    """The form class for one step (1-based) of `version`, labels in the active language.

    File fields clean to a list of uploads and are never required here: call
    `file_field_keys(version, step)` and decide with the attachments the case already has."""
    return form_class_for(version, field_definitions(version, [step]), step=step)


def file_field_keys(version: ServiceVersion, step: int | None = None) -> list[str]:
    """The keys of the file fields (of one step, or all), in form order."""
    qs = version.fields.filter(kind=Kind.FILE)
    if step is not None:
        qs = qs.filter(step=step)
    return list(qs.order_by("step", "order", "pk").values_list("key", flat=True))
