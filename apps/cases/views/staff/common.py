"""Helpers the staff pages share: pagination and the way back."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.core.http import safe_next_url

PAGE_SIZE = 25
# Types a browser shows inline: the case page embeds them.
INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp")


def paginate(request: HttpRequest, items: QuerySet, param: str) -> Page:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get(param))


def back_url(request: HttpRequest, default: str) -> str:
    return safe_next_url(request, default)
