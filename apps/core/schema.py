"""The OpenAPI schema's one rule for refusals (`DEFAULT_SCHEMA_CLASS`).

Every operation documents the error answers it can give, all in the one shape of
`apps.core.api.ApiErrorSerializer` (the `ApiError` component), decided here from the view
instead of on every view:

- 400 `invalid`: a request body (POST, PUT, PATCH) or query parameters to check;
- 401 `not_authenticated` / `authentication_failed`: any view that reads credentials (a wrong
  or expired bearer token is refused even where anonymous callers are welcome);
- 403 `permission_denied`: a view that needs more than `AllowAny`, and every write (CSRF for a
  session, and a transition's permission checked by the service);
- 404 `not_found`: an object named in the path, or a write that names one in its body (a
  service code, a case reference) or in its query (a category), or a page past a list's end;
- 409 `conflict`: every write (a transition from the wrong state, a stale copy);
- 429 `throttled`: every write and every view open to anonymous callers (`apps.core.limits`),
  with `Retry-After`.

An operation that declares one of these codes itself keeps its own description.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

from .api import ApiErrorSerializer

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

ERROR_DESCRIPTIONS = {
    "400": "The request is not valid: `errors` names the fields at fault.",
    "401": "No credentials, or a bearer token that is not valid or has expired.",
    "403": "The caller may not do this (role, two-factor verification, CSRF, or the rule of "
    "the transition).",
    "404": "No such object, or one the caller may not see.",
    "409": "The object is not in a state that allows this (its `state` is given).",
    "429": "Too many attempts: come back after `Retry-After` seconds.",
}


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema with the portal's error answers on every operation."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        for code in self.error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ApiErrorSerializer, description=ERROR_DESCRIPTIONS[code]),
                    code,
                    direction=direction,
                )
        return dict(sorted(responses.items()))

    def _get_response_headers_for_code(self, status_code: str, direction: Any = "response") -> Any:
        headers = super()._get_response_headers_for_code(status_code, direction)
        if status_code == "429" and "Retry-After" not in headers:
            headers["Retry-After"] = {
                "schema": {"type": "integer", "minimum": 0},
                "description": "Seconds to wait before trying again.",
            }
        return headers

    def error_codes(self) -> list[str]:
        """The error statuses this operation can answer."""
        view = self.view
        writes = self.method in UNSAFE_METHODS
        anonymous = self._open_to_anonymous()
        codes = set()
        if writes or self._has_query_parameters():
            codes.add("400")
        if list(getattr(view, "authentication_classes", [])):
            codes.add("401")
        if writes or not anonymous:
            codes.add("403")
        if writes or "{" in self.path or self._is_paged() or self._has_query_parameters():
            codes.add("404")
        if writes:
            codes.add("409")
        if writes or anonymous:
            codes.add("429")
        return sorted(codes)

    def _open_to_anonymous(self) -> bool:
        permissions = list(getattr(self.view, "permission_classes", []))
        return all(permission is AllowAny for permission in permissions)

    def _is_paged(self) -> bool:
        """A numbered list (declared or by its own `page` parameter): a page past the end."""
        if self._get_pagination_parameters():
            return True
        return any(getattr(p, "name", "") == "page" for p in self.get_override_parameters())

    def _has_query_parameters(self) -> bool:
        if self._get_pagination_parameters() or self._get_filter_parameters():
            return True
        overrides = self.get_override_parameters()
        return any(getattr(p, "location", "query") == "query" for p in overrides)
