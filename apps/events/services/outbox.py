"""Writing the outbox: one `Event` per published timeline line, in the line's transaction,
with a `Delivery` per matching subscription queued after commit.

Ordering: ids are handed out when rows are inserted, not when their transactions commit, so
a reader walking ids could pass a row that commits late. The feed walks `sequence` instead,
which only the sequencer gives: after commit, one at a time (an advisory lock), it numbers
the committed rows that have none, above every number given before. A reader therefore never
sees a smaller number appear behind one it has read, and the state changes themselves take no
shared lock for the feed: only the sequencer's short transactions queue, on each other."""

from functools import partial

from django.db import connection, models, transaction

from apps.accounts.models import Department
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


# pg_advisory_xact_lock's key for the sequencer: any constant of the portal's own.
SEQUENCER_LOCK = 0x5E9_0E7E
SEQUENCER_BATCH = 1000


def events_sequence() -> int:
    """Number the committed events that have no number yet, in id order; return how many.
    Runs after every commit that wrote events, and every minute from beat for any commit whose
    after-commit step did not run (a worker killed in between)."""
    numbered = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEQUENCER_LOCK])
            pending = list(
                Event.objects.filter(sequence__isnull=True)
                .order_by("pk")
                .values_list("pk", flat=True)[:SEQUENCER_BATCH]
            )
            if not pending:
                return numbered
            last = Event.objects.aggregate(last=models.Max("sequence"))["last"] or 0
            numbers = {pk: last + place for place, pk in enumerate(pending, start=1)}
            Event.objects.filter(pk__in=pending).update(sequence=_numbers_case("pk", numbers))
            EventDepartment.objects.filter(event_id__in=pending).update(
                sequence=_numbers_case("event_id", numbers)
            )
        numbered += len(pending)
        if len(pending) < SEQUENCER_BATCH:
            return numbered


def events_sequence_pending() -> int:
    """Before a feed read: number what committed without its number yet (one index look-up
    when there is nothing, as nearly always), so a reader is never behind the commits."""
    if not Event.objects.filter(sequence__isnull=True).exists():
        return 0
    return events_sequence()


def _numbers_case(column: str, numbers: dict[int, int]) -> models.Case:
    return models.Case(
        *(models.When(**{column: pk}, then=models.Value(n)) for pk, n in numbers.items()),
        output_field=models.BigIntegerField(),
    )


def events_sequence_after_commit() -> None:
    # robust: the transaction has committed; an event left unnumbered is numbered by beat.
    transaction.on_commit(events_sequence, robust=True)


def event_record_for_line(*, case: Case, line: CaseEvent) -> Event | None:
    """The event a timeline line publishes (`catalogue.VERB_TYPES`), or None."""
    event_type = VERB_TYPES.get(line.verb)
    if event_type is None or not case.number:
        return None
    with transaction.atomic(savepoint=False):  # no round trip for a savepoint of its own
        events_sequence_after_commit()
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
