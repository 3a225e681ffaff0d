"""Bilingual content (zh-hans and en fields side by side): the active language's text, or the
Chinese one when the English is missing."""

from django.conf import settings
from django.utils.translation import get_language


def bilingual(zh: str, en: str, language: str | None = None) -> str:
    language = language or get_language() or settings.LANGUAGE_CODE
    if language.startswith("en") and en:
        return en
    return zh or ""


def pick_language(obj, field: str, language: str | None = None) -> str:
    """`obj.<field>_en` when the language is English and it is filled in, else `<field>_zh`.

    `obj` may be a model or a dict (choices, step titles)."""
    get = obj.get if isinstance(obj, dict) else lambda name, default: getattr(obj, name, default)
    return bilingual(get(f"{field}_zh", ""), get(f"{field}_en", ""), language)
