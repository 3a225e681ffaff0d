"""Reads: the periods the schedule gives a service, when a case ended and when its periods
end, the cases on hold, the destruction lists a staff member may see."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.accounts.models import Department, StaffMembership, User
from apps.cases.models import Case
from apps.catalog.models import ArchiveClass, ServiceItem
from apps.documents.models import Document

from .models import CaseRetention, DestructionList, RetentionRule

Role = StaffMembership.Role

# A complaint's reporter is forgotten 3 years after the case ended (Signalen does it after 1;
# the city keeps the 12345 record's people for the appeal and supervision periods).
COMPLAINT_PERSONAL_DATA_YEARS = 3
ARCHIVE_YEARS = {ArchiveClass.TEN_YEARS: 10, ArchiveClass.THIRTY_YEARS: 30}

# The states in which a case has ended: only these are ever anonymised or destroyed.
ENDED_STATES = (
    Case.State.APPROVED,
    Case.State.REJECTED,
    Case.State.NOT_ACCEPTED,
    Case.State.WITHDRAWN,
    Case.State.CLOSED,
    Case.State.MERGED,
)


@dataclass(frozen=True)
class Periods:
    """Years after a case ended: until its personal data goes, until its record may be
    destroyed (None: never, a permanent record)."""

    anonymise_years: int | None
    destroy_years: int | None


def retention_periods(*, service: ServiceItem, rule: RetentionRule | None = None) -> Periods:
    """The service's periods: its rule's where set, else the default for its kind
    (complaints: personal data 3 years; applications: their archive class; the record: the
    archive class, never for a permanent one)."""
    archive = ARCHIVE_YEARS.get(ArchiveClass(service.archive_class))
    if service.kind == ServiceItem.Kind.COMPLAINT:
        anonymise: int | None = COMPLAINT_PERSONAL_DATA_YEARS
    else:
        anonymise = archive
    destroy = archive
    if rule is not None:
        if rule.anonymise_after_years is not None:
            anonymise = rule.anonymise_after_years
        if rule.destroy_after_years is not None:
            destroy = rule.destroy_after_years
    if anonymise is not None and destroy is not None:
        anonymise = min(anonymise, destroy)
    return Periods(anonymise_years=anonymise, destroy_years=destroy)


def schedule_periods() -> dict[int, Periods]:
    """Every service's periods by service id (one query per table, read once per batch)."""
    rules = {rule.service_id: rule for rule in RetentionRule.objects.all()}
    return {
        service.pk: retention_periods(service=service, rule=rules.get(service.pk))
        for service in ServiceItem.objects.all()
    }


def schedule_rows() -> list[tuple[ServiceItem, Periods, RetentionRule | None]]:
    """The schedule as the records officer's page shows it."""
    rules = {rule.service_id: rule for rule in RetentionRule.objects.all()}
    return [
        (
            service,
            retention_periods(service=service, rule=rules.get(service.pk)),
            rules.get(service.pk),
        )
        for service in ServiceItem.objects.select_related("lead_department").order_by(
            "kind", "code"
        )
    ]


def add_years(*, day: date, years: int) -> date:
    """The same day `years` later (or earlier); 28 February for a 29th without one."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def case_ended_on(*, case: Case) -> date:
    """The day a case ended: its decision or reply, else its submission, else its creation."""
    moment: datetime = case.decided_at or case.submitted_at or case.created_at
    return timezone.localdate(moment)


def case_anonymise_due(*, case: Case, periods: Periods) -> date | None:
    """The day the case's personal data goes (None: kept as long as a permanent record)."""
    if periods.anonymise_years is None:
        return None
    return add_years(day=case_ended_on(case=case), years=periods.anonymise_years)


def case_destroy_due(*, case: Case, periods: Periods) -> date | None:
    """The day the case's record may be proposed for destruction (None: never)."""
    if periods.destroy_years is None:
        return None
    return add_years(day=case_ended_on(case=case), years=periods.destroy_years)


def shortest_period(*, periods: dict[int, Periods], kind: str) -> int | None:
    """The fewest years any service keeps `kind` (`anonymise_years` or `destroy_years`)."""
    years = [getattr(p, kind) for p in periods.values() if getattr(p, kind) is not None]
    return min(years) if years else None


def case_on_hold(*, case: Case) -> bool:
    """Whether the case is on legal hold."""
    return CaseRetention.objects.filter(case=case, legal_hold=True).exists()


def cases_on_hold_among(*, case_ids: Collection[int]) -> set[int]:
    """The ids among `case_ids` on legal hold (privacy's reader: `privacy/holds.py`)."""
    return set(
        CaseRetention.objects.filter(case_id__in=case_ids, legal_hold=True).values_list(
            "case_id", flat=True
        )
    )


def holds_list(*, user: User) -> QuerySet[CaseRetention]:
    """The cases of `user`'s departments on legal hold, newest hold first."""
    return (
        CaseRetention.objects.filter(
            legal_hold=True, case__lead_department__in=records_departments_for(user=user)
        )
        .select_related("case", "case__service", "hold_changed_by")
        .order_by("-hold_changed_at")
    )


def records_departments_for(*, user: User) -> list[Department]:
    """The departments whose destruction lists `user` works on (records officer or lead)."""
    ids = StaffMembership.objects.filter(
        user=user, is_active=True, role__in=[Role.RECORDS_OFFICER, Role.LEAD]
    ).values_list("department_id", flat=True)
    return list(Department.objects.filter(pk__in=ids).order_by("code"))


def destruction_lists_for_user(*, user: User) -> QuerySet[DestructionList]:
    """The destruction lists of `user`'s departments (as records officer or lead), newest first."""
    lists: QuerySet[DestructionList] = (
        DestructionList.objects.filter(department__in=records_departments_for(user=user))
        .select_related("department", "officer_approved_by", "lead_approved_by")
        .order_by("-created_at", "-id")
    )
    return lists


def destruction_list_get_for_user(*, user: User, pk: int) -> DestructionList:
    """A list of one of `user`'s departments, or 404."""
    found = destruction_lists_for_user(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def case_for_hold(*, user: User, number: str) -> Case | None:
    """The case a records officer or lead puts on hold: one of their departments', or None."""
    departments = records_departments_for(user=user)
    case: Case | None = (
        Case.objects.filter(Q(number=number.strip()) | Q(reference=number.strip()))
        .filter(lead_department__in=departments)
        .first()
    )
    return case


OPEN_FOR_APPROVAL = (
    DestructionList.State.PROPOSED,
    DestructionList.State.OFFICER_APPROVED,
    DestructionList.State.LEAD_APPROVED,
)


def destruction_items(*, destruction_list: DestructionList) -> list[dict[str, object]]:
    """The list's cases with where each stands (on hold since, destroyed)."""
    items = list(destruction_list.items.order_by("pk"))
    states = {
        state.case_id: state
        for state in CaseRetention.objects.filter(case_id__in=[i.case_id for i in items])
    }
    return [
        {
            "item": item,
            "on_hold": bool(states.get(item.case_id) and states[item.case_id].legal_hold),
            "destroyed_at": states[item.case_id].destroyed_at if item.case_id in states else None,
        }
        for item in items
    ]


def destruction_list_report(*, destruction_list: DestructionList) -> Document:
    """The list's latest sealed report, or 404 before one was issued."""
    if destruction_list.report_id is None:
        raise Http404
    return Document.objects.get(pk=destruction_list.report_id)
