from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import health
from .services import care_mode_set


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "resident/home.html")


def design(request: HttpRequest) -> HttpResponse:
    return render(request, "core/design.html")


@require_POST
def care_mode(request: HttpRequest) -> HttpResponse:
    care_mode_set(request=request, enabled=request.POST.get("enabled") == "1")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    return redirect(next_url)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    db_ok, db_detail = health.database_ok()
    broker_ok, broker_detail = health.broker_ok()
    healthy = db_ok and broker_ok
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "database": db_detail, "broker": broker_detail},
        status=200 if healthy else 503,
    )
