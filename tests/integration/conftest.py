import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.db import connection
from kombu import pools as kombu_pools

BASE_DIR = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
POLL_TIMEOUT = 60


def integration_broker_url() -> str:
    """The broker for these tests: INTEGRATION_CELERY_BROKER_URL, else CELERY_BROKER_URL with its
    own Redis database (INTEGRATION_REDIS_DB, default 15), so that the short visibility timeout
    of the test worker never hands out someone else's unacknowledged tasks again."""
    if os.environ.get("INTEGRATION_CELERY_BROKER_URL"):
        return os.environ["INTEGRATION_CELERY_BROKER_URL"]
    parts = urlsplit(os.environ["CELERY_BROKER_URL"])
    return urlunsplit(parts._replace(path=f"/{os.environ.get('INTEGRATION_REDIS_DB', '15')}"))


def require_integration_environment() -> None:
    missing = []
    if connection.vendor != "postgresql":
        missing.append("a PostgreSQL DATABASE_URL")
    if not os.environ.get("CELERY_BROKER_URL"):
        missing.append("CELERY_BROKER_URL (Redis)")
    if missing:
        reason = "integration tests need " + " and ".join(missing)
        if os.environ.get("REQUIRE_INTEGRATION") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def wait_for(predicate, *, timeout: float = POLL_TIMEOUT, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Worker:
    """One real `celery worker` process on the test queue."""

    def __init__(self, *, env: dict, log_path: Path, queue: str):
        self.log_path = log_path
        self.log = log_path.open("ab")
        self.process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "portal",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                queue,
                "-n",
                f"itest-{uuid.uuid4().hex[:8]}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        start = self.log_path.stat().st_size
        try:
            wait_for(
                lambda: self.process.poll() is not None or b" ready." in self._log_since(start),
                what="the Celery worker to start",
            )
        except AssertionError:
            self.kill()  # not left running when it never became ready
            raise
        if self.process.poll() is not None:
            raise AssertionError(f"the worker exited:\n{self.log_path.read_text()}")

    def _log_since(self, start: int) -> bytes:
        with self.log_path.open("rb") as handle:
            handle.seek(start)
            return handle.read()

    def kill(self) -> None:
        """kill -9: no clean shutdown, no acknowledgement of the task in hand."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
                return
        self.log.close()


def forget_broker_connections(app) -> None:
    """Drop pooled broker connections (even eager runs open one), so the next send reconnects
    to the broker configured now. kombu keeps its pools in a global registry."""
    app._pool = None
    app.amqp._producer_pool = None
    kombu_pools.reset()


@pytest.fixture
def celery_on_broker(settings, monkeypatch):
    """Send tasks from this test process to the real broker, on a queue of this test's own."""
    require_integration_environment()
    from portal.celery import app

    broker_url = integration_broker_url()
    queue = f"itest-notifications-{uuid.uuid4().hex[:8]}"
    keys = ["task_always_eager", "broker_url", "broker_transport_options"]
    saved = {key: app.conf[key] for key in keys}
    # Celery prefers the CELERY_BROKER_URL environment variable to its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", broker_url)
    forget_broker_connections(app)
    app.conf.update(task_always_eager=False, broker_url=broker_url, broker_transport_options={})
    settings.NOTIFICATIONS_CELERY_QUEUE = queue
    try:
        yield {"broker_url": broker_url, "queue": queue}
    finally:
        app.conf.update(saved)
        forget_broker_connections(app)
        client = redis.Redis.from_url(broker_url)
        stale = list(client.scan_iter(match=f"*{queue}*"))
        if stale:
            client.delete(*stale)
        client.close()


@pytest.fixture
def start_worker(celery_on_broker, tmp_path):
    """start_worker(**env) starts a worker; every worker is stopped when the test ends."""
    workers: list[Worker] = []
    sms_file = tmp_path / "sms.jsonl"

    def start(**extra_env) -> Worker:
        env = {
            **os.environ,
            "PYTHONPATH": str(BASE_DIR),
            "DJANGO_SETTINGS_MODULE": "tests.settings_integration",
            "CELERY_BROKER_URL": celery_on_broker["broker_url"],
            "NOTIFICATIONS_CELERY_QUEUE": celery_on_broker["queue"],
            "INTEGRATION_DATABASE_NAME": connection.settings_dict["NAME"],
            "SMS_FILE_PATH": str(sms_file),
            "SMS_BACKEND": "apps.core.sms.ConsoleFileSmsBackend",
            **extra_env,
        }
        worker = Worker(
            env=env,
            log_path=tmp_path / f"worker-{len(workers)}.log",
            queue=celery_on_broker["queue"],
        )
        workers.append(worker)
        return worker

    start.sms_file = sms_file
    start.tmp_path = tmp_path
    try:
        yield start
    finally:
        for worker in workers:
            worker.stop()
