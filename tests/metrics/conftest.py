"""The seeded data set of the metrics tests (January to March 2025), counted by hand.

market (市场监督管理局), service elderly-card, 6 cases received in the period:
  c1 web      submitted 01-05  approved     decided 01-20  on time   5 days
  c2 web      submitted 01-10  rejected     decided 02-03  on time   8 days
  c3 api      submitted 01-31 23:30 (Beijing: January; UTC: January)
                               approved     decided 02-20  late     15 days
  c4 counter  submitted 02-01 00:30 (Beijing: February; UTC: still January 31)
                               not accepted decided 02-02  on time   1 day
  c5 web      submitted 02-10  in review (was returned for correction), no outcome
  c6 web      submitted 03-01  approved     decided 03-15  on time   3 days
                               (returned for correction once, reopened once)
  c7          a draft: never submitted, counts nowhere
  c8 web      submitted 2024-12-20 (before the period) approved decided 01-08 late 12 days
housing (住房和城乡建设局), 3 cases:
  h1 web      service housing-aid  submitted 01-15  approved decided 01-25 on time 4 days
  h2 web      complaint noise      submitted 02-15  submitted, sent back (complaint_return)
  h3 counter  service housing-aid  submitted 03-05  approved decided 03-10 late 9 days

Ratings:
  c1  request 01-20  rated 5 (web) 01-21
  c2  request 02-03  rated 2 (SMS) 02-04: bad; rectification answered 02-10, resident told 02-11;
                     rated again 4 (web) 02-12, superseding the first
  c3  request 02-20  expired, never rated
  c4  request 02-02  rated 1 at the counter 02-03 (entered by staff): bad; rectification open
  c6  request 03-15  rated 2 (web) 03-16, excluded on appeal; rectification withdrawn
  c8  request 01-08  rated 3 (API) 01-09
  h1  request 01-25  still open, not rated
  h3  request 03-10  rated 5 (web) 03-11
"""

from datetime import date

import pytest
from django.core.cache import cache

from apps.cases.models import Case
from apps.catalog.models import ServiceItem
from apps.feedback.models import Rating, RatingRequest
from apps.metrics.selectors import MetricsFilters
from tests.catalog.factories import make_service
from tests.metrics.factories import (
    at,
    make_case,
    make_person,
    make_rating,
    make_rectification,
    make_request,
    refresh,
)

S = Case.State
C = Case.Channel

PEOPLE = [
    dict(
        name="欧阳娜娜",
        id_number="110101199003074518",
        phone="13912345678",
        address="朝阳区光华路 88 号 3 单元",
        email="ouyang@example.cn",
    ),
    dict(
        name="司马光明",
        id_number="310104198807126637",
        phone="13698765432",
        address="徐汇区漕溪北路 201 弄",
        email="sima@example.cn",
    ),
]
COMMENT = "窗口办事员态度很差，让我跑了三次"


@pytest.fixture(autouse=True)
def _empty_cache():
    """The open-data document and the rollups' "caught up a moment ago" mark live in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def period() -> MetricsFilters:
    return MetricsFilters(start=date(2025, 1, 1), end=date(2025, 3, 1))


@pytest.fixture
def seeded(db, department, other_department, counter_clerk):
    market, housing = department, other_department
    card = make_service(department=market)
    aid = make_service(department=housing, code="housing-aid", name_zh="住房补贴申请")
    noise = make_service(
        department=housing, code="noise", name_zh="噪声投诉", kind=ServiceItem.Kind.COMPLAINT
    )
    one, two = (make_person(**person) for person in PEOPLE)

    c1 = make_case(
        card,
        one,
        state=S.APPROVED,
        submitted=at(2025, 1, 5),
        decided=at(2025, 1, 20),
        on_time=True,
        days=5,
    )
    c2 = make_case(
        card,
        two,
        state=S.REJECTED,
        submitted=at(2025, 1, 10),
        decided=at(2025, 2, 3),
        on_time=True,
        days=8,
    )
    c3 = make_case(
        card,
        one,
        state=S.APPROVED,
        channel=C.API,
        submitted=at(2025, 1, 31, 23, 30),
        decided=at(2025, 2, 20),
        on_time=False,
        days=15,
    )
    c4 = make_case(
        card,
        two,
        state=S.NOT_ACCEPTED,
        channel=C.COUNTER,
        submitted=at(2025, 2, 1, 0, 30),
        decided=at(2025, 2, 2),
        on_time=True,
        days=1,
    )
    make_case(
        card,
        one,
        state=S.IN_REVIEW,
        submitted=at(2025, 2, 10),
        events=["return_for_correction", "resubmit"],
    )
    c6 = make_case(
        card,
        two,
        state=S.APPROVED,
        submitted=at(2025, 3, 1),
        decided=at(2025, 3, 15),
        on_time=True,
        days=3,
        events=["return_for_correction", "return_for_correction", "reopen"],
    )
    make_case(card, one, state=S.DRAFT)
    c8 = make_case(
        card,
        two,
        state=S.APPROVED,
        submitted=at(2024, 12, 20),
        decided=at(2025, 1, 8),
        on_time=False,
        days=12,
    )
    h1 = make_case(
        aid,
        one,
        state=S.APPROVED,
        submitted=at(2025, 1, 15),
        decided=at(2025, 1, 25),
        on_time=True,
        days=4,
    )
    make_case(
        noise, two, kind=Case.Kind.COMPLAINT, submitted=at(2025, 2, 15), events=["complaint_return"]
    )
    h3 = make_case(
        aid,
        one,
        state=S.APPROVED,
        channel=C.COUNTER,
        submitted=at(2025, 3, 5),
        decided=at(2025, 3, 10),
        on_time=False,
        days=9,
    )

    r = make_request(c1, opened=at(2025, 1, 20))
    make_rating(r, level=5, at_time=at(2025, 1, 21))
    r = make_request(c2, opened=at(2025, 2, 3))
    bad = make_rating(
        r, level=2, at_time=at(2025, 2, 4), channel=Rating.Channel.SMS, comment=COMMENT
    )
    make_rectification(bad, answered=at(2025, 2, 10), informed=at(2025, 2, 11))
    make_rating(r, level=4, at_time=at(2025, 2, 12), supersedes=bad)
    make_request(c3, opened=at(2025, 2, 20), state=RatingRequest.State.EXPIRED)
    r = make_request(c4, opened=at(2025, 2, 2))
    bad = make_rating(
        r,
        level=1,
        at_time=at(2025, 2, 3),
        channel=Rating.Channel.COUNTER,
        entered_by=counter_clerk,
        comment=COMMENT,
    )
    make_rectification(bad)
    r = make_request(c6, opened=at(2025, 3, 15))
    void = make_rating(r, level=2, at_time=at(2025, 3, 16), excluded=True, comment=COMMENT)
    make_rectification(void, withdrawn=True)
    r = make_request(c8, opened=at(2025, 1, 8))
    make_rating(r, level=3, at_time=at(2025, 1, 9), channel=Rating.Channel.API)
    make_request(h1, opened=at(2025, 1, 25))
    r = make_request(h3, opened=at(2025, 3, 10))
    make_rating(r, level=5, at_time=at(2025, 3, 11))
    refresh()
    return {"market": market, "housing": housing, "card": card, "aid": aid, "noise": noise}
