"""The load benchmark (issue 11): every list page and API under 4 users against a floor.

    .venv/bin/python benchmarks/load_benchmark.py --cases 10000          # seeds, then runs
    .venv/bin/python benchmarks/load_benchmark.py --reuse                # the load already there

Standalone, not part of the test run. It seeds N cases with `manage.py seed_load --reset`
into DATABASE_URL (default postgres://postgres@127.0.0.1:5432/portal_load: that database is
dropped and created; `--reuse` keeps it), starts gunicorn (2 sync workers, as docs/deploy.md
runs it) on loopback with DJANGO_ENV=production settings (DEBUG off, Redis cache at CACHE_URL,
tasks queued to a Redis broker that no worker reads: no PDF is rendered) plus the floor view
(`benchmarks/load_settings.py`), signs in a resident, a clerk, a lead, a supervisor and a
dispatcher (staff with a one-time code: a TOTP code from the seeded key or a fresh backup
code), and drives each page with `--users` concurrent users for at most `--requests`
requests or `--seconds` seconds. The floor (one `cases_case` row by primary key, same
processes) runs before the pages, between pages and writes, and at the end. Then the writes:
submitting an application (drafts made beforehand, signed with the resident's TOTP code),
one clerk approving review tasks, and 16 clerks approving at once (audited transitions/s).
Queries per request are counted once per page in this process (Django test client,
CaptureQueriesContext). Prints one Markdown table.
"""

import argparse
import os
import platform
import random
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from load_driver import TIMEOUT, Gunicorn, Http, Result, drive  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/portal_load"
CACHE_URL = "redis://127.0.0.1:6379/11"
BROKER_URL = "redis://127.0.0.1:6379/12"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--requests", type=int, default=200, help="per page, at most")
    parser.add_argument("--seconds", type=float, default=20.0, help="per page, at most")
    parser.add_argument("--clerks", type=int, default=16)
    parser.add_argument("--writes", type=int, default=100, help="per write measure, at most")
    parser.add_argument("--port", type=int, default=0, help="default: a free one")
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        help="seconds a request may take (gunicorn's worker timeout too): slower is an error",
    )
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("CACHE_URL", CACHE_URL)
    os.environ.setdefault("CELERY_BROKER_URL", BROKER_URL)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        sys.exit("The load benchmark runs on PostgreSQL (DATABASE_URL).")
    manage = [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "manage.py")]
    started = time.monotonic()
    if not args.reuse:
        subprocess.run(
            [*manage, "seed_load", "--cases", str(args.cases), "--seed", str(args.seed), "--reset"],
            check=True,
            cwd=ROOT,
        )
    seeded = time.monotonic() - started

    import django

    django.setup()
    from prepare import count_queries, prepare

    plan = prepare(seed=args.seed, clerks=args.clerks, writes=args.writes)
    print(f"prepared: {plan['summary']}", file=sys.stderr)
    queries = count_queries(plan)

    static_root = tempfile.mkdtemp(prefix="load-benchmark-static-")
    server_env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'benchmarks'}",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "PORTAL_BASE_URL": "http://127.0.0.1",  # required in production; links are not followed
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": static_root,
        "DB_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [*manage, "collectstatic", "--noinput", "-v0"], check=True, cwd=ROOT, env=server_env
    )
    try:
        with Gunicorn(
            root=str(ROOT), port=args.port, workers=2, env=server_env, timeout=args.timeout
        ) as server:
            args.port = server.port
            rows = run(plan, args)
    finally:
        _purge_broker()
    report(rows, queries, plan, args, seeded)


def run(plan: dict, args: argparse.Namespace) -> list[Result]:
    from django_otp.oath import totp

    port, users = args.port, args.users
    rng = random.Random(args.seed)  # noqa: S311 - which rows to read
    sessions: dict[str, list[Http]] = {}
    for role, account in plan["accounts"].items():
        sessions[role] = []
        for code in account["codes"][:users]:
            if code.startswith("totp:"):
                code = f"{totp(bytes.fromhex(code[5:])):06d}"
            client = Http(port, timeout=max(args.timeout, 120))  # first requests start workers
            client.sign_in(username=account["username"], password=plan["password"], code=code)
            client.set_timeout(args.timeout)
            sessions[role].append(client)
    anonymous = [Http(port, timeout=args.timeout) for _ in range(users)]
    floor_ids = plan["floor_ids"]

    def floor(name: str) -> Result:
        return drive(
            name,
            clients=anonymous,
            next_request=lambda i, c: (
                "GET",
                f"/__benchmark__/floor/{rng.choice(floor_ids)}/",
                None,
            ),
            max_requests=args.requests * 5,
            max_seconds=args.seconds / 2,
        )

    def get(path: str):
        return lambda i, c: ("GET", path, None)

    results = [floor("floor (before the pages)")]
    for name, role, path in plan["pages"]:
        clients = anonymous if role == "anonymous" else sessions[role]
        clients[0].request("GET", path)  # warm-up: templates, caches, connections
        results.append(
            drive(
                name,
                clients=clients,
                next_request=get(path),
                max_requests=args.requests,
                max_seconds=args.seconds,
            )
        )
        print(f"  {name}: {results[-1].done} requests", file=sys.stderr)
    results.append(floor("floor (after the pages)"))
    results += writes(plan, args)
    results.append(floor("floor (after the writes)"))
    return results


def writes(plan: dict, args: argparse.Namespace) -> list[Result]:
    from prepare import APPROVALS, APPROVE, SUBMIT

    port = args.port
    drafts = list(plan["drafts"])  # (ref, token, totp key hex)
    from django_otp.oath import totp

    def submit(i: int, client: Http) -> tuple[str, str, dict | None]:
        if i >= len(drafts):
            return "POST", "", None
        ref, token, key = drafts[i]
        client.token = token
        code = f"{totp(bytes.fromhex(key)):06d}"
        return "POST", f"/api/v1/cases/{ref}/submit/", {"channel": "totp", "code": code}

    results = [
        drive(
            SUBMIT,
            clients=[Http(port, timeout=args.timeout) for _ in range(args.users)],
            next_request=submit,
            max_requests=len(drafts),
            max_seconds=args.seconds * 2,
        )
    ]
    clerks = plan["clerks"]  # [(token, [task ids])]

    def approver(pools: list[list[int]]):
        def next_request(i: int, client: Http) -> tuple[str, str, dict | None]:
            pool = pools[clients.index(client)]
            if not pool:
                return "POST", "", None
            return "POST", f"/api/v1/tasks/{pool.pop()}/approve/", {"opinion": "同意。"}

        return next_request

    first_token, first_pool = clerks[0]
    single = first_pool[: args.writes // 2]
    del first_pool[: args.writes // 2]
    clients = [Http(port, token=first_token, timeout=args.timeout)]
    results.append(
        drive(
            APPROVE,
            clients=clients,
            next_request=approver([single]),
            max_requests=len(single),
            max_seconds=args.seconds,
        )
    )
    clients = [Http(port, token=token, timeout=args.timeout) for token, _pool in clerks]
    pools = [pool for _token, pool in clerks]
    results.append(
        drive(
            APPROVALS.replace("clerks", f"{len(clerks)} clerks"),
            clients=clients,
            next_request=approver(pools),
            max_requests=sum(len(p) for p in pools),
            max_seconds=args.seconds * 2,
        )
    )
    return results


def report(
    rows: list[Result], queries: dict, plan: dict, args: argparse.Namespace, seeded: float
) -> None:
    from django.db import connection
    from prepare import APPROVALS

    floors = [r.rps for r in rows if r.name.startswith("floor")]
    floor_rps = sorted(floors)[len(floors) // 2]
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute("SELECT count(*) FROM cases_case")
        cases = cursor.fetchone()[0]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()
    print()
    print(
        f"{cases:,} cases; {os.cpu_count()} CPUs, {memory:.0f} GiB, {version}, Python "
        f"{platform.python_version()}; gunicorn 2 sync workers; {args.users} users per page, "
        f"at most {args.requests} requests or {args.seconds:.0f} s; load average before/after "
        f"{plan['load']:.1f}/{load[0]:.1f}"
        + (f"; seeded in {seeded:.0f} s" if not args.reuse else "")
    )
    print()
    print("| page | queries | p50 ms | p95 ms | req/s | × floor | requests | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        errors = ", ".join(
            f"{n}×{'timeout' if code == TIMEOUT else code}"
            for code, n in sorted(row.errors.items())
        )
        key = row.name.split(" (")[0] if row.name.startswith("floor") else row.name
        count = queries.get(key, queries.get(APPROVALS) if "clerks at once" in key else None)
        print(
            f"| {row.name} | {count if count is not None else ''} | {row.pct(50):.0f} | "
            f"{row.pct(95):.0f} | {row.rps:.1f} | {row.rps / floor_rps:.3f} | {row.done} | "
            f"{errors} |"
        )
    print()
    print(f"floor: median of {len(floors)} runs, {floor_rps:.0f} req/s")


def _purge_broker() -> None:
    """Drop the tasks the run queued (receipts, deliveries): no worker will ever take them."""
    import redis

    redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]).flushdb()


if __name__ == "__main__":
    main()
