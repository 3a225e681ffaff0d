"""Where a submission and an approval spend their time: queries by table, SQL against Python.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_load \\
        .venv/bin/python benchmarks/write_profile.py [--writes 20] [--top 25]

Standalone, on a database `seed_load` filled (it adds drafts, tokens and backup codes there,
as the load benchmark does). In this process, with Django's test client and the API tokens the
load benchmark uses, it submits `--writes` drafts and approves `--writes` review tasks, and
prints for each write: the median milliseconds, how much of it the database took (the queries'
own times, as Django measures them), the queries per request grouped by statement and table,
and cProfile's functions with the most cumulative time outside the database driver.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TABLE = re.compile(r"^(SELECT|INSERT INTO|UPDATE|DELETE FROM|SAVEPOINT|RELEASE|ROLLBACK|BEGIN)")


def statement_kind(sql: str) -> str:
    """`SELECT cases_case`, `UPDATE audit_auditchainhead`, `SAVEPOINT`: what a query is."""
    verb = TABLE.match(sql)
    if verb is None:
        return sql[:40]
    if verb[1] in {"SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN"}:
        return verb[1]
    table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?([a-z_0-9]+)"?', sql)
    return f"{verb[1].split()[0]} {table[1] if table else '?'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", help="cumulative or tottime")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/12")
    os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/11")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a database seed_load filled.")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from prepare import prepare

    plan = prepare(seed=1, clerks=1, writes=args.writes + 1)
    token, pool = plan["clerks"][0]
    clerk = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def submit() -> object:
        ref, resident_token, key = plan["drafts"].pop()
        # A resident of an earlier run may have used this time step's code: start them afresh.
        TOTPDevice.objects.filter(key=key).update(throttling_failure_count=0, last_t=-1)
        return Client(HTTP_AUTHORIZATION=f"Bearer {resident_token}").post(
            f"/api/v1/cases/{ref}/submit/",
            {"channel": "totp", "code": f"{totp(bytes.fromhex(key)):06d}"},
            content_type="application/json",
        )

    def approve() -> object:
        return clerk.post(
            f"/api/v1/tasks/{pool.pop()}/approve/",
            {"opinion": "同意。"},
            content_type="application/json",
        )

    for name, write in (("submit an application", submit), ("approve a review task", approve)):
        write()  # warm-up
        totals, sql, kinds = [], [], Counter()
        profile = cProfile.Profile()
        for _ in range(args.writes):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                profile.enable()
                response = write()
                profile.disable()
                totals.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                sys.exit(f"{name}: {response.status_code} {response.content[:300]!r}")
            sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
            kinds.update(statement_kind(q["sql"]) for q in queries.captured_queries)
        print(
            f"\n{name}: {args.writes} requests, median {statistics.median(totals):.1f} ms, of "
            f"which SQL {statistics.median(sql):.1f} ms; {sum(kinds.values()) / args.writes:.0f} "
            "queries a request:"
        )
        for kind, count in kinds.most_common():
            print(f"  {count / args.writes:5.1f}  {kind}")
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats(args.sort)
        stats.print_stats(r"^(?!.*(psycopg|socket|selectors\.py))", args.top)
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip()[:1].isdigit()))


if __name__ == "__main__":
    main()
