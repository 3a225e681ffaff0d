"""The service API's door: a bearer access token of a department system's client
(django-oauth-toolkit), and the scope each operation names.

The request's user is the system's own account (a clerk of its department), so every service
behind the API checks the same duties as for a clerk; `request.auth` is the access token."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header
from rest_framework.permissions import BasePermission

from apps.audit.context import AuditContext

from . import services
from .models import DepartmentSystem
from .selectors import department_system_for_token


class DepartmentSystemAuthentication(OAuth2Authentication):
    """`Authorization: Bearer <access token>`; a token that is not valid, has expired, was
    revoked or belongs to no active system is refused (401), never read as anonymous."""

    www_authenticate_realm = "systems"

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != b"bearer":
            return None
        result = super().authenticate(request)
        system = department_system_for_token(token=result[1]) if result is not None else None
        if system is None:
            raise exceptions.AuthenticationFailed(
                _("The access token is not valid, has expired or was revoked.")
            )
        request.department_system = system
        return system.user, result[1]


def request_system(request: Any) -> DepartmentSystem:
    """The system a request authenticated as (after `DepartmentSystemAuthentication`)."""
    system = getattr(request, "department_system", None)
    if not isinstance(system, DepartmentSystem):
        raise exceptions.NotAuthenticated()
    return system


def request_audit_context(request: Any) -> AuditContext:
    """Where the request came from, with the system's client named."""
    return services.system_audit_context(
        system=request_system(request), context=AuditContext.from_request(request)
    )


class HasSystemScope(BasePermission):
    """The token carries the view's `required_scope` (else 403, audited by the service)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        system = request_system(request)
        token = request.auth
        services.system_scope_require(
            system=system,
            granted=(getattr(token, "scope", "") or "").split(),
            scope=view.required_scope,
            context=request_audit_context(request),
        )
        return True
