import threading

import pytest
from django.db import connections
from django.utils import timezone

from apps.cases.models import Case
from apps.cases.services import case_number_next
from tests.conftest import require_postgresql


def test_numbers_follow_each_other_per_year(db):
    now = timezone.now()
    first = case_number_next(kind=Case.Kind.APPLICATION, at=now)
    second = case_number_next(kind=Case.Kind.APPLICATION, at=now)
    complaint = case_number_next(kind=Case.Kind.COMPLAINT, at=now)
    year = timezone.localtime(now).year
    assert (first, second, complaint) == (
        f"SQ-{year}-000001",
        f"SQ-{year}-000002",
        f"TS-{year}-000001",
    )


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_numbers_are_unique_under_concurrent_submissions():
    require_postgresql("row locks across threads")
    numbers: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def submit_many():
        try:
            start.wait()
            for _ in range(10):
                numbers.append(case_number_next(kind=Case.Kind.APPLICATION, at=timezone.now()))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert len(numbers) == 80
    assert len(set(numbers)) == 80
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, 81))
