"""Where an action came from, so that services never see an HTTP request.

Who acts (`actor`, `on_behalf_of`) is part of every service's signature, because permission
checks depend on it; where the request came from only matters to the audit trail, so the view
layer packs it once into an `AuditContext` and services pass it through to `audit_record`.
"""

from dataclasses import dataclass

from django.http import HttpRequest

USER_AGENT_MAX_LENGTH = 255


@dataclass(frozen=True, slots=True)
class AuditContext:
    ip_address: str | None = None
    user_agent: str = ""
    # A program that acted, not a person: the OAuth2 client of a department's system, as
    # "<system name> (client <client id>)" (apps/systems). The actor is then the system's own
    # account, and this names the client on every event written for its request.
    client: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> "AuditContext":
        return cls(
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
        )


def client_ip(request: HttpRequest | None) -> str | None:
    """The peer address as the WSGI server saw it (a trusted proxy sets REMOTE_ADDR)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


# Work the portal does by itself (beat tasks, sweeps, management commands).
SYSTEM_CONTEXT = AuditContext()
