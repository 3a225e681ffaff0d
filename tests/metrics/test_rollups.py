"""The daily rollups equal a recount from the raw rows, whatever happened in between.

A random sequence of what the services do to the rows (submit, decide, reopen and decide again,
return for correction, send a complaint back and dispatch it elsewhere, open rating requests,
rate, rate again after a rectification, exclude on appeal, answer and follow up), in rounds with
the incremental catch-up run between them and no look-back (so a change it missed stays
missed), then every figure of every table the dashboard shows, for every reader's scope and
filter, compared with `recount_table` counting the raw rows directly; and the rollups compared
row by row with a rebuild from scratch."""

import random
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.accounts.models import Department, User
from apps.cases.models import Case, CaseEvent
from apps.catalog.models import ServiceItem
from apps.feedback.models import Rating, RatingRequest, Rectification
from apps.metrics.models import DailyFigure, MonthlyFigure
from apps.metrics.selectors import MetricsFilters, Row, metrics_table, recount_table
from apps.metrics.services import rollups_rebuild
from tests.catalog.factories import make_service
from tests.metrics.factories import SHANGHAI, make_case, make_request, refresh

pytestmark = pytest.mark.django_db

START = date(2025, 1, 1)
WINDOW_DAYS = 120
PERIOD = MetricsFilters(start=date(2025, 1, 1), end=date(2025, 6, 1))
VIEWS = ([], ["department"], ["service"], ["channel"], ["month"])
FINEST = ["department", "service", "channel", "month"]


def _figures(row: Row) -> tuple:
    return (*[getattr(row, name) for name in Row.COUNTERS], dict(row.working_days))


def _table(rows: list[Row]) -> dict:
    return {row.key: _figures(row) for row in rows}


def assert_rollups_equal_recount(filters: MetricsFilters) -> None:
    for group_by in [*VIEWS, FINEST]:
        from_rollups = _table(metrics_table(group_by=group_by, filters=filters))
        from_raw = _table(recount_table(group_by=group_by, filters=filters))
        assert from_rollups == from_raw, (group_by, filters)


def snapshot() -> tuple[list, list]:
    key = ("department_id", "service_id", "channel", *_counter_names(), "working_days")
    figures = sorted(DailyFigure.objects.values_list("day", *key), key=str)
    months = sorted(MonthlyFigure.objects.values_list("month", *key), key=str)
    return figures, months


def _counter_names() -> list[str]:
    from apps.metrics.models import COUNTER_FIELDS

    return list(COUNTER_FIELDS)


class World:
    """Departments, services and cases, and the random things that happen to them."""

    def __init__(self, rng: random.Random, departments: list[Department]):
        self.rng = rng
        self.departments = departments
        self.applications = [
            make_service(department=department, code=f"app-{i}", name_zh=f"事项{i}")
            for i, department in enumerate(departments)
        ]
        self.complaints = make_service(
            department=departments[0],
            code="complaint",
            name_zh="投诉",
            kind=ServiceItem.Kind.COMPLAINT,
        )
        self.applicant = User.objects.create_user(email="many@example.cn", display_name="many")

    # --- time ---------------------------------------------------------------------------
    def moment(self, after=None):
        """A moment in Beijing time; often near midnight or a month's end."""
        rng = self.rng
        if after is None:
            day = START + timedelta(days=rng.randrange(WINDOW_DAYS))
        else:
            day = timezone.localtime(after, SHANGHAI).date() + timedelta(days=rng.randrange(0, 40))
        hour, minute = rng.choice([(0, 30), (10, 0), (15, 45), (23, 30)])
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)

    # --- rows -----------------------------------------------------------------------------
    def cases(self, **filters) -> list[Case]:
        return list(Case.objects.filter(**filters).order_by("pk"))

    def pick(self, items):
        return self.rng.choice(items) if items else None

    def update(self, case: Case, **fields) -> None:
        # what a transition's save does: the fields, and updated_at
        Case.objects.filter(pk=case.pk).update(**fields, updated_at=timezone.now())

    def event(self, case: Case, verb: str, *, touch_case: bool = True) -> None:
        CaseEvent.objects.create(case=case, verb=verb)
        if touch_case:
            self.update(case)

    # --- actions ----------------------------------------------------------------------------
    def create(self) -> None:
        rng = self.rng
        complaint = rng.random() < 0.3
        service = self.complaints if complaint else self.pick(self.applications)
        case = make_case(
            service,
            self.applicant,
            kind=Case.Kind.COMPLAINT if complaint else Case.Kind.APPLICATION,
            channel=rng.choice(list(Case.Channel)),
            state=Case.State.DRAFT,
        )
        if complaint and rng.random() < 0.5:
            self.update(case, lead_department=None)  # not dispatched yet
        if rng.random() < 0.8:
            self.submit(case)

    def submit(self, case: Case | None = None) -> None:
        case = case or self.pick(self.cases(submitted_at=None))
        if case:
            self.update(case, state=Case.State.SUBMITTED, submitted_at=self.moment())

    def decide(self, case: Case | None = None) -> None:
        case = case or self.pick(self.cases(submitted_at__isnull=False, decided_at=None))
        if not case:
            return
        rng = self.rng
        self.update(
            case,
            state=Case.State.APPROVED,
            decided_at=self.moment(after=case.decided_at or case.submitted_at),
            working_days_to_outcome=rng.choice([None, *range(0, 25)]),
            outcome_on_time=rng.random() < 0.7,
            lead_department=case.lead_department or self.pick(self.departments),
        )

    def reopen_and_decide_again(self) -> None:
        case = self.pick(self.cases(decided_at__isnull=False))
        if case:
            self.event(case, "reopen")
            self.update(case, state=Case.State.IN_PROGRESS)
            if self.rng.random() < 0.7:
                self.decide(Case.objects.get(pk=case.pk))

    def return_for_correction(self) -> None:
        case = self.pick(self.cases(submitted_at__isnull=False, kind=Case.Kind.APPLICATION))
        if case:
            self.event(case, "return_for_correction", touch_case=self.rng.random() < 0.5)

    def complaint_return(self) -> None:
        case = self.pick(self.cases(submitted_at__isnull=False, kind=Case.Kind.COMPLAINT))
        if case:
            self.event(case, "complaint_return")
            # the dispatcher sends it on to another department
            self.update(case, lead_department=self.pick(self.departments))

    def open_request(self) -> None:
        case = self.pick(self.cases(decided_at__isnull=False, lead_department__isnull=False))
        if case:
            make_request(case, opened=case.decided_at)

    def rate(self) -> None:
        request = self.pick(list(RatingRequest.objects.filter(ratings=None).order_by("pk")))
        if request:
            self._rating(request, supersedes=None)

    def _rating(self, request: RatingRequest, *, supersedes: Rating | None) -> None:
        rating = Rating.objects.create(
            request=request,
            case=request.case,
            department=request.department,
            level=self.rng.randint(1, 5),
            channel=Rating.Channel.WEB,
            rater=self.applicant,
            supersedes=supersedes,
        )
        after = supersedes.created_at if supersedes else request.opened_at
        Rating.objects.filter(pk=rating.pk).update(created_at=self.moment(after=after))

    def rectify(self) -> None:
        rating = self.pick(list(Rating.objects.filter(is_bad=True).order_by("pk")))
        if not rating:
            return
        rectification, _new = Rectification.objects.get_or_create(
            rating=rating, defaults={"department": rating.department, "deadline": START}
        )
        step = self.rng.choice(["answer", "inform", "nothing"])
        if step == "answer":
            rectification.state = Rectification.State.ANSWERED
            rectification.answered_at = timezone.now()
        elif step == "inform":
            rectification.resident_informed_at = timezone.now()
        rectification.save()

    def rate_again(self) -> None:
        answered = Rating.objects.filter(
            rectification__state=Rectification.State.ANSWERED, superseded_by=None
        ).order_by("pk")
        rating = self.pick(list(answered))
        if rating:
            self._rating(rating.request, supersedes=rating)

    def uphold_appeal(self) -> None:
        rating = self.pick(list(Rating.objects.filter(excluded=False).order_by("pk")))
        if rating:
            rating.excluded = True
            rating.save(update_fields=["excluded", "updated_at"])

    ACTIONS = (
        ("create", 5),
        ("submit", 1),
        ("decide", 5),
        ("reopen_and_decide_again", 2),
        ("return_for_correction", 2),
        ("complaint_return", 1),
        ("open_request", 4),
        ("rate", 4),
        ("rectify", 3),
        ("rate_again", 3),
        ("uphold_appeal", 1),
    )

    def step(self) -> None:
        names = [name for name, _weight in self.ACTIONS]
        weights = [weight for _name, weight in self.ACTIONS]
        getattr(self, self.rng.choices(names, weights)[0])()


@pytest.fixture
def departments(db, department, other_department):
    return [department, other_department, Department.objects.create(code="water", name_zh="水务局")]


@pytest.mark.parametrize("seed", range(5))
def test_the_rollups_equal_a_recount_after_random_events(seed, departments, settings):
    # given no look-back: what a catch-up misses stays missed
    settings.METRICS_CATCH_UP_OVERLAP = 0
    world = World(random.Random(seed), departments)  # noqa: S311 - test data
    for _round in range(8):
        for _step in range(15):
            world.step()
        # when the catch-up runs between rounds (the first one builds everything)
        refresh()
        assert_rollups_equal_recount(PERIOD)
    # then every table, for every reader and filter, equals the recount from the raw rows
    one, two, _three = departments
    for filters in (
        replace(PERIOD, scope=frozenset({one.pk})),
        replace(PERIOD, scope=frozenset({one.pk, two.pk})),
        replace(PERIOD, department_id=two.pk),
        replace(PERIOD, service_id=world.complaints.pk),
        replace(PERIOD, start=date(2025, 2, 1), end=date(2025, 2, 1)),
    ):
        assert_rollups_equal_recount(filters)
    # and the rollups equal, row by row, a rebuild from scratch
    assert Case.objects.exclude(submitted_at=None).exists()
    before = snapshot()
    rollups_rebuild()
    assert snapshot() == before


def test_a_catch_up_recomputes_only_the_days_that_changed(departments, settings):
    settings.METRICS_CATCH_UP_OVERLAP = 0
    world = World(random.Random(1), departments)  # noqa: S311 - test data
    for _i in range(30):
        world.create()
    refresh()
    # given one case decided since the last catch-up
    case = Case.objects.filter(decided_at=None).exclude(submitted_at=None).first()
    world.decide(case)
    case.refresh_from_db()
    # when
    run = refresh()
    # then only its service's figures of its received and decided days are counted again
    days = {timezone.localtime(t, SHANGHAI).date() for t in (case.submitted_at, case.decided_at)}
    assert (run.rebuilt, run.days, run.pairs) == (False, len(days), len(days))
    # and nothing changed means nothing recomputed
    assert (refresh().days, refresh().pairs) == (0, 0)


def test_an_outcome_moved_to_another_day_leaves_the_day_it_left(departments, settings):
    # given a complaint replied to in January, counted, then reopened and replied to again in
    # March before the next catch-up (the case itself no longer says "January")
    settings.METRICS_CATCH_UP_OVERLAP = 0
    world = World(random.Random(2), departments)  # noqa: S311 - test data
    case = make_case(
        world.complaints, world.applicant, submitted=datetime(2025, 1, 3, tzinfo=SHANGHAI)
    )
    world.update(
        case, decided_at=datetime(2025, 1, 10, 12, tzinfo=SHANGHAI), working_days_to_outcome=5
    )
    refresh()
    january = MetricsFilters(start=date(2025, 1, 1), end=date(2025, 1, 1))
    assert metrics_table(group_by=[], filters=january)[0].decided == 1
    world.event(case, "reopen")
    world.update(
        case, decided_at=datetime(2025, 3, 2, 12, tzinfo=SHANGHAI), working_days_to_outcome=9
    )
    # when
    refresh()
    # then January no longer counts it, March does, with its new working days
    assert metrics_table(group_by=[], filters=january)[0].decided == 0
    march = MetricsFilters(start=date(2025, 3, 1), end=date(2025, 3, 1))
    row = metrics_table(group_by=[], filters=march)[0]
    assert (row.decided, row.reopened, dict(row.working_days)) == (1, 1, {9: 1})


def test_a_re_rating_takes_the_rating_it_replaces_off_its_day(departments, settings):
    # given a bad rating on 4 February, counted, and its rectification answered
    settings.METRICS_CATCH_UP_OVERLAP = 0
    world = World(random.Random(4), departments)  # noqa: S311 - test data
    case = make_case(
        world.applications[0], world.applicant, submitted=datetime(2025, 1, 3, tzinfo=SHANGHAI)
    )
    world.update(case, decided_at=datetime(2025, 2, 3, 12, tzinfo=SHANGHAI))
    request = make_request(case, opened=datetime(2025, 2, 3, 12, tzinfo=SHANGHAI))
    first = Rating.objects.create(
        request=request,
        case=case,
        department=request.department,
        level=2,
        channel=Rating.Channel.WEB,
        rater=world.applicant,
    )
    Rating.objects.filter(pk=first.pk).update(created_at=datetime(2025, 2, 4, 9, tzinfo=SHANGHAI))
    Rectification.objects.create(
        rating=first,
        department=first.department,
        deadline=START,
        state=Rectification.State.ANSWERED,
        answered_at=timezone.now(),
    )
    refresh()
    february_4 = replace(PERIOD, start=date(2025, 2, 1), end=date(2025, 2, 1))
    row = metrics_table(group_by=[], filters=february_4)[0]
    assert (row.counted_ratings, row.satisfied, row.bad_ratings) == (1, 0, 1)
    # when the resident rates again (5) on 1 March, the first rating untouched
    again = Rating.objects.create(
        request=request,
        case=case,
        department=request.department,
        level=5,
        channel=Rating.Channel.WEB,
        rater=world.applicant,
        supersedes=first,
    )
    Rating.objects.filter(pk=again.pk).update(created_at=datetime(2025, 3, 1, 9, tzinfo=SHANGHAI))
    refresh()
    # then February counts the first rating as a bad one still, but not for satisfaction
    row = metrics_table(group_by=[], filters=february_4)[0]
    assert (row.counted_ratings, row.bad_ratings, row.rectified) == (0, 1, 1)
    march = replace(PERIOD, start=date(2025, 3, 1), end=date(2025, 3, 1))
    row = metrics_table(group_by=[], filters=march)[0]
    assert (row.counted_ratings, row.satisfied) == (1, 1)


def test_metrics_rebuild_restores_the_figures_from_the_raw_rows(departments, capsys):
    world = World(random.Random(3), departments)  # noqa: S311 - test data
    for _i in range(40):
        world.step()
    refresh()
    right = snapshot()
    # given rollups gone wrong on some days (rows written in bulk behind the catch-up's back)
    DailyFigure.objects.filter(day__lt=date(2025, 2, 15)).update(received=99)
    MonthlyFigure.objects.filter(month=date(2025, 1, 1)).update(received=99)
    DailyFigure.objects.filter(day__gte=date(2025, 3, 1)).update(working_days={})
    # when rebuilt for a range, then for everything
    call_command("metrics_rebuild", "--start", "2025-01-01", "--end", "2025-02-14")
    assert "rebuilt" in capsys.readouterr().out
    assert [r for r in snapshot()[0] if r[0] < date(2025, 3, 1)] == [
        r for r in right[0] if r[0] < date(2025, 3, 1)
    ]
    assert snapshot()[0] != right[0]  # March's histograms are still empty
    call_command("metrics_rebuild")
    # then
    assert snapshot() == right


def test_after_a_bulk_load_metrics_rebuild_equals_the_recount():
    # given a city's load written in bulk behind the catch-up's back (seed_load), then rebuilt
    call_command("seed_load", cases=400, fast="off", verbosity=0)
    call_command("metrics_rebuild")
    # then every table of the last two years equals the recount from the raw rows
    last = timezone.localdate().replace(day=1)
    period = MetricsFilters(start=date(last.year - 2, last.month, 1), end=last)
    assert_rollups_equal_recount(period)
    assert (
        total_received(period)
        == Case.objects.exclude(submitted_at=None)
        .filter(
            submitted_at__gte=datetime(period.start.year, period.start.month, 1, tzinfo=SHANGHAI)
        )
        .count()
    )


def total_received(filters: MetricsFilters) -> int:
    (row,) = metrics_table(group_by=[], filters=filters)
    return row.received
