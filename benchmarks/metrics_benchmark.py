"""Time the metrics on a large data set: the dashboard's default view and the open-data JSON.

    .venv/bin/python benchmarks/metrics_benchmark.py [--cases 20000] [--runs 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_metrics \\
        .venv/bin/python benchmarks/metrics_benchmark.py

Standalone. Without DATABASE_URL it seeds a temporary SQLite file; with a PostgreSQL
DATABASE_URL it creates and afterwards drops a test database next to the one named (as pytest
does), so no real data is touched. Seeds 8 departments, 24 services and N cases over the last
twelve months (three in four with an outcome, their rating requests, ratings, bad ratings with
rectifications, correction and reopen events), rebuilds the rollups (`manage.py
metrics_rebuild`, timed), then prints the median of `--runs` runs of:

- the dashboard's read from the monthly rollups: metrics_table() at department × service ×
  channel × month for the default period, rolled up into the four views and the summary
  (what /staff/metrics/ does);
- the open-data document (cache bypassed): metrics_table() at department × service × month and
  three roll-ups with suppression (what /open-data/metrics.json does).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--queries", action="store_true", help="print each query's time")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="metrics-benchmark-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    use_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    if not use_postgres:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'metrics.sqlite3'}"

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    translation.activate("zh-hans")
    old_name = connection.settings_dict["NAME"]
    if use_postgres:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    try:
        run(args, CaptureQueriesContext, connection, reset_queries)
    finally:
        if use_postgres:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args, CaptureQueriesContext, connection, reset_queries) -> None:
    from apps.accounts.models import Department
    from apps.metrics.open_data import _build
    from apps.metrics.selectors import MetricsFilters, metrics_table, rollup, total
    from tests.catalog.factories import make_service
    from tests.metrics.bulk import bulk_cases

    started = time.perf_counter()
    departments = [
        Department.objects.create(code=f"dept-{i}", name_zh=f"部门 {i}") for i in range(8)
    ]
    services = [
        make_service(department=departments[i % 8], code=f"service-{i}", name_zh=f"事项 {i}")
        for i in range(24)
    ]
    bulk_cases(args.cases, services=services)
    seeded = time.perf_counter() - started
    from apps.cases.models import Case
    from apps.feedback.models import Rating, RatingRequest

    print(
        f"database: {connection.vendor}; seeded {Case.objects.count()} cases, "
        f"{RatingRequest.objects.count()} rating requests, {Rating.objects.count()} ratings "
        f"in {seeded:.1f} s"
    )

    from apps.metrics.services import rollups_catch_up, rollups_rebuild

    start = time.perf_counter()
    rebuilt = rollups_rebuild()
    print(
        f"rollups rebuilt from the raw rows: {rebuilt.days} days "
        f"in {time.perf_counter() - start:.1f} s"
    )
    start = time.perf_counter()
    rollups_catch_up(wait=True)
    print(f"catch-up with nothing new: {(time.perf_counter() - start) * 1000:.0f} ms")

    filters = MetricsFilters.default()

    def dashboard():
        fine = metrics_table(
            group_by=["department", "service", "channel", "month"], filters=filters
        )
        views = {
            dim: rollup(rows=fine, group_by=[dim])
            for dim in ("department", "service", "channel", "month")
        }
        total(rows=views["month"])
        return fine

    def open_data():
        return _build(filters)

    for name, work in (("dashboard default view", dashboard), ("open-data JSON", open_data)):
        work()  # warm-up
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                result = work()
                times.append((time.perf_counter() - start) * 1000)
        rows = len(result) if isinstance(result, list) else len(result["by_service"])
        print(
            f"{name}: median {statistics.median(times):.0f} ms "
            f"(min {min(times):.0f}, max {max(times):.0f}; {args.runs} runs; "
            f"{len(queries)} queries; {rows} rows)"
        )
        if args.queries:
            for query in queries.captured_queries:
                print(f"    {float(query['time']) * 1000:6.0f} ms  {query['sql'][:110]}")
        reset_queries()


if __name__ == "__main__":
    main()
