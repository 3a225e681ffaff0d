"""Many cases at once (bulk inserts), spread over the last twelve months, with events, rating
requests, ratings and rectifications: for the query-count tests and the benchmark."""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from apps.accounts.models import User
from apps.cases.models import Case, CaseEvent
from apps.feedback.models import Rating, RatingRequest, Rectification
from apps.metrics.selectors import add_months, month_start

STATES = [Case.State.APPROVED, Case.State.REJECTED, Case.State.NOT_ACCEPTED, Case.State.IN_REVIEW]
CHANNELS = [Case.Channel.WEB, Case.Channel.API, Case.Channel.COUNTER]


def bulk_cases(count: int, *, services, batch: int = 2000) -> None:
    """Add cases until there are `count` made by this helper."""
    applicant, _created = User.objects.get_or_create(
        username="bulk-applicant", defaults={"display_name": "bulk"}
    )
    have = Case.objects.filter(applicant=applicant).count()
    tz = ZoneInfo("Asia/Shanghai")
    this_month = month_start(value=timezone.localdate())
    versions = {service.pk: service.versions.order_by("-number").first() for service in services}
    rng = random.Random(have)  # noqa: S311 - test data
    cases = []
    for _i in range(have, count):
        service = rng.choice(services)
        month = add_months(value=this_month, months=-rng.randrange(12))
        submitted = datetime(
            month.year, month.month, rng.randint(1, 28), rng.randint(8, 17), tzinfo=tz
        )
        state = rng.choice(STATES)
        decided = state != Case.State.IN_REVIEW
        cases.append(
            Case(
                service=service,
                version=versions[service.pk],
                applicant=applicant,
                created_by=applicant,
                channel=rng.choice(CHANNELS),
                state=state,
                submitted_at=submitted,
                decided_at=submitted + timedelta(days=rng.randint(1, 30)) if decided else None,
                outcome_on_time=rng.random() < 0.85 if decided else None,
                working_days_to_outcome=rng.randint(1, 25) if decided else None,
                lead_department_id=service.lead_department_id,
            )
        )
    cases = Case.objects.bulk_create(cases, batch_size=batch)
    events = []
    for i, case in enumerate(cases):
        if i % 5 == 0:
            events.append(CaseEvent(case=case, verb="return_for_correction"))
        if i % 17 == 0:
            events.append(CaseEvent(case=case, verb="reopen"))
    CaseEvent.objects.bulk_create(events, batch_size=batch)

    decided = [case for case in cases if case.decided_at]
    requests = RatingRequest.objects.bulk_create(
        [
            RatingRequest(
                case=case,
                department_id=case.lead_department_id,
                outcome_at=case.decided_at,
                opened_at=case.decided_at,
                closes_at=case.decided_at + timedelta(days=15),
                state=RatingRequest.State.RATED if i % 4 else RatingRequest.State.EXPIRED,
                sms_code=f"{i % 10000:04d}",
            )
            for i, case in enumerate(decided)
        ],
        batch_size=batch,
    )
    ratings = []
    for i, request in enumerate(requests):
        if request.state != RatingRequest.State.RATED:
            continue
        level = 5 - (i % 5)
        ratings.append(
            Rating(
                request=request,
                case_id=request.case_id,
                department_id=request.department_id,
                level=level,
                channel=Rating.Channel.WEB,
                rater=applicant,
                is_bad=level <= 2,
                excluded=i % 23 == 0,
            )
        )
    ratings = Rating.objects.bulk_create(ratings, batch_size=batch)
    # created_at is set to now on insert: move each rating to a day after its request opened.
    if ratings:
        opened = RatingRequest.objects.filter(pk=OuterRef("request_id")).values("opened_at")[:1]
        Rating.objects.filter(pk__gte=min(r.pk for r in ratings)).update(
            created_at=Subquery(opened)
        )
    Rectification.objects.bulk_create(
        [
            Rectification(
                rating=rating,
                department_id=rating.department_id,
                deadline=timezone.localdate(),
                state=Rectification.State.ANSWERED if i % 2 else Rectification.State.OPEN,
                answered_at=timezone.now() if i % 2 else None,
                resident_informed_at=timezone.now() if i % 3 == 1 else None,
            )
            for i, rating in enumerate(r for r in ratings if r.is_bad)
        ],
        batch_size=batch,
    )
