"""Refuse, at the edge, text that the database cannot store.

PostgreSQL refuses a NUL character in any text value, and UTF-8 has no encoding for a lone
surrogate (which a JSON body can still spell as `\\ud800`); either one reaching a query or an
insert would be a server error. No person types them, so a request carrying them in a query
parameter, a form field or a JSON string gets a clear 400 before any view runs (uploaded files
are not text and are checked elsewhere)."""

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.html import escape
from django.utils.translation import gettext as _


def is_storable(text: str) -> bool:
    return "\x00" not in text and not any("\ud800" <= char <= "\udfff" for char in text)


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _request_texts(request: HttpRequest) -> Iterable[str]:
    yield request.path
    for key, values in request.GET.lists():
        yield key
        yield from values
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    content_type = request.content_type or ""
    if content_type == "application/json":
        if b"\x00" in request.body:
            yield "\x00"
            return
        try:
            yield from _strings(json.loads(request.body or b"null"))
        except (ValueError, UnicodeDecodeError):
            return  # not JSON at all: the API's parser answers that
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            for key, values in request.POST.lists():
                yield key
                yield from values
        except MultiPartParserError:
            return  # a broken upload: the view's form answers that


class RefuseUnstorableTextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if all(is_storable(text) for text in _request_texts(request)):
            return self.get_response(request)
        message = _(
            "The request contains characters that cannot be stored. Remove them and try again."
        )
        if request.path.startswith("/open311/"):
            if request.path.endswith(".xml"):
                body = (
                    '<?xml version="1.0" encoding="utf-8"?><errors><error><code>400</code>'
                    f"<description>{escape(message)}</description></error></errors>"
                )
                return HttpResponse(body, status=400, content_type="text/xml; charset=utf-8")
            return JsonResponse([{"code": 400, "description": message}], status=400, safe=False)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": message, "code": "invalid_characters", "errors": {}}, status=400
            )
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
