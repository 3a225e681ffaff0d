"""Template helpers of the design system: form fields with inline errors, the error summary.

Templates use them through the partials in `templates/includes/` (field.html,
error_summary.html), so every form looks and behaves alike."""

from datetime import timedelta

from django import forms, template
from django.forms.boundfield import BoundField, BoundWidget
from django.utils.translation import gettext as _

register = template.Library()

CHOICE_GROUP_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def widget_kind(field: BoundField) -> str:
    """How the partial lays the field out: choices, checkbox, select, textarea, file or input."""
    widget = field.field.widget
    if isinstance(widget, CHOICE_GROUP_WIDGETS):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


@register.filter
def describedby(field: BoundField) -> str:
    """The ids of the hint and the inline error, in reading order (Django's own naming)."""
    ids = []
    if getattr(field.field.widget, "format_hint", False):
        ids.append(f"{field.auto_id}_format")
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


def _aria_attrs(field: BoundField, css_class: str = "") -> dict:
    attrs = {}
    existing = field.field.widget.attrs.get("class", "")
    classes = " ".join(c for c in (css_class, existing) if c)
    if field.errors and css_class:
        classes += f" {css_class}--error"
    if classes:
        attrs["class"] = classes
    ids = describedby(field)
    if ids:
        attrs["aria-describedby"] = ids
    if field.errors:
        attrs["aria-invalid"] = "true"
    return attrs


@register.filter
def with_aria(field: BoundField, css_class: str = "") -> str:
    """The field's widget with the design system's class, aria-describedby and aria-invalid."""
    return field.as_widget(attrs=_aria_attrs(field, css_class))


@register.filter
def with_aria_concealed(field: BoundField, css_class: str = "") -> str:
    """Like `with_aria`, but an unbound form shows the control empty: for personal data
    (a full ID number) that the page must not repeat. What the user typed is kept."""
    if field.form.is_bound:
        return with_aria(field, css_class)
    widget = field.field.widget
    attrs = field.build_widget_attrs({"id": field.auto_id} if field.auto_id else {})
    attrs.update(_aria_attrs(field, css_class))
    attrs.pop("required", None)
    return widget.render(field.html_name, "", attrs=attrs, renderer=field.form.renderer)


@register.filter
def choice_options(field: BoundField) -> list[BoundWidget]:
    """One input per choice of a radio or checkbox group, each pointing at the hint and error."""
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    attrs.update(_aria_attrs(field))
    return [
        BoundWidget(widget, option, field.form.renderer)
        for option in widget.subwidgets(field.html_name, field.value(), attrs=attrs)
    ]


def field_anchor(field: BoundField) -> str:
    """The id of the control the error summary links to (the first option of a group)."""
    return field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")


@register.filter
def error_links(form: forms.BaseForm) -> list[dict]:
    """Every error of the form in field order, each with the anchor of its control."""
    if form is None or not form.is_bound:
        return []
    links = [{"href": "", "text": str(error)} for error in form.non_field_errors()]
    for field in form:
        if field.is_hidden:
            links.extend({"href": "", "text": str(error)} for error in field.errors)
            continue
        anchor = field_anchor(field)
        # The summary names the field: "This field is required." alone says not which one.
        links.extend(
            {
                "href": f"#{anchor}" if anchor else "",
                "text": _("%(label)s: %(error)s") % {"label": field.label, "error": error},
            }
            for error in field.errors
        )
    return links


@register.filter
def minutes(value) -> int | str:
    """Whole minutes of a timedelta (rounded up), for messages like 'try again in 30 minutes'."""
    if isinstance(value, timedelta):
        return max(1, -(-int(value.total_seconds()) // 60))
    return ""
