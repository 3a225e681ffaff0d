"""Reads for complaints: the queues, one complaint for a page, nearby duplicates, what the
reporter and the staff see, and the Open311 lists. The only way views and APIs load them."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import BooleanField, F, Prefetch, Q, QuerySet, Value, When
from django.db.models import Case as Case_
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed, has_transition_perm
from guardian.shortcuts import get_objects_for_user

from apps.accounts.models import Department, StaffMembership, User
from apps.cases.duties import holds_grant
from apps.cases.models import Attachment, Case, CaseEvent, ExtensionRequest, may_process
from apps.cases.selectors import is_supervisor, staff_department_ids
from apps.catalog.models import FieldDefinition, ServiceItem
from apps.catalog.selectors import field_definition_list
from apps.core.exceptions import ApplicationError
from apps.core.pagination import SeekKey, seek_order

from .models import Complaint
from .services.time_limits import rating_window_days

COMPLAINT_OPEN_STATES = (
    Case.State.SUBMITTED,
    Case.State.DISPATCHED,
    Case.State.IN_PROGRESS,
    Case.State.REPLIED,
)
NEARBY_METRES = 500
# The orders of the staff lists (apps.core.pagination); indexes in apps/cases/models/case.py.
TRIAGE_ORDER = (
    SeekKey("urgency", descending=True),
    SeekKey("submitted_at", nullable=True),
    SeekKey("pk"),
)
DEPARTMENT_ORDER = (SeekKey("due_at", nullable=True), SeekKey("pk"))
COMPLAINT_OVERDUE_ORDER = (SeekKey("due_at"), SeekKey("pk"))


def is_dispatcher(*, user: User) -> bool:
    return bool(staff_department_ids(user=user, roles=(StaffMembership.Role.DISPATCHER,)))


def identity_visible_to(*, case: Case, user: User | None) -> bool:
    """The reporter's name and phone: hidden from the departments when the reporter asked;
    the hotline's dispatchers and supervisors still see them (they call back)."""
    if not case.hide_identity:
        return True
    if user is None or not user.is_authenticated:
        return False
    return case.applicant_id == user.pk or is_dispatcher(user=user) or is_supervisor(user=user)


def complaint_reporter_shown(*, case: Case, user: User) -> dict:
    """Name and phone for this viewer: hidden from departments when the reporter asked."""
    if identity_visible_to(case=case, user=user):
        return {"name": case.reporter_name, "phone": case.reporter_phone, "hidden": False}
    return {"name": _("Identity hidden at the reporter's request"), "phone": "", "hidden": True}


def complaints_nearby(
    *,
    service: ServiceItem,
    latitude: Decimal | float | str | None = None,
    longitude: Decimal | float | str | None = None,
    address: str = "",
    limit: int = 5,
) -> list[Complaint]:
    """Open complaints of the same category within ~500 m (a bounding box, then the distance),
    or at the same address when there are no coordinates: the resident may follow one."""
    cases = Complaint.objects.filter(service=service, state__in=COMPLAINT_OPEN_STATES).exclude(
        number__isnull=True
    )
    if latitude not in (None, "") and longitude not in (None, ""):
        lat, lon = float(latitude), float(longitude)
        dlat = NEARBY_METRES / 111_320
        dlon = NEARBY_METRES / (111_320 * max(math.cos(math.radians(lat)), 0.01))
        candidates = cases.filter(
            latitude__range=(lat - dlat, lat + dlat), longitude__range=(lon - dlon, lon + dlon)
        ).order_by("-submitted_at")[:50]

        def metres(case: Case) -> float:
            x = math.radians(float(case.longitude or 0) - lon) * math.cos(math.radians(lat))
            y = math.radians(float(case.latitude or 0) - lat)
            return math.hypot(x, y) * 6_371_000

        return [c for c in candidates if metres(c) <= NEARBY_METRES][:limit]
    address = (address or "").strip()
    if not address:
        return []
    return list(cases.filter(address__iexact=address).order_by("-submitted_at")[:limit])


# --- the resident's side ------------------------------------------------------------------------


def complaint_get_by_number(*, number: str) -> Complaint | None:
    """A filed complaint by its case number (to follow it), or None."""
    result: Complaint | None = Complaint.objects.filter(number=number).first()
    return result


def complaint_get_for_tracking(*, number: str) -> Complaint | None:
    """A complaint with what its public page shows; the caller decides who may see it."""
    result: Complaint | None = (
        Complaint.objects.filter(number=number)
        .select_related("service", "lead_department", "merged_into", "applicant")
        .first()
    )
    return result


def complaint_photos(*, case: Case) -> QuerySet[Attachment]:
    return case.attachments.filter(field_key="photo")


def complaint_reopen_open_until(*, case: Case) -> datetime | None:
    """Until when the reporter may ask for the case to be handled again (the rating window)."""
    if case.kind != Case.Kind.COMPLAINT or not case.decided_at:
        return None
    if case.state not in (Case.State.REPLIED, Case.State.CLOSED):
        return None
    until = case.decided_at + timedelta(days=rating_window_days())
    return until if until > timezone.now() else None


RESIDENT_STATUS = {
    "received": gettext_lazy("Received"),
    "in_progress": gettext_lazy("In progress"),
    "reopened": gettext_lazy("Reopened"),
    "answered": gettext_lazy("Answered"),
    "closed": gettext_lazy("Closed"),
}


def complaint_resident_status(*, case: Case) -> tuple[str, str]:
    """The fewer, plain states residents see: received, in progress, answered, closed, reopened."""
    state = case.state
    if state == Case.State.MERGED and case.merged_into is not None:
        state = case.merged_into.state
        if state == Case.State.MERGED:
            state = Case.State.IN_PROGRESS
    if state in (Case.State.SUBMITTED, Case.State.DISPATCHED, Case.State.DRAFT):
        key = "received"
    elif state == Case.State.IN_PROGRESS:
        key = "reopened" if case.reopen_count else "in_progress"
    elif state == Case.State.REPLIED:
        key = "answered"
    else:
        key = "closed"
    return key, str(RESIDENT_STATUS[key])


# --- staff: queues and the work order ------------------------------------------------------------


def complaint_triage_list() -> QuerySet[Complaint]:
    """The dispatchers' queue: filed or returned complaints waiting for a department, urgent and
    oldest first."""
    result: QuerySet[Complaint] = (
        Complaint.objects.filter(state=Case.State.SUBMITTED)
        .select_related("service", "lead_department")
        .annotate(
            is_urgent=Case_(
                When(urgency=Case.Urgency.URGENT, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        # "urgent" sorts after "normal": descending puts it first, along the triage index.
        .order_by(*seek_order(TRIAGE_ORDER))
    )
    return result


def complaint_department_list(*, user: User) -> QuerySet[Complaint]:
    """Complaints my departments lead or co-handle, to sign for or being handled; due first."""
    departments = staff_department_ids(user=user)
    return (
        get_objects_for_user(
            user,
            "cases.view_case",
            klass=Complaint,
            accept_global_perms=False,
            with_superuser=False,
        )
        .filter(
            # Co-handled as a subquery, not a join: no DISTINCT, so the walk along
            # complaint_open_due_idx stops at the page's last row instead of sorting every open
            # complaint of the city.
            Q(lead_department_id__in=departments)
            | Q(
                pk__in=Case.co_departments.through.objects.filter(
                    department_id__in=departments
                ).values("case_id")
            ),
            kind=Case.Kind.COMPLAINT,
            state__in=[Case.State.DISPATCHED, Case.State.IN_PROGRESS],
        )
        .select_related("service", "lead_department")
        .order_by(F("due_at").asc(nulls_last=True), "pk")
    )


def complaint_overdue_list() -> QuerySet[Complaint]:
    """督办: complaints past their due time, for supervisors."""
    result: QuerySet[Complaint] = (
        Complaint.objects.filter(
            state__in=[Case.State.DISPATCHED, Case.State.IN_PROGRESS],
            due_at__lt=timezone.now(),
        )
        .select_related("service", "lead_department")
        .order_by(*seek_order(COMPLAINT_OVERDUE_ORDER))
    )
    return result


def complaint_pending_extensions() -> QuerySet[ExtensionRequest]:
    return (
        ExtensionRequest.objects.filter(
            case__kind=Case.Kind.COMPLAINT, state=ExtensionRequest.State.PENDING
        )
        .select_related("case", "case__lead_department", "requested_by")
        .order_by("created_at")
    )


def complaint_extension_get(*, pk: int) -> ExtensionRequest:
    """An extension request of a complaint (the supervisors decide them), or 404."""
    extension = ExtensionRequest.objects.filter(pk=pk, case__kind=Case.Kind.COMPLAINT).first()
    if extension is None:
        raise Http404
    return extension


def complaint_get_for_staff(*, user: User, ref: str) -> Complaint:
    """One complaint for a staff page: dispatchers and supervisors see every complaint, the
    departments those routed to them (404 otherwise)."""
    if is_dispatcher(user=user) or is_supervisor(user=user):
        cases = Complaint.objects.all()
    else:
        cases = get_objects_for_user(
            user,
            "cases.view_case",
            klass=Complaint,
            accept_global_perms=False,
            with_superuser=False,
        )
    case = (
        cases.filter(number=ref)
        .select_related(
            "service",
            "version",
            "applicant",
            "applicant__profile",
            "lead_department",
            "merged_into",
        )
        .prefetch_related(
            "co_departments",
            "media_links",
            Prefetch("attachments", queryset=Attachment.objects.order_by("field_key", "id")),
            Prefetch(
                "events",
                queryset=CaseEvent.objects.select_related(
                    "actor", "on_behalf_of", "department"
                ).order_by("created_at", "id"),
            ),
            Prefetch(
                "extension_requests",
                queryset=ExtensionRequest.objects.select_related(
                    "requested_by", "decided_by"
                ).order_by("-created_at"),
            ),
            Prefetch("merged_cases", queryset=Case.objects.order_by("pk")),
        )
        .first()
    )
    if case is None:
        raise Http404
    result: Complaint = case
    return result


def complaint_merge_target_get(*, number: str) -> Complaint:
    """The complaint a duplicate is merged into, by its number; a clear error when there is none."""
    into = Complaint.objects.filter(number=(number or "").strip()).first()
    if into is None:
        raise ApplicationError(
            _("There is no complaint with that number."),
            errors={"into": [_("Check the case number.")]},
        )
    result: Complaint = into
    return result


def departments_by_codes(*, codes: Sequence[str]) -> dict[str, Department]:
    """The departments with these codes, by code (unknown codes are left out)."""
    return {d.code: d for d in Department.objects.filter(code__in=codes)}


def complaint_staff_actions(*, case: Complaint, user: User) -> dict:
    """The buttons the complaint page shows this person now."""

    def allowed(method: Callable[..., object]) -> bool:
        return can_proceed(method) and has_transition_perm(method, user)

    # The rules of the transitions (`apps/cases/duties.py`): no superuser flag counts.
    process = may_process(case, user)
    handling = case.state in (Case.State.DISPATCHED, Case.State.IN_PROGRESS)
    pending = [
        e for e in case.extension_requests.all() if e.state == ExtensionRequest.State.PENDING
    ]
    return {
        "dispatch": allowed(case.dispatch),
        "merge": allowed(case.merge),
        "sign": allowed(case.sign),
        "return": allowed(case.complaint_return),
        "reply": allowed(case.reply),
        "reopen": is_dispatcher(user=user) and can_proceed(case.reopen),
        "ask": process and case.state == Case.State.IN_PROGRESS and not case.question,
        "extend": process
        and handling
        and case.due_at is not None
        and case.due_at > timezone.now()
        and not pending,
        "decide_extensions": pending if is_supervisor(user=user) else [],
        "note": holds_grant(user, "cases.view_case", case) or is_dispatcher(user=user),
    }


def complaint_category_questions(*, service: ServiceItem) -> list[FieldDefinition]:
    """The questions a category asks (its current version's fields, files aside: pictures come
    as photos or media), in form order. Every channel asks the same ones: the web and desk
    forms, the APIs, and Open311 (they are its service definition's attributes)."""
    version = service.current_version()
    if version is None:
        return []
    return [d for d in field_definition_list(version=version) if not d.is_file]
