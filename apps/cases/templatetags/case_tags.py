from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Mapping[str, Any] | None, key: str) -> Any:
    """`{{ attachments|get_item:field.name }}`: a dict value by a variable key."""
    if not mapping:
        return None
    return mapping.get(key)
