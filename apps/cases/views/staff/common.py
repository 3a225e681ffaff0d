"""Helpers the staff pages share: pagination, the way back, and a page's own CSP."""

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from csp import decorators as csp_decorators
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponseBase

from apps.core.http import safe_next_url

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)
M = TypeVar("M", bound=Model)

PAGE_SIZE = 25
# Types a browser shows inline: the case page embeds them.
INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp")


def paginate(request: HttpRequest, items: QuerySet[M], param: str) -> Page[M]:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get(param))


def back_url(request: HttpRequest, default: str) -> str:
    return safe_next_url(request, default)


def csp_replace(config: dict[str, list[str]]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """django-csp's `csp_replace`, for views and helpers that take more than the request."""
    # django-csp types a view as taking the request alone; the decorator passes any arguments on.
    return csp_decorators.csp_replace(config)  # type: ignore[return-value]
