"""What every desk page shares: the counter-role check and mapping service errors to forms."""

from django.http import HttpRequest

from apps.accounts.models import StaffMembership
from apps.accounts.permissions import staff_required
from apps.audit.context import AuditContext
from apps.core.exceptions import ApplicationError

from ... import services

counter_required = staff_required(StaffMembership.Role.COUNTER)

# The resident and mandate a counter member is acting for in this browser session.
ACTING_SESSION_KEY = "acting_for"


def acting_session_end(request: HttpRequest) -> dict:
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


def _add_errors(form, exc: ApplicationError, names: dict | None = None) -> None:
    errors = exc.errors
    if not errors:
        form.add_error(None, exc.message)
    for key, messages_ in errors.items():
        name = (names or {}).get(key, key)
        for message in messages_:
            form.add_error(name if name in form.fields else None, message)


def _service_point_or_none(request):
    return services.counter_service_point(request.user)
