"""Audited transactions per second with concurrent clerks: one chain head against parallel chains.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_audit \\
        .venv/bin/python benchmarks/audit_chain_benchmark.py [--clerks 16] [--seconds 8]

Standalone, not part of the test run. It creates a test database next to the one named (as
pytest does; dropped at the end) and runs, for each way of chaining, `--clerks` threads with a
connection each, every one committing transactions in a closed loop for `--seconds`. A
transaction is what an approval does to the trail: lock the case's row, append two audit events
(the task's and the case's), then `--hold-ms` of the transaction's other work (the timeline
line, notifications, the outbox; a sleep, so threads overlap as separate web workers do) before
it commits. Ways:

- floor: the same transaction with no audit events (the row lock, the hold, the commit);
- one chain: every transaction locks the one head (the portal before parallel chains);
- parallel chains: `audit_record` as it is (a head no other transaction holds).

It prints transactions per second per way, the ratio to the floor, and checks the whole trail
with `audit_chain_first_break()` at the end.
"""

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clerks", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--hold-ms", type=float, default=5.0)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (a test copy is created next to it).")
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(args)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args: argparse.Namespace) -> None:
    from django.db import connection, transaction

    from apps.accounts.models import Department
    from apps.audit import services
    from apps.audit.models import AuditChainHead, AuditEvent
    from apps.audit.selectors import audit_chain_first_break

    rows = [Department.objects.create(code=f"d{n}", name_zh=f"局{n}") for n in range(args.clerks)]
    parallel = services._chain_head_locked

    def one_chain() -> AuditChainHead:
        return AuditChainHead.objects.select_for_update().get_or_create(pk=1)[0]

    def transaction_once(row: Department, audited: bool) -> None:
        with transaction.atomic():
            Department.objects.select_for_update().filter(pk=row.pk).first()
            if audited:
                services.audit_record(
                    action="cases.review_task.task_approve", target=row, data={"n": 1}
                )
                services.audit_record(action="cases.case.approve", target=row)
            time.sleep(args.hold_ms / 1000)

    def drive(audited: bool) -> float:
        stop = time.monotonic() + args.seconds
        done = [0] * args.clerks

        def clerk(index: int) -> None:
            try:
                while time.monotonic() < stop:
                    transaction_once(rows[index], audited)
                    done[index] += 1
            finally:
                connection.close()

        threads = [threading.Thread(target=clerk, args=(i,)) for i in range(args.clerks)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sum(done) / (time.monotonic() - started)

    print(
        f"{args.clerks} clerks, {args.seconds:.0f} s each way, {args.hold_ms:.0f} ms of other "
        f"work per transaction; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    results: list[tuple[str, float]] = []
    for name, audited, chooser in (
        ("floor (no audit events)", False, parallel),
        ("one chain head", True, one_chain),
        ("parallel chains", True, parallel),
        ("floor again", False, parallel),
    ):
        services._chain_head_locked = chooser
        results.append((name, drive(audited)))
    services._chain_head_locked = parallel
    floor = (results[0][1] + results[-1][1]) / 2
    print(f"  {'way':<26}{'transactions/s':>16}{'x floor':>10}")
    for name, rate in results:
        print(f"  {name:<26}{rate:>16.1f}{rate / floor:>10.2f}")
    chains = AuditEvent.objects.values("chain").distinct().count()
    broken = audit_chain_first_break()
    print(
        f"  trail: {AuditEvent.objects.count()} events in {chains} chains, "
        + ("intact" if broken is None else f"BROKEN at {broken.event_id}: {broken.reason}")
    )


if __name__ == "__main__":
    main()
