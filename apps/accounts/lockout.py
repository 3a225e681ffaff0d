"""What a locked-out sign-in sees (django-axes): the page for people, JSON for the API."""

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        # The API's one error shape (apps.core.api), as a service's TooManyAttemptsError gives.
        return JsonResponse(
            {
                "detail": _(
                    "Too many failed sign-ins. Try again later, or ask a service point for help."
                ),
                "code": "throttled",
                "errors": {},
            },
            status=status,
        )
    context = {"failure_limit": get_failure_limit(request, credentials)}
    cool_off = get_cool_off(request)
    if cool_off:
        context["cooloff_timedelta"] = cool_off
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=status)
