"""What every desk page shares: the counter-role check, the acting session, the service point."""

from apps.accounts.http import AuthenticatedHttpRequest
from apps.accounts.models import ServicePoint, StaffMembership
from apps.accounts.permissions import staff_required
from apps.audit.context import AuditContext

from ... import services

counter_required = staff_required(StaffMembership.Role.COUNTER)

# The resident and mandate a counter member is acting for in this browser session.
ACTING_SESSION_KEY = "acting_for"


def acting_session_end(request: AuthenticatedHttpRequest) -> dict[str, int]:
    """Stop acting for a resident in this session (audited); returns what the session held."""
    acting = request.session.pop(ACTING_SESSION_KEY, None) or {}
    if acting:
        services.acting_stop(
            staff=request.user,
            resident_id=acting.get("resident"),
            mandate_id=acting.get("mandate"),
            context=AuditContext.from_request(request),
        )
    return acting


def _service_point_or_none(request: AuthenticatedHttpRequest) -> ServicePoint | None:
    return services.counter_service_point(user=request.user)
