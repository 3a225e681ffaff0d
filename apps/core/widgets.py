"""Form widgets shared by the apps."""

from typing import Any

from django import forms


class PageDateInput(forms.DateInput):
    """A date typed as year-month-day (2026-03-31), the way Chinese and English pages show it.

    Chromium draws `<input type="date">` in the browser's own locale whatever the page's
    language (an en-US browser shows mm/dd/yyyy on a Chinese page, and `lang` on the input does
    not change that), so the field is a text input with the format as a hint
    (templates/includes/field.html, `format_hint`) that the page's language words.
    """

    input_type = "text"
    format_hint = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        typed = {"inputmode": "numeric", "autocomplete": "off", "maxlength": "10"}
        super().__init__(attrs={**typed, **(attrs or {})}, format="%Y-%m-%d")
