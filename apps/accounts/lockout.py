"""What a locked-out sign-in sees (django-axes): the page for people, JSON for the API, both
with the time to wait.

Failed sign-ins are counted by django-axes' AxesDatabaseHandler (settings.AXES_HANDLER) in its
AccessAttempt rows: one count for every web worker. A try while locked out counts as a failure
too, so the lock lasts the cool-off time from the latest try."""

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.core.exceptions import TooManyAttemptsError
from apps.core.limits import too_many_attempts


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        # The API's one error shape (apps.core.api), as a service's TooManyAttemptsError gives.
        refusal = sign_in_locked_error(request)
        response = JsonResponse(
            {
                **refusal.extra,
                "detail": str(refusal.message),
                "code": refusal.code,
                "errors": {},
            },
            status=status,
        )
        response["Retry-After"] = str(refusal.extra["retry_after"])
        return response
    context = {"failure_limit": get_failure_limit(request, credentials)}
    cool_off = get_cool_off(request)
    if cool_off:
        context["cooloff_timedelta"] = cool_off
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=status)


def sign_in_locked_error(request: HttpRequest | None) -> TooManyAttemptsError:
    """The refusal of a locked-out sign-in: 429, with the cool-off time to wait."""
    cool_off = get_cool_off(request)
    wait = int(cool_off.total_seconds()) if cool_off else 60 * 60
    return too_many_attempts(message=_("Too many failed sign-ins."), retry_after=wait)
