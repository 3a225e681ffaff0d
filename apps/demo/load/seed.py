"""Drive the load: plan every case's final state and start, write them in time order, chunk by
chunk, and close the audit chain."""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from apps.accounts.models import ResidentProfile, User
from apps.cases.models import CaseNumberSequence

from .complaints import CaseStories
from .people import build_city, write_residents
from .records import LOCAL, SHARED_PDF, SHARED_PHOTO
from .story import S
from .writer import BackgroundWriter, fast_load, is_postgresql, sequences_reset

YEARS = 2
CHUNK = 5000
FAST_LOAD_FROM = 20000  # cases: below this the indexes stay on (the test's small loads)

# (kind, state, share of all cases in percent, (probability, min days ago, max days ago)...)
PLAN = [
    ("application", S.DRAFT, 2.0, ((0.7, 0, 20), (0.3, 20, 730))),
    ("application", S.SUBMITTED, 1.5, ((0.9, 0, 2), (0.1, 2, 40))),
    ("application", S.NEEDS_CORRECTION, 1.0, ((1.0, 0.5, 25),)),
    ("application", S.IN_REVIEW, 3.0, ((0.85, 0.5, 12), (0.15, 12, 120))),
    ("application", S.APPROVED, 40.0, ((1.0, 15, 730),)),
    ("application", S.REJECTED, 4.0, ((1.0, 15, 730),)),
    ("application", S.NOT_ACCEPTED, 3.0, ((1.0, 3, 730),)),
    ("application", S.WITHDRAWN, 2.0, ((1.0, 1, 730),)),
    ("application", S.CLOSED, 13.5, ((1.0, 60, 730),)),
    ("complaint", S.SUBMITTED, 0.5, ((0.9, 0, 0.5), (0.1, 0.5, 5))),
    ("complaint", S.DISPATCHED, 0.8, ((0.8, 0.05, 1), (0.2, 1, 20))),
    ("complaint", S.IN_PROGRESS, 1.5, ((0.8, 0.5, 10), (0.2, 10, 60))),
    ("complaint", S.REPLIED, 2.0, ((1.0, 0.5, 14),)),
    ("complaint", S.CLOSED, 24.0, ((1.0, 30, 730),)),
    ("complaint", S.MERGED, 1.2, ((1.0, 1, 730),)),
]
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 16, 14, 10, 14, 16, 16, 14, 10, 8, 6, 5, 4, 2, 1]


@dataclass
class Report:
    cases: Counter[tuple[str, str]] = field(default_factory=Counter)
    rows: dict[str, int] = field(default_factory=dict)
    residents: int = 0
    seconds: float = 0.0
    accounts: list[dict[str, object]] = field(default_factory=list)


def plan(*, count: int, rng: random.Random, now: datetime) -> list[tuple[float, str, str]]:
    """(start timestamp, kind, final state) of every case, oldest first; the first few cases
    take every (kind, state) once, so even a small load has each state."""
    weights = [share for _kind, _state, share, _ages in PLAN]
    planned: list[tuple[float, str, str]] = []
    for index in range(count):
        entry = PLAN[index] if index < len(PLAN) else rng.choices(PLAN, weights)[0]
        kind, state, _share, ages = entry
        band = rng.choices(ages, [p for p, _lo, _hi in ages])[0]
        start = _working_time(now - timedelta(days=rng.uniform(band[1], band[2])), rng, now)
        planned.append((start.timestamp(), kind, state))
    planned.sort()
    return planned


def _working_time(at: datetime, rng: random.Random, now: datetime) -> datetime:
    """The same day at an hour people file things (weekends quieter), never after now."""
    local = at.astimezone(LOCAL)
    if local.weekday() >= 5 and rng.random() < 0.6:
        local -= timedelta(days=local.weekday() - 4)
    hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
    local = local.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))
    result = local.astimezone(UTC)
    return min(result, now - timedelta(minutes=rng.uniform(1, 30)))


def seed_load(
    *, cases: int, seed: int, now: datetime, log: Callable[[str], None], fast: bool | None = None
) -> Report:
    """Write `cases` cases (and their city) into an empty portal; see the package's docstring."""
    rng = random.Random(seed)  # noqa: S311 - test data, reproducible on purpose
    started = time.monotonic()
    report = Report()
    fast = is_postgresql() and cases >= FAST_LOAD_FROM if fast is None else fast
    _shared_files()
    with transaction.atomic():
        city = build_city(seed=seed, rng=rng)
        report.accounts = city.accounts
        planned = plan(count=cases, rng=rng, now=now)
        log(
            f"planned {cases} cases; {len(city.applications)} services, "
            f"{len(city.categories)} complaint categories, {len(city.departments)} departments"
        )
        records = CaseStories(city=city, rng=rng, now=now, seed=seed)
        tables = [t.name for t in records.tables]
        tables += [User._meta.db_table, ResidentProfile._meta.db_table]
        with fast_load(tables, log=log) if fast else _nothing():
            first = datetime.fromtimestamp(planned[0][0], UTC) if planned else now
            residents = write_residents(count=max(1, cases // 5), rng=rng, start=first)
            report.residents = len(residents)
            log(f"{len(residents)} residents written")
            _write_cases(records, planned, residents, report, log, started)
        sequences_reset(_models(records))
        for (prefix, year), last in sorted(records.numbers.items()):
            CaseNumberSequence.objects.update_or_create(
                prefix=prefix, year=year, defaults={"last": last}
            )
        records.audit_head_save()
    report.cases = records.state_counts
    report.rows = {t.name: t.written for t in records.tables}
    report.seconds = time.monotonic() - started
    return report


def _write_cases(
    records: CaseStories,
    planned: list[tuple[float, str, str]],
    residents: list[int],
    report: Report,
    log: Callable[[str], None],
    started: float,
) -> None:
    rng, total = records.rng, len(planned)
    last_log = 0.0
    writer = BackgroundWriter()
    for offset in range(0, total, CHUNK):
        chunk = planned[offset : offset + CHUNK]
        for start, kind, state in chunk:
            case_id = records.cases.new_id()
            story = records.application if kind == "application" else records.complaint
            story(
                case_id=case_id,
                state=state,
                created=datetime.fromtimestamp(start, UTC),
                applicant=rng.choice(residents),
            )
        following = planned[offset + CHUNK][0] if offset + CHUNK < total else None
        records.audit_flush(until=following)
        writer.submit(records.tables)
        done = offset + len(chunk)
        elapsed = time.monotonic() - started
        if time.monotonic() - last_log > 5 or done == total:
            last_log = time.monotonic()
            rate = done / elapsed if elapsed else 0.0
            eta = (total - done) / rate if rate else 0.0
            log(
                f"{done:,}/{total:,} cases ({done * 100 // total}%), {rate:,.0f} cases/s, "
                f"{records.audit.written:,} audit events, eta {eta / 60:.1f} min"
            )
    writer.wait()


def _models(records: CaseStories) -> list[type]:
    return [t.model for t in records.tables] + [User, ResidentProfile]


def _shared_files() -> None:
    """The one small file every seeded attachment and document points at."""
    for name, content in (
        (SHARED_PDF, b"%PDF-1.4\n% seed_load placeholder\n%%EOF\n"),
        (SHARED_PHOTO, b"\xff\xd8\xff\xe0 seed_load placeholder \xff\xd9"),
    ):
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(content))


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def states_planned() -> list[tuple[str, str]]:
    return [(kind, state) for kind, state, _share, _ages in PLAN]
