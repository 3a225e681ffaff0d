"""Two web nodes and two Celery workers on one PostgreSQL and one Redis (docs/deploy.md): the
same clerk action fired many times at once at both nodes runs once. Exactly one request per
case succeeds and the others get 409, the resident is notified once per channel and the SMS
goes out once, and the audit chain stays intact.

Everything listens on 127.0.0.1; the processes are stopped when the test ends. Run with
PostgreSQL and Redis as .ci/run does (DATABASE_URL, CELERY_BROKER_URL, REQUIRE_INTEGRATION=1)."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
from django.core.management import call_command
from django.db import connection
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Department, StaffMembership
from apps.audit.actions import AuditAction
from apps.audit.models import AuditEvent
from apps.cases.models import Case, CaseEvent, ReviewTask
from apps.notifications.models import Notification
from tests.cases.staff_factories import id_number, submitted_case
from tests.catalog.factories import make_service
from tests.conftest import PASSWORD, make_resident, make_staff

from .conftest import (
    BASE_DIR,
    Worker,
    integration_broker_url,
    require_integration_environment,
    wait_for,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

GUNICORN = Path(sys.executable).with_name("gunicorn")
CASES = 3
TRIES_PER_NODE = 4  # per case: 8 concurrent accepts of each case, 24 requests in all


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(port: int, method: str, path: str, *, body=None, token: str = "") -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json", "Accept-Language": "en"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request(method, path, body=json.dumps(body or {}), headers=headers)
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    try:
        return response.status, json.loads(data or b"{}")
    except ValueError:
        return response.status, {"body": data.decode(errors="replace")[:500]}


class WebNode:
    """One `gunicorn portal.wsgi` with two workers, as on each web server."""

    def __init__(self, *, env: dict, log_path: Path):
        self.port = free_port()
        self.log_path = log_path
        self.log = log_path.open("ab")
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "portal.wsgi",
                "--workers=2",
                f"--bind=127.0.0.1:{self.port}",
                "--timeout=60",
                "--graceful-timeout=5",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited:\n{self.log_path.read_text()}")
        try:
            return call(self.port, "GET", "/healthz")[0] == 200
        except OSError:
            return False

    def wait_ready(self) -> None:
        wait_for(self._healthy, what=f"the web node on port {self.port}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
        self.log.close()


@pytest.fixture
def cluster(tmp_path):
    """Two web nodes and two workers sharing the test database and a Redis queue of their own."""
    require_integration_environment()
    broker_url = integration_broker_url()
    queue = f"itest-nodes-{uuid.uuid4().hex[:8]}"
    sms_file = tmp_path / "sms.jsonl"
    env = {
        **os.environ,
        "PYTHONPATH": str(BASE_DIR),
        "DJANGO_SETTINGS_MODULE": "tests.settings_integration",
        "CELERY_BROKER_URL": broker_url,
        "NOTIFICATIONS_CELERY_QUEUE": queue,
        "INTEGRATION_DATABASE_NAME": connection.settings_dict["NAME"],
        "SMS_FILE_PATH": str(sms_file),
        "SMS_BACKEND": "apps.core.sms.ConsoleFileSmsBackend",
    }
    nodes: list[WebNode] = []
    workers: list[Worker] = []
    try:
        nodes = [WebNode(env=env, log_path=tmp_path / f"web-{i}.log") for i in range(2)]
        # Both workers start at once (each waits until it is ready).
        with ThreadPoolExecutor(max_workers=2) as pool:
            started = [
                pool.submit(Worker, env=env, log_path=tmp_path / f"worker-{i}.log", queue=queue)
                for i in range(2)
            ]
            failures = []
            for future in started:
                try:
                    workers.append(future.result())
                except AssertionError as exc:  # that one is stopped already
                    failures.append(exc)
        if failures:
            raise failures[0]
        for node in nodes:
            node.wait_ready()
        yield {"nodes": nodes, "sms_file": sms_file, "broker_url": broker_url, "queue": queue}
    finally:
        for node in nodes:
            node.stop()
        for worker in workers:
            worker.stop()
        client = redis.Redis.from_url(broker_url)
        stale = list(client.scan_iter(match=f"*{queue}*"))
        if stale:
            client.delete(*stale)
        client.close()


def totp_code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{token:0{device.digits}d}"


def sms_lines(sms_file: Path) -> list[dict]:
    if not sms_file.exists():
        return []
    return [json.loads(line) for line in sms_file.read_text(encoding="utf-8").splitlines() if line]


def test_concurrent_accepts_at_two_nodes_run_once_notify_once_and_keep_the_chain(cluster):
    nodes = cluster["nodes"]
    # given submitted cases of the clerk's department, each with a resident told by SMS
    department = Department.objects.create(
        code="market", name_zh="市场监督管理局", name_en="Market"
    )
    clerk = make_staff(username="clerk", department=department, role=StaffMembership.Role.CLERK)
    service = make_service(department=department)
    cases = []
    for n in range(CASES):
        resident = make_resident(
            email=f"nodes{n}@example.cn",
            phone=f"1390000{n:04d}",
            id_number=id_number(500 + n),
            notification_channels=["sms"],
        )
        cases.append(submitted_case(service, resident))
    # the clerk signs in at the first node with password and authenticator code...
    status, body = call(
        nodes[0].port,
        "POST",
        "/api/v1/auth/token/",
        body={"login": clerk.email, "password": PASSWORD, "otp": totp_code(clerk)},
    )
    assert status == 200, body
    assert body["otp_verified"] is True
    token = body["token"]

    # when the same accept of each case is fired at both nodes at once
    jobs = [
        (node.port, case.ref) for case in cases for node in nodes for _ in range(TRIES_PER_NODE)
    ]
    start = threading.Barrier(len(jobs))

    def accept(job):
        port, ref = job
        start.wait(timeout=60)
        return ref, call(port, "POST", f"/api/v1/cases/{ref}/accept/", token=token)

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(accept, jobs))

    # then each case was taken in exactly once: one 200, every other try 409
    for case in cases:
        statuses = sorted(status for ref, (status, _body) in results if ref == case.ref)
        assert statuses == [200] + [409] * (2 * TRIES_PER_NODE - 1), [
            (status, body) for ref, (status, body) in results if ref == case.ref
        ]
        refused = [body for ref, (status, body) in results if ref == case.ref and status == 409]
        assert all(body["code"] == "conflict" for body in refused), refused
        case.refresh_from_db()
        assert case.state == Case.State.IN_REVIEW
        assert CaseEvent.objects.filter(case=case, verb="accept").count() == 1
        assert ReviewTask.objects.filter(case=case).count() == 1
        accepted = AuditEvent.objects.filter(action=AuditAction.CASE_ACCEPT, target_id=str(case.pk))
        assert accepted.count() == 1

    # one notification per resident and channel, and each SMS delivered once by the workers
    told = Notification.objects.filter(event="case.accepted")
    assert sorted(told.values_list("recipient__phone", "channel")) == sorted(
        (case.applicant.phone, channel) for case in cases for channel in ("in_app", "sms")
    )
    sms = told.filter(channel=Notification.Channel.SMS)
    wait_for(
        lambda: set(sms.values_list("status", flat=True)) == {Notification.Status.SENT},
        what="the workers to send every SMS",
    )
    broker = redis.Redis.from_url(cluster["broker_url"])
    try:
        wait_for(lambda: broker.llen(cluster["queue"]) == 0, what="the queue to drain")
    finally:
        broker.close()
    lines = [
        line for line in sms_lines(cluster["sms_file"]) if "accepted" in line["idempotency_key"]
    ]
    sent_keys = sorted(line["idempotency_key"] for line in lines)
    assert sent_keys == sorted(n.idempotency_key for n in sms)
    assert sorted(line["to"] for line in lines) == sorted(case.applicant.phone for case in cases)

    # and the audit chain, written by four web processes at once, is intact
    call_command("verify_audit_chain")
