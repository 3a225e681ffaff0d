"""How the figures stay current: the beat task, the embedded default (no beat) catching up on
read, and the open-data document in the shared cache without a stampede."""

import csv
import io
import json
import time

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.cases.models import Case
from apps.metrics import open_data as open_data_module
from apps.metrics.tasks import metrics_rollups_catch_up_task
from tests.metrics.factories import at, make_case

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2025-01", "end": "2025-03"}


def received_total(client) -> int:
    body = client.get("/staff/metrics/export.csv", PERIOD).content.decode("utf-8-sig")
    return int(next(row for row in csv.reader(io.StringIO(body)) if row[0] == "total")[7])


def test_the_beat_schedule_runs_the_catch_up_every_minute():
    entry = django_settings.CELERY_BEAT_SCHEDULE["metrics-rollups-catch-up"]
    assert entry["task"] == metrics_rollups_catch_up_task.name
    assert entry["schedule"] == crontab()  # every minute


def test_with_beat_the_pages_only_read_and_the_task_brings_new_cases_in(
    seeded, supervisor, login, settings
):
    settings.METRICS_CATCH_UP_ON_READ = False
    settings.METRICS_CATCH_UP_OVERLAP = 0
    client = login(supervisor)
    assert received_total(client) == 9
    # given a case submitted since the last run, and the "fresh" mark long gone
    make_case(seeded["card"], Case.objects.first().applicant, submitted=at(2025, 3, 20))
    cache.clear()
    # then the page shows the rollups as they are
    assert received_total(client) == 9
    # until beat's task runs: it counts that one day again
    assert metrics_rollups_catch_up_task.delay().get()["days"] == 1
    assert received_total(client) == 10


def test_without_beat_the_dashboard_catches_up_by_itself(seeded, supervisor, login):
    # the embedded default (`make run`): Celery eager, no beat
    client = login(supervisor)
    assert received_total(client) == 9
    make_case(seeded["card"], Case.objects.first().applicant, submitted=at(2025, 3, 20))
    cache.clear()  # more than a few seconds later
    assert received_total(client) == 10
    text = client.get("/staff/metrics/", PERIOD).text
    assert "市场监督管理局" in text


def test_the_open_data_is_built_once_and_a_stale_copy_serves_while_one_reader_rebuilds(
    seeded, client
):
    first = client.get("/open-data/metrics.json", PERIOD).json()
    raw_key = "metrics:open-data:2025-01:2025-03:zh-hans"
    entry = cache.get(raw_key)
    assert entry["document"] == first
    # given the copy has gone stale and another reader holds the lock to rebuild it
    cache.set(raw_key, {**entry, "fresh_until": time.time() - 1}, 3600)
    assert cache.add(f"{raw_key}:lock", 1, 60)
    # then this reader gets the stale copy at once, without a query
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/open-data/metrics.json", PERIOD)
    assert len(queries) == 0
    assert json.loads(again.content) == first
    # and once the lock is free, the next reader rebuilds it from the rollups
    cache.delete(f"{raw_key}:lock")
    with CaptureQueriesContext(connection) as queries:
        rebuilt = client.get("/open-data/metrics.json", PERIOD).json()
    assert len(queries) == 3  # the monthly rollups and the names
    assert rebuilt["by_department"] == first["by_department"]
    assert cache.get(raw_key)["fresh_until"] > time.time()
    assert open_data_module.CACHE_SECONDS < open_data_module.KEEP_SECONDS
