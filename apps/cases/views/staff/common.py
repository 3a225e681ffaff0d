"""Helpers the staff pages share: pagination (keyset, `apps.core.pagination`), the way back,
and a page's own CSP."""

__all__ = ["INLINE_TYPES", "back_url", "csp_replace", "seek_page_for_request"]

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from csp import decorators as csp_decorators
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase

from apps.core.http import safe_next_url
from apps.core.pagination import seek_page_for_request

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)
M = TypeVar("M", bound=Model)

# Types a browser shows inline: the case page embeds them.
INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp")


def back_url(request: HttpRequest, default: str) -> str:
    return safe_next_url(request, default)


def csp_replace(config: dict[str, list[str]]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """django-csp's `csp_replace`, for views and helpers that take more than the request."""
    # django-csp types a view as taking the request alone; the decorator passes any arguments on.
    return csp_decorators.csp_replace(config)  # type: ignore[return-value]
