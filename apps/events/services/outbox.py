"""Writing the outbox: one `Event` per published timeline line, in the line's transaction,
with a `Delivery` per matching subscription queued after commit.

Ordering: the row is inserted while holding the audit chain head's row lock, which every
state change of the portal takes anyway (`audit_record`). Ids are therefore handed out in the
order transactions commit, and the pull feed (`after=<id>`) never skips a row that commits
late. Taking the lock here first is harmless: the same transaction takes it again for its
audit event, and every path takes only this one lock for the feed."""

from functools import partial

from django.db import transaction

from apps.accounts.models import Department
from apps.audit.models import AuditChainHead
from apps.cases.models import Case, CaseEvent, ReviewTask
from apps.core.links import portal_base_url

from ..catalogue import VERB_TYPES
from ..models import Delivery, Event, EventDepartment, Subscription


def events_source() -> str:
    """The CloudEvents `source`: the portal's public address + /cases."""
    return portal_base_url() + "/cases"


def case_department_ids(*, case: Case) -> set[int]:
    """Who may receive a case's events: its lead department, every department that has had
    a review task of it, and a complaint's co-handling departments (协办): the departments
    that see it on their staff pages."""
    ids = set(ReviewTask.objects.filter(case_id=case.pk).values_list("department_id", flat=True))
    ids.update(case.co_departments.values_list("pk", flat=True))
    # Submission routes an application to its service's lead department right after the
    # transition's line (`case_route_to_lead`): the submitted event is already theirs.
    lead = _lead_department_id(case)
    if lead is not None:
        ids.add(lead)
    return ids


def _lead_department_id(case: Case) -> int | None:
    if case.lead_department_id is None and case.kind == Case.Kind.APPLICATION:
        return case.service.lead_department_id
    return case.lead_department_id


def event_data(*, case: Case, line: CaseEvent, department_ids: set[int]) -> dict[str, object]:
    """References and the minimum: no names, phones, ID numbers, answers, notes or reasons."""
    codes = dict(Department.objects.filter(pk__in=department_ids).values_list("pk", "code"))
    return {
        "case_number": case.number,
        "kind": case.kind,
        "service_code": case.service.code,
        "state": case.state,
        "verb": line.verb,
        "lead_department": codes.get(_lead_department_id(case) or 0),
        "departments": sorted(codes.values()),
        "department": line.department.code if line.department is not None else None,
        "review_round": case.review_round,
    }


def _feed_lock() -> None:
    AuditChainHead.objects.select_for_update().get_or_create(pk=1)


def event_record_for_line(*, case: Case, line: CaseEvent) -> Event | None:
    """The event a timeline line publishes (`catalogue.VERB_TYPES`), or None."""
    event_type = VERB_TYPES.get(line.verb)
    if event_type is None or not case.number:
        return None
    with transaction.atomic():
        _feed_lock()
        department_ids = case_department_ids(case=case)
        event = Event.objects.create(
            type=event_type,
            source=events_source(),
            subject=case.number,
            time=line.created_at,
            data=event_data(case=case, line=line, department_ids=department_ids),
            case=case,
        )
        EventDepartment.objects.bulk_create(
            [EventDepartment(event=event, department_id=pk) for pk in sorted(department_ids)]
        )
        for delivery in deliveries_create(event=event, department_ids=department_ids):
            transaction.on_commit(partial(delivery_queue, delivery_id=delivery.pk))
    return event


def deliveries_create(*, event: Event, department_ids: set[int]) -> list[Delivery]:
    """One delivery per active subscription of the event's departments that wants its type;
    the unique (subscription, event) pair makes a second call add nothing."""
    subscriptions = Subscription.objects.filter(
        department_id__in=department_ids, is_active=True
    ).order_by("pk")
    wanted = [s for s in subscriptions if s.wants(event.type)]
    existing = set(
        Delivery.objects.filter(event=event, subscription__in=wanted).values_list(
            "subscription_id", flat=True
        )
    )
    Delivery.objects.bulk_create(
        [Delivery(subscription=s, event=event) for s in wanted if s.pk not in existing],
        ignore_conflicts=True,
    )
    return list(
        Delivery.objects.filter(event=event, subscription__in=wanted).exclude(
            subscription_id__in=existing
        )
    )


def delivery_queue(*, delivery_id: int) -> None:
    from ..tasks import deliver_event

    deliver_event.apply_async(args=[delivery_id], **_queue_options())


def _queue_options() -> dict[str, str]:
    from django.conf import settings

    queue = getattr(settings, "EVENTS_CELERY_QUEUE", "") or getattr(
        settings, "NOTIFICATIONS_CELERY_QUEUE", ""
    )
    return {"queue": queue} if queue else {}
