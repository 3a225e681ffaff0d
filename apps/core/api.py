"""The API's one error shape, for serializer and service errors alike.

Every refusal answers a JSON object::

    {"detail": "…", "code": "invalid", "errors": {"field": ["…"]}}

`detail` is a translated sentence for a person, `code` a stable word for a program
(`invalid`, `conflict`, `throttled`, `not_found`, `permission_denied`, `not_authenticated`,
`method_not_allowed`, `parse_error`, …), `errors` names the fields at fault (nested fields as
dotted paths, `items.0.name`; errors of the whole object under `non_field_errors`) and is empty
when no field is at fault. A service error may add machine-readable facts beside them (its
`extra`, such as the case's current `state`).
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import ApplicationError


class ApiErrorSerializer(serializers.Serializer):
    """The error shape, for the OpenAPI schema."""

    detail = serializers.CharField()
    code = serializers.CharField()
    # The shape's key is "errors", which shadows Serializer.errors; this serializer only
    # describes the schema and never validates anything.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField())
    )


def query_whole_number(request: Request, name: str, *, maximum: int | None) -> int | None:
    """The query parameter `name` as a whole number from 1 (to `maximum`), None when absent;
    anything else (`null`, `-3`, `2.5`) is a 400 naming the parameter."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise exceptions.ValidationError({name: [_("Enter a whole number from 1.")]})
    if maximum is not None and int(raw) > maximum:
        raise exceptions.ValidationError(
            {name: [_("Enter a whole number from 1 to %(maximum)d.") % {"maximum": maximum}]}
        )
    return int(raw)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        body = {
            **exc.extra,
            "detail": str(exc.message),
            "code": exc.code,
            "errors": {field: [str(m) for m in messages] for field, messages in exc.errors.items()},
        }
        refused = Response(body, status=exc.status_code)
        if "retry_after" in exc.extra:  # a rate limit (apps.core.limits): when to come back
            refused["Retry-After"] = str(exc.extra["retry_after"])
        return refused
    # Django's own refusals in the one shape too: a selector's Http404, and a service's
    # PermissionDenied with its translated reason.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        messages = [m for field_messages in errors.values() for m in field_messages]
        response.data = {
            "detail": messages[0] if len(messages) == 1 else _("Some fields need correcting."),
            "code": "invalid",
            "errors": errors,
        }
    else:
        detail = exc.detail
        response.data = {
            "detail": str(detail) if not isinstance(detail, dict | list) else str(exc),
            "code": getattr(detail, "code", None) or exc.default_code,
            "errors": {},
        }
    return response


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as `{dotted.path: [messages]}`."""
    if isinstance(detail, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(detail, list) and any(isinstance(item, Mapping | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            flat.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    items = detail if isinstance(detail, list) else [detail]
    key = prefix or "non_field_errors"
    return {key: [str(item) for item in items]} if items else {}


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """`handler404`: under /api/ (a path no API matches, an id that is not a number) the error
    shape in JSON; everywhere else the portal's 404 page."""
    if request.path.startswith("/api/"):
        detail = str(exceptions.NotFound.default_detail)
        return JsonResponse({"detail": detail, "code": "not_found", "errors": {}}, status=404)
    return defaults.page_not_found(request, exception)
