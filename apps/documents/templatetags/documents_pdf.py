"""Template helpers for the PDF templates."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def css_string(value) -> str:
    """Quote `value` as a CSS string, for `content: ...` in @page margin boxes.

    The result goes inside a <style> element, where HTML escaping does not apply, so `<` is
    escaped the CSS way too.
    """
    text = str(value)
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\A ")
        .replace("<", "\\3C ")
        .replace(">", "\\3E ")
    )
    # Escaped for a CSS string above; HTML escaping would not protect a <style> element.
    return mark_safe(f'"{escaped}"')  # noqa: S308  # nosec B308 B703
