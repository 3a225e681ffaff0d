"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) at /open311/v2/, in JSON and
XML, so existing Open311 clients can file and track complaints.

The spec's names: a service is a complaint category (`metadata` true when it asks questions,
its service definition lists them as attributes), a service request is a complaint (its
`service_request_id` is the case number), `status` is open until the case is closed (a replied
complaint may still be reopened), `status_notes` say for the public what happened last,
`expected_datetime` is the due time, and `media_url` the reporter's first photo when they did not
hide their identity (`media/<signed token>`, the re-encoded picture without metadata). POST needs
an API key (an `Open311Client`, or one of settings.OPEN311_API_KEYS), in the query string or
the form. A `jurisdiction_id` other than settings.OPEN311_JURISDICTION_ID is 404; every error is
the spec's list of {code, description} with its HTTP status (see open311_render.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from apps.audit.services import client_ip
from apps.catalog.selectors import complaint_category_get
from apps.core.db_router import read_from_replica
from apps.core.exceptions import ApplicationError, TooManyAttemptsError

from . import open311_render as out
from . import open311_selectors as selectors
from . import services
from .selectors import complaint_category_questions

MAX_DAYS = 90
STATUSES = {"open", "closed"}
ATTRIBUTE = re.compile(r"attribute\[([^\[\]]+)\](\[\])?")
MEDIA_TYPES = {"image/jpeg", "image/png", "image/webp"}

View = Callable[..., HttpResponseBase]


def open311_view(*methods: str) -> Callable[[View], View]:
    """Open311's edge for a view: no CSRF (clients carry an API key, not a session), another
    method or a foreign `jurisdiction_id` answered as an Open311 error list."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
            fmt = str(kwargs.get("fmt", "json"))
            if request.method not in allowed:
                response = out.error(
                    fmt,
                    405,
                    _("This resource does not answer %(method)s.") % {"method": request.method},
                )
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            jurisdiction = request.GET.get("jurisdiction_id", "")
            if request.method == "POST":
                jurisdiction = jurisdiction or request.POST.get("jurisdiction_id", "")
            own = getattr(settings, "OPEN311_JURISDICTION_ID", "")
            if jurisdiction and jurisdiction != own:
                return out.error(fmt, 404, _("This endpoint does not serve that jurisdiction_id."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _media_url(request: HttpRequest) -> Callable[[selectors.Open311Request], str | None]:
    def media_url(found: selectors.Open311Request) -> str | None:
        if found.photo_id is None:
            return None
        token = selectors.open311_media_token(attachment_id=found.photo_id)
        return request.build_absolute_uri(reverse("open311-media", args=[token]))

    return media_url


# --- services -----------------------------------------------------------------------------------


@open311_view("GET")
@read_from_replica()
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    data = [out.service(item, metadata=asks) for item, asks in selectors.open311_services()]
    return out.render(data, fmt=fmt, root="services", item="service")


@open311_view("GET")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    item = complaint_category_get(code=code)
    if item is None:
        return out.error(fmt, 404, _("There is no such service."))
    questions = complaint_category_questions(service=item)
    return out.render(out.service_definition(item, questions), fmt=fmt, root="service_definition")


# --- requests -----------------------------------------------------------------------------------


def _parse_date(value: str) -> datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value.replace(" ", "+"))
    if parsed is None:
        raise ValueError(value)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


@open311_view("GET", "POST")
def requests_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _request_create(request, fmt)
    ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if not ids:
        return _requests_search(request, fmt)
    # Asking after given requests (often just filed): from the primary.
    cases = selectors.open311_request_list(numbers=ids)
    return out.requests(cases, media_url=_media_url(request), fmt=fmt)


@read_from_replica()
def _requests_search(request: HttpRequest, fmt: str) -> HttpResponse:
    """The requests of a period (at most 90 days), from the replica where there is one."""
    try:
        start = _parse_date(request.GET.get("start_date", ""))
        end = _parse_date(request.GET.get("end_date", ""))
    except ValueError:
        return out.error(fmt, 400, _("Give dates in W3C format, e.g. 2026-03-01T00:00:00Z."))
    if start and end and start > end:
        return out.error(fmt, 400, _("start_date must be before end_date."))
    end = end or max(timezone.now(), start or timezone.now())
    start = start or end - timedelta(days=MAX_DAYS)
    if end - start > timedelta(days=MAX_DAYS):
        return out.error(fmt, 400, _("The date range can be at most 90 days."))
    statuses = {s.strip() for s in request.GET.get("status", "").split(",") if s.strip()}
    if statuses - STATUSES:
        return out.error(fmt, 400, _("status is open or closed (or both, comma-separated)."))
    cases = selectors.open311_request_list(
        start=start,
        end=end,
        service_codes=[c for c in request.GET.get("service_code", "").split(",") if c],
        status=statuses.pop() if len(statuses) == 1 else "",
    )
    return out.requests(cases, media_url=_media_url(request), fmt=fmt)


@open311_view("GET")
def request_detail(request: HttpRequest, ref: str, fmt: str) -> HttpResponse:
    case = selectors.open311_request_get(number=ref)
    if case is None:
        return out.error(fmt, 404, _("There is no such service request."))
    return out.requests([case], media_url=_media_url(request), fmt=fmt)


def _attributes(data: QueryDict) -> dict[str, list[str]]:
    """`attribute[code]=value`, and `attribute[code][]=value` repeated for several values."""
    found: dict[str, list[str]] = {}
    for key in data:
        match = ATTRIBUTE.fullmatch(key)
        if match:
            found.setdefault(match.group(1), []).extend(data.getlist(key))
    return found


def _request_create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    key = request.GET.get("api_key") or data.get("api_key", "")
    configured = getattr(settings, "OPEN311_API_KEYS", None) or []
    try:
        services.open311_post_count(client_ip=client_ip(request) or "")
        if not selectors.open311_key_valid(key=key, configured=configured):
            return out.error(fmt, 403, _("A valid api_key is needed to post a service request."))
        services.open311_post_count(client_ip=client_ip(request) or "", api_key=key)
    except TooManyAttemptsError as exc:
        refused = out.error(fmt, 429, str(exc.message))
        refused["Retry-After"] = str(exc.extra["retry_after"])
        return refused
    code = data.get("service_code", "").strip()
    if not code:
        return out.error(fmt, 400, _("service_code is required."))
    service = complaint_category_get(code=code)
    if service is None:
        return out.error(fmt, 404, _("There is no such service_code."))
    questions = complaint_category_questions(service=service)
    name = " ".join(p for p in (data.get("first_name", ""), data.get("last_name", "")) if p)
    try:
        case = services.open311_request_file(
            service=service,
            questions=questions,
            attributes=_attributes(data),
            complaint_type=data.get("complaint_type", ""),
            description=data.get("description", ""),
            address=data.get("address_string", ""),
            latitude=data.get("lat") or None,
            longitude=data.get("long") or None,
            reporter_name=name,
            reporter_phone=data.get("phone", ""),
            media_url=data.get("media_url", ""),
            # Pictures posted as multipart `media` files (a media_url is never fetched).
            photos=request.FILES.getlist("media"),
        )
    except ApplicationError as exc:
        return out.error(fmt, 400, *services.open311_errors(exc=exc, questions=questions))
    except ValidationError as exc:
        return out.error(fmt, 400, *exc.messages)
    due = out.iso(case.due_at)
    notice = (
        _("Received. Expected answer by %(due)s.") % {"due": due}
        if due
        else _("Received. The time limit of the category runs from dispatch.")
    )
    created = {"service_request_id": case.number, "service_notice": notice, "account_id": None}
    return out.render([created], fmt=fmt, root="service_requests", item="request", status=201)


# --- media and the rest -------------------------------------------------------------------------


@open311_view("GET")
def media_file(request: HttpRequest, token: str) -> HttpResponseBase:
    """A published photo: the stored copy, re-encoded from its pixels at filing (no EXIF, no
    location), served so that no browser runs or sniffs it. Gone once no longer published."""
    photo = selectors.open311_media_get(token=token)
    if photo is None or photo.content_type not in MEDIA_TYPES:
        return out.error("json", 404, _("There is no such picture."))
    extension = photo.content_type.rsplit("/", 1)[-1].replace("jpeg", "jpg")
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Content-Disposition"] = f'inline; filename="photo.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    fmt = "xml" if request.path.endswith(".xml") else "json"
    return out.error(fmt, 404, _("There is no such Open311 resource."))
