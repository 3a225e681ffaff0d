"""What every desk page shares: the counter-role check and mapping service errors to forms."""

from apps.accounts.models import StaffMembership
from apps.accounts.permissions import staff_required
from apps.core.exceptions import ApplicationError

from ... import services

counter_required = staff_required(StaffMembership.Role.COUNTER)


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
