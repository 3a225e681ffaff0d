"""Every metric equals the figure counted by hand on the seeded data set (see conftest)."""

from dataclasses import replace

import pytest
from django.utils import timezone

from apps.accounts.models import Department
from apps.feedback.models import Rating, RatingRequest
from apps.metrics.definitions import MEASURE_KEYS
from apps.metrics.selectors import (
    Row,
    departments_in_scope,
    metrics_table,
    nearest_rank,
    rollup,
    total,
)
from tests.metrics.factories import at, make_request, refresh

pytestmark = pytest.mark.django_db


def one(rows: list[Row], **match) -> Row:
    found = [row for row in rows if all(getattr(row, k) == v for k, v in match.items())]
    assert len(found) == 1, (match, [row.key for row in rows])
    return found[0]


def test_totals_equal_the_hand_count(seeded, period):
    # when
    rows = metrics_table(group_by=[], filters=period)
    # then
    assert len(rows) == 1
    row = rows[0]
    # received: c1 c2 c3 c4 c5 c6 + h1 h2 h3 = 9 (c7 is a draft, c8 came in December)
    assert row.received == 9
    # decided: c1 c2 c3 c4 c6 c8 + h1 h3 = 8
    assert row.decided == 8
    # on time: c1 c2 c4 c6 h1 = 5 of 8
    assert row.on_time_rate == pytest.approx(5 / 8)
    # working days: 5 8 15 1 3 12 4 9 = 57 / 8
    assert row.avg_working_days == pytest.approx(57 / 8)
    # p90 by nearest rank: ceil(0.9 × 8) = 8th of 1 3 4 5 8 9 12 15 → 15
    assert row.p90_working_days == 15
    # rating requests: c1 c2 c3 c4 c6 c8 h1 h3 = 8; first ratings on c1 c2 c4 c6 c8 h3 = 6
    assert (row.rating_requests, row.rated) == (8, 6)
    assert row.active_rating_rate == pytest.approx(6 / 8)
    # latest counted rating per case: c1 5, c2 4 (the re-rating), c4 1, c8 3, h3 5; c6 excluded
    assert (row.counted_ratings, row.satisfied) == (5, 4)
    assert row.satisfaction_rate == pytest.approx(4 / 5)
    # bad ratings not excluded: c2's first (answered, resident told) and c4's (open)
    assert (row.bad_ratings, row.rectified, row.followed_up) == (2, 1, 1)
    assert row.rectification_rate == pytest.approx(1 / 2)
    assert row.follow_up_rate == pytest.approx(1 / 2)
    # reopened: c6 of 8 decided
    assert row.reopen_rate == pytest.approx(1 / 8)
    # complaint_return: h2 of 9 received
    assert row.return_rate == pytest.approx(1 / 9)
    # returned for correction: c5 and c6 (twice, counted once) of 9 received
    assert row.correction_rate == pytest.approx(2 / 9)


def test_per_department_equals_the_hand_count(seeded, period):
    rows = metrics_table(group_by=["department"], filters=period)
    assert [row.department_code for row in rows] == ["housing", "market"]
    market = one(rows, department_code="market")
    # received c1–c6; decided c1 c2 c3 c4 c6 c8; on time c1 c2 c4 c6
    assert (market.received, market.decided, market.on_time) == (6, 6, 4)
    # days 5 8 15 1 3 12 = 44 / 6; p90: 6th of 1 3 5 8 12 15 → 15
    assert market.avg_working_days == pytest.approx(44 / 6)
    assert market.p90_working_days == 15
    # requests c1 c2 c3 c4 c6 c8 = 6, rated c1 c2 c4 c6 c8 = 5
    assert market.active_rating_rate == pytest.approx(5 / 6)
    # latest counted: c1 5, c2 4, c4 1, c8 3 → 3 of 4
    assert market.satisfaction_rate == pytest.approx(3 / 4)
    assert (market.bad_ratings, market.rectified, market.followed_up) == (2, 1, 1)
    assert market.reopen_rate == pytest.approx(1 / 6)
    assert market.correction_rate == pytest.approx(2 / 6)
    assert market.return_rate == 0
    housing = one(rows, department_code="housing")
    # received h1 h2 h3; decided h1 (on time, 4 days) h3 (late, 9 days)
    assert (housing.received, housing.decided, housing.on_time) == (3, 2, 1)
    assert housing.avg_working_days == pytest.approx(6.5)
    # p90: ceil(1.8) = 2nd of 4 9 → 9
    assert housing.p90_working_days == 9
    # requests h1 (unrated) h3 (rated 5)
    assert housing.active_rating_rate == pytest.approx(1 / 2)
    assert housing.satisfaction_rate == 1
    assert housing.bad_ratings == 0
    assert housing.rectification_rate is None
    assert housing.return_rate == pytest.approx(1 / 3)
    assert housing.reopen_rate == 0


def test_months_follow_beijing_time(seeded, period):
    rows = metrics_table(group_by=["month"], filters=period)
    by_month = {row.month: row for row in rows}
    assert sorted(by_month) == ["2025-01", "2025-02", "2025-03"]
    # received: Jan c1 c2 c3 h1 (c3 at 23:30 on the 31st); Feb c4 (00:30 on the 1st, still
    # January in UTC) c5 h2; Mar c6 h3
    assert [by_month[m].received for m in sorted(by_month)] == [4, 3, 2]
    # decided: Jan c1 c8 h1; Feb c2 c3 c4; Mar c6 h3
    assert [by_month[m].decided for m in sorted(by_month)] == [3, 3, 2]
    # satisfaction by the month of the counted rating: Jan c1 5, c8 3; Feb c2 4, c4 1; Mar h3 5
    assert [by_month[m].counted_ratings for m in sorted(by_month)] == [2, 2, 1]
    assert [by_month[m].satisfied for m in sorted(by_month)] == [2, 1, 1]
    # bad ratings in February (c2's first, c4's); c6's in March is excluded
    assert [by_month[m].bad_ratings for m in sorted(by_month)] == [0, 2, 0]


def test_per_channel_and_service(seeded, period):
    channels = {row.channel: row for row in metrics_table(group_by=["channel"], filters=period)}
    # web c1 c2 c5 c6 h1 h2; API c3; counter c4 h3
    assert {k: v.received for k, v in channels.items()} == {"web": 6, "api": 1, "counter": 2}
    services = metrics_table(group_by=["service"], filters=period)
    assert {row.service_code: row.received for row in services} == {
        "elderly-card": 6,
        "housing-aid": 2,
        "noise": 1,
    }


def test_an_unrated_case_counts_as_unrated(seeded, period):
    # given one more outcome in housing whose rating request nobody answers
    from apps.cases.models import Case
    from tests.metrics.factories import make_case

    applicant = Case.objects.first().applicant
    case = make_case(
        seeded["aid"],
        applicant,
        state=Case.State.APPROVED,
        submitted=at(2025, 3, 2),
        decided=at(2025, 3, 20),
        on_time=True,
        days=2,
    )
    make_request(case, opened=at(2025, 3, 20))
    refresh()
    # when
    housing = one(metrics_table(group_by=["department"], filters=period), department_code="housing")
    # then it is in the denominator of the active rating rate only: 1 rated of 3 requests
    assert (housing.rating_requests, housing.rated) == (3, 1)
    assert housing.counted_ratings == 1
    assert housing.satisfaction_rate == 1


def test_an_excluded_rating_does_not_count(seeded, period):
    market = one(metrics_table(group_by=["department"], filters=period), department_code="market")
    assert (market.counted_ratings, market.bad_ratings) == (4, 2)
    # given the appeal on c6's rating had been dismissed instead (as the appeal service saves)
    Rating.objects.filter(excluded=True).update(excluded=False, updated_at=timezone.now())
    refresh()
    # then c6's level 2 counts: 3 satisfied of 5, and 3 bad ratings
    market = one(metrics_table(group_by=["department"], filters=period), department_code="market")
    assert (market.counted_ratings, market.satisfied, market.bad_ratings) == (5, 3, 3)
    # and it was rated at first all along
    assert market.rated == 5


def test_an_excluded_re_rating_leaves_its_outcome_uncounted(seeded, period):
    # given a housing outcome rated 2, answered, rated again 1 and that re-rating set aside on
    # appeal: the rule (feedback.selectors.ratings_counting_for_satisfaction) counts per rated
    # outcome its latest rating unless excluded, so the replaced first rating does not come back
    from apps.cases.models import Case
    from tests.metrics.factories import make_case, make_rating, make_rectification

    applicant = Case.objects.first().applicant
    case = make_case(
        seeded["aid"],
        applicant,
        state=Case.State.APPROVED,
        submitted=at(2025, 3, 2),
        decided=at(2025, 3, 12),
        on_time=True,
        days=2,
    )
    request = make_request(case, opened=at(2025, 3, 12))
    first = make_rating(request, level=2, at_time=at(2025, 3, 13))
    make_rectification(first, answered=at(2025, 3, 14))
    make_rating(request, level=1, at_time=at(2025, 3, 15), supersedes=first, excluded=True)
    refresh()
    # when
    housing = one(metrics_table(group_by=["department"], filters=period), department_code="housing")
    # then only h3's 5 counts for satisfaction; the first rating is still a bad rating, answered
    assert (housing.counted_ratings, housing.satisfied) == (1, 1)
    assert (housing.bad_ratings, housing.rectified) == (1, 1)
    assert housing.rated == 2


def test_each_rated_outcome_of_a_case_counts(seeded, period):
    # given h3 reached a second outcome (a complaint answered again) rated 1 in March
    from tests.metrics.factories import make_rating

    h3_request = RatingRequest.objects.get(case__service=seeded["aid"], state="rated")
    again = make_request(h3_request.case, opened=at(2025, 3, 20))
    make_rating(again, level=1, at_time=at(2025, 3, 21))
    refresh()
    # when
    housing = one(metrics_table(group_by=["department"], filters=period), department_code="housing")
    # then both outcomes count: the 5 and the 1
    assert (housing.counted_ratings, housing.satisfied) == (2, 1)


def test_filters_and_scope(seeded, period):
    market, housing = seeded["market"], seeded["housing"]
    only_market = replace(period, department_id=market.pk)
    assert total(rows=metrics_table(group_by=[], filters=only_market)).received == 6
    only_noise = replace(period, service_id=seeded["noise"].pk)
    assert total(rows=metrics_table(group_by=[], filters=only_noise)).received == 1
    scoped = replace(period, scope=frozenset({housing.pk}))
    rows = metrics_table(group_by=["department"], filters=scoped)
    assert [row.department_code for row in rows] == ["housing"]
    # a department outside the scope gives nothing, even when asked for
    outside = replace(scoped, department_id=market.pk)
    assert metrics_table(group_by=["department"], filters=outside) == []


def test_departments_in_scope_are_the_active_ones(seeded):
    market, housing = seeded["market"], seeded["housing"]
    # given housing is no longer active
    Department.objects.filter(pk=housing.pk).update(is_active=False)
    # then it is offered neither to everyone nor within a scope that names it
    assert departments_in_scope(scope=None) == [market]
    assert departments_in_scope(scope=frozenset({market.pk, housing.pk})) == [market]


def test_roll_ups_equal_direct_queries(seeded, period):
    # the dashboard reads the finest table once and folds it for each view
    fine = metrics_table(group_by=["department", "service", "channel", "month"], filters=period)
    for group_by in ([], ["department"], ["service"], ["channel"], ["month"]):
        direct = metrics_table(group_by=group_by, filters=period)
        rolled = rollup(rows=fine, group_by=group_by)
        assert [r.key for r in rolled] == [r.key for r in direct]
        for a, b in zip(rolled, direct, strict=True):
            assert [getattr(a, k) for k in MEASURE_KEYS] == [getattr(b, k) for k in MEASURE_KEYS]


def test_nearest_rank():
    from collections import Counter

    assert nearest_rank(histogram=Counter(), fraction=0.9) is None
    assert nearest_rank(histogram=Counter({7: 1}), fraction=0.9) == 7
    # 1..10: ceil(9) = 9th → 9; 1..11: ceil(9.9) = 10th → 10
    assert nearest_rank(histogram=Counter(range(1, 11)), fraction=0.9) == 9
    assert nearest_rank(histogram=Counter(range(1, 12)), fraction=0.9) == 10
