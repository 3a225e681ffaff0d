"""A batch of receipts through real Celery workers: letters per second.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_receipt \\
        .venv/bin/python benchmarks/letters_batch_benchmark.py [--letters 1000] [--workers 2]

Standalone, not part of the test run. Needs PostgreSQL (DATABASE_URL) and Redis
(`--broker`, default redis://127.0.0.1:6379/13). It creates a test database next to the one
named (as pytest does; dropped at the end, so no real data is touched), seeds one service and
`--letters` submitted cases with Chinese answers, starts `--workers` Celery worker processes
(`celery -A portal worker --pool=solo`, one process each, on a queue of their own), waits until
they answer a ping, then queues `case_receipt_issue_task` for every case — the task a
submission queues: render, seal, check the seal, store the PDF, audit it, add the timeline
line — and counts the stored receipts until all are there or `--timeout` seconds have passed.
It prints the time, the letters per second and each worker's milliseconds per letter. The
workers are stopped (by their process ids) and the queue emptied at the end.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAMES = ["王秀兰", "张伟", "李娜", "刘洋", "陈静", "杨帆", "赵敏", "黄磊", "周杰", "吴芳"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=900, help="seconds for the whole batch")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (a test copy is created next to it).")
    workdir = Path(tempfile.mkdtemp(prefix="letters-benchmark-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ["SIGNING_KEYS_DIR"] = str(workdir / "keys")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["CELERY_BROKER_URL"] = args.broker
    os.environ.setdefault("DEBUG", "0")  # no query log growing in the workers
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()

    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(args, workdir, test_name)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def seed(count: int) -> list[int]:
    from django.utils import timezone, translation

    from apps.accounts.models import Department, ResidentProfile, User
    from apps.cases.models import Case, CaseEvent
    from apps.signatures.keys import ensure_keys
    from tests.catalog.factories import VALID_ANSWERS, make_service

    ensure_keys(seals=["portal"])  # before the workers start, not by both at once
    translation.activate("zh-hans")
    department = Department.objects.create(code="civil", name_zh="民政局", name_en="Civil Affairs")
    service = make_service(department=department)
    version = service.versions.get()
    residents = []
    for i, name in enumerate(NAMES):
        user = User.objects.create(username=f"resident-{i}", display_name=name)
        ResidentProfile.objects.create(user=user, real_name=name)
        residents.append(user)
    now = timezone.now()
    cases = Case.objects.bulk_create(
        [
            Case(
                number=f"BL-{i:06d}",
                service=service,
                version=version,
                applicant=residents[i % len(residents)],
                created_by=residents[i % len(residents)],
                channel=Case.Channel.WEB,
                state=Case.State.SUBMITTED,
                submitted_at=now,
                lead_department=department,
                answers={**VALID_ANSWERS, "full_name": NAMES[i % len(NAMES)], "notes": f"第{i}份"},
            )
            for i in range(count)
        ],
        batch_size=1000,
    )
    CaseEvent.objects.bulk_create(
        [CaseEvent(case=case, verb="submit", to_state=Case.State.SUBMITTED) for case in cases],
        batch_size=1000,
    )
    return [case.pk for case in cases]


def start_workers(args, workdir: Path, test_name: str, queue: str) -> list[subprocess.Popen]:
    from django.conf import settings

    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER']}"
        + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
        + f"@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{test_name}"
    )
    env = {**os.environ, "DATABASE_URL": url}
    celery = Path(sys.executable).with_name("celery")
    workers = []
    for i in range(args.workers):
        log = (workdir / f"worker-{i}.log").open("w")
        command = [str(celery), "-A", "portal", "worker", "--pool=solo", "-Q", queue]
        command += ["-n", f"letters{i}-{queue}@%h", "-l", "WARNING"]
        command += ["--without-gossip", "--without-mingle"]
        workers.append(
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        )
    return workers


def wait_for_workers(count: int, queue: str, deadline: float) -> None:
    from portal.celery import app

    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0)
        if sum(1 for reply in replies for name in reply if queue in name) >= count:
            return
    raise SystemExit("the workers did not answer in time")


def run(args, workdir: Path, test_name: str) -> None:
    from apps.cases.tasks import case_receipt_issue_task
    from apps.documents.models import Document
    from portal.celery import app

    started = time.perf_counter()
    case_ids = seed(args.letters)
    print(f"seeded {len(case_ids)} submitted cases in {time.perf_counter() - started:.1f} s")
    load_before = os.getloadavg()

    queue = f"letters-{uuid.uuid4().hex[:8]}"
    workers = start_workers(args, workdir, test_name, queue)
    deadline = time.monotonic() + args.timeout
    try:
        wait_for_workers(args.workers, queue, deadline=time.monotonic() + 120)
        started = time.perf_counter()
        for case_id in case_ids:
            case_receipt_issue_task.apply_async(args=[case_id], queue=queue)
        queued = time.perf_counter() - started
        done, progress = 0, []
        while done < len(case_ids) and time.monotonic() < deadline:
            time.sleep(0.5)
            done = Document.objects.filter(kind=Document.Kind.RECEIPT).count()
            progress.append((time.perf_counter() - started, done))
        elapsed = time.perf_counter() - started
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue)

    stamps = sorted(Document.objects.values_list("sealed_at", flat=True))
    gaps = [(b - a).total_seconds() * 1000 for a, b in zip(stamps, stamps[1:], strict=False)]
    load = " ".join(f"{x:.2f}" for x in load_before)
    print(f"machine: {os.cpu_count()} cores, load average before the batch {load}")
    print(f"{args.workers} Celery workers (--pool=solo), broker {args.broker}, {test_name}")
    print(f"  queued {len(case_ids)} tasks in {queued:.1f} s")
    status = "all stored" if done == len(case_ids) else f"TIMED OUT after {args.timeout} s"
    print(f"  {done} of {len(case_ids)} receipts stored in {elapsed:.1f} s ({status})")
    if done:
        rate = done / elapsed
        print(f"  throughput {rate:.1f} letters/s ({rate * 60:.0f} a minute)")
        print(f"  per worker {elapsed * args.workers / done * 1000:.0f} ms a letter")
    if gaps:
        print(f"  median gap between two stored letters {statistics.median(gaps):.1f} ms")


if __name__ == "__main__":
    main()
