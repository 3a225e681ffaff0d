"""The daily retention run: anonymise the ended cases past their period, then propose the
cases whose record period ended for destruction, one department's list at a time.

It walks `cases_case` by its primary key in small batches, each in its own short transaction
that locks only its own rows (`SELECT … FOR UPDATE SKIP LOCKED`: a case a clerk is working on
right now is skipped, and taken the next day) and writes the run's cursor with the batch, so a
run that stopped (a worker killed, a deploy) goes on after the last batch it committed, and a
finished day is not run again. A case is anonymised once (`CaseRetention.anonymised_at`) and
proposed once, and a case on legal hold is never selected."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.cases.models import Case

from ..models import DestructionItem, DestructionList, RetentionRun
from ..selectors import (
    ENDED_STATES,
    Periods,
    add_years,
    case_anonymise_due,
    case_destroy_due,
    case_ended_on,
    schedule_periods,
    shortest_period,
)
from .anonymise import case_anonymise

OPEN_LIST_STATES = (
    DestructionList.State.PROPOSED,
    DestructionList.State.OFFICER_APPROVED,
    DestructionList.State.LEAD_APPROVED,
    DestructionList.State.APPROVED,
    DestructionList.State.DESTROYED,
)


def batch_size() -> int:
    """How many cases one batch takes (`RETENTION_BATCH_SIZE`)."""
    return int(getattr(settings, "RETENTION_BATCH_SIZE", 200))


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _created_before(day: date, years: int | None) -> datetime | None:
    """A case created on or after this moment cannot have ended `years` before `day`."""
    if years is None:
        return None
    return _start_of(add_years(day=day, years=-years) + timedelta(days=1))


def _anonymise_batch(run_id: int, periods: dict[int, Periods], size: int) -> bool:
    """One batch of the anonymising phase; False when the phase has nothing left."""
    with transaction.atomic():
        run = RetentionRun.objects.select_for_update().get(pk=run_id)
        if run.phase != RetentionRun.Phase.ANONYMISE:
            return False
        limit = _created_before(run.day, shortest_period(periods=periods, kind="anonymise_years"))
        if limit is None:
            run.phase, run.cursor = RetentionRun.Phase.PROPOSE, 0
            run.save(update_fields=["phase", "cursor", "updated_at"])
            return False
        cases = list(
            Case.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__gt=run.cursor, state__in=ENDED_STATES, created_at__lt=limit)
            .exclude(retention__anonymised_at__isnull=False)
            .exclude(retention__legal_hold=True)
            .order_by("pk")[:size]
        )
        if not cases:
            run.phase, run.cursor = RetentionRun.Phase.PROPOSE, 0
            run.save(update_fields=["phase", "cursor", "updated_at"])
            return False
        for case in cases:
            case_periods = periods.get(case.service_id)
            if case_periods is None or case_periods.anonymise_years is None:
                continue
            due = case_anonymise_due(case=case, periods=case_periods)
            if due is None or due > run.day:
                continue
            counts = case_anonymise(
                case=case,
                account_cutoff=_start_of(
                    add_years(day=run.day, years=-case_periods.anonymise_years)
                ),
            )
            if counts:
                run.anonymised += 1
                run.files_removed += counts.get("files", 0)
        run.cursor = cases[-1].pk
        run.batches += 1
        run.save()
        return True


def _department_list(run: RetentionRun, department_id: int) -> DestructionList:
    found: DestructionList | None = DestructionList.objects.filter(
        run=run, department_id=department_id, state=DestructionList.State.PROPOSED
    ).first()
    if found is not None:
        return found
    created: DestructionList = DestructionList.objects.create(run=run, department_id=department_id)
    audit_record(
        action=AuditAction.DESTRUCTION_LIST_PROPOSE,
        target=created,
        data={"department": department_id, "run": run.day},
    )
    return created


def _propose_batch(run_id: int, periods: dict[int, Periods], size: int) -> bool:
    """One batch of the proposing phase; False when it has nothing left."""
    with transaction.atomic():
        run = RetentionRun.objects.select_for_update().get(pk=run_id)
        if run.phase != RetentionRun.Phase.PROPOSE:
            return False
        limit = _created_before(run.day, shortest_period(periods=periods, kind="destroy_years"))
        cases = []
        if limit is not None:
            cases = list(
                Case.objects.filter(
                    pk__gt=run.cursor,
                    created_at__lt=limit,
                    retention__anonymised_at__isnull=False,
                    retention__destroyed_at__isnull=True,
                    retention__legal_hold=False,
                )
                .exclude(destruction_items__list__state__in=OPEN_LIST_STATES)
                .select_related("service")
                .order_by("pk")[:size]
            )
        if not cases:
            run.phase = RetentionRun.Phase.DONE
            run.finished_at = timezone.now()
            run.save()
            audit_record(
                action=AuditAction.RETENTION_RUN_FINISH,
                target=run,
                data={
                    "day": run.day,
                    "anonymised": run.anonymised,
                    "files_removed": run.files_removed,
                    "proposed": run.proposed,
                    "batches": run.batches,
                },
            )
            return False
        for case in cases:
            case_periods = periods.get(case.service_id)
            due = case_destroy_due(case=case, periods=case_periods) if case_periods else None
            if due is None or due > run.day:
                continue
            department_id = case.lead_department_id or case.service.lead_department_id
            DestructionItem.objects.create(
                list=_department_list(run, department_id),
                case=case,
                case_number=case.ref,
                service_code=case.service.code,
                ended_on=case_ended_on(case=case),
                destroy_due=due,
            )
            run.proposed += 1
        run.cursor = cases[-1].pk
        run.batches += 1
        run.save()
        return True


def retention_run(
    *, day: date | None = None, size: int | None = None, max_batches: int | None = None
) -> RetentionRun:
    """Run (or go on with) the retention run of `day` (today). Idempotent: a finished day
    returns at once; an unfinished one resumes after its last committed batch. `max_batches`
    stops early (the next call goes on), as a stopped worker would."""
    day = day or timezone.localdate()
    size = size or batch_size()
    RetentionRun.objects.get_or_create(day=day)
    run = RetentionRun.objects.get(day=day)
    periods = schedule_periods()
    done = 0
    for step in (_anonymise_batch, _propose_batch):
        while max_batches is None or done < max_batches:
            if not step(run.pk, periods, size):
                break
            done += 1
    run.refresh_from_db()
    return run
