"""The load benchmark's HTTP side: a small keep-alive client with its own cookies, a closed-loop
driver (N users, each sending its next request when the last one answered), and gunicorn
started and stopped by the benchmark. Loopback only; standard library only."""

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

HOST = "127.0.0.1"
TIMEOUT = 598  # the status a request gets that did not answer in time


class Http:
    """One user's connection: cookies kept, reconnects when the server closes (sync workers
    close after each response), a bearer token if given."""

    def __init__(self, port: int, *, token: str = "", timeout: float = 120.0) -> None:
        self.port, self.token, self.timeout = port, token, timeout
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=timeout)

    def set_timeout(self, timeout: float) -> None:
        self.timeout = timeout
        self.conn.close()
        self.conn = http.client.HTTPConnection(HOST, self.port, timeout=timeout)

    def request(
        self, method: str, path: str, *, form: dict | None = None, data: dict | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {"Host": f"{HOST}:{self.port}", "Accept-Language": "zh-hans"}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        elif data is not None:
            body = json.dumps(data)
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                content = response.read()
                break
            except TimeoutError:
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
                raise
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
                if attempt == 2:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(value)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, dict(response.headers), content

    def sign_in(self, *, username: str, password: str, code: str = "") -> None:
        """The sign-in form, then the one-time code for staff; raises if it did not work."""
        self.request("GET", "/accounts/login/")
        status, headers, _ = self.request(
            "POST",
            "/accounts/login/",
            form={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
            },
        )
        if status != 302:
            raise RuntimeError(f"sign-in of {username} failed: {status}")
        if code:
            self.request("GET", "/accounts/2fa/verify/")
            status, _, _ = self.request(
                "POST",
                "/accounts/2fa/verify/",
                form={"code": code, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")},
            )
            if status != 302:
                raise RuntimeError(f"2FA of {username} failed: {status}")


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds
    errors: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0
    users: int = 0

    @property
    def done(self) -> int:
        return len(self.latencies)

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        if len(self.latencies) == 1:
            return self.latencies[0] * 1000
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return cuts[int(q) - 1] * 1000

    @property
    def rps(self) -> float:
        return self.done / self.elapsed if self.elapsed else 0.0


def drive(
    name: str,
    *,
    clients: list[Http],
    next_request: Callable[[int, Http], tuple[str, str, dict | None]],
    max_requests: int,
    max_seconds: float,
    ok: tuple[int, ...] = (200,),
) -> Result:
    """Closed loop: each client sends `next_request(i, client)` (method, path, JSON body) until
    `max_requests` were sent in all or `max_seconds` passed; answers outside `ok` count as
    errors, not as samples."""
    result = Result(name, users=len(clients))
    lock = threading.Lock()
    sent = [0]
    start = time.perf_counter()
    deadline = start + max_seconds
    finished = [start]

    def user(client: Http) -> None:
        while True:
            with lock:
                if sent[0] >= max_requests or time.perf_counter() > deadline:
                    return
                index = sent[0]
                sent[0] += 1
            method, path, body = next_request(index, client)
            if not path:
                return
            t0 = time.perf_counter()
            try:
                status, _, _ = client.request(method, path, data=body)
            except TimeoutError:
                status = TIMEOUT
            except OSError:
                status = 599
            t1 = time.perf_counter()
            with lock:
                finished[0] = max(finished[0], t1)
                if status in ok:
                    result.latencies.append(t1 - t0)
                else:
                    result.errors[status] = result.errors.get(status, 0) + 1

    threads = [threading.Thread(target=user, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = finished[0] - start
    return result


def free_port() -> int:
    """A port nobody listens on now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class Gunicorn:
    """`gunicorn portal.wsgi` with the benchmark's settings, on loopback, stopped on exit."""

    def __init__(
        self, *, root: str, port: int, workers: int, env: dict[str, str], timeout: float
    ) -> None:
        self.root, self.port, self.workers, self.env = root, port, workers, env
        self.timeout = timeout
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Gunicorn":
        if not self.port:
            self.port = free_port()
        self.process = subprocess.Popen(
            [
                os.path.join(self.root, ".venv", "bin", "gunicorn"),
                "portal.wsgi",
                "--workers",
                str(self.workers),
                "--bind",
                f"{HOST}:{self.port}",
                "--timeout",
                "300",
                "--log-level",
                "warning",
            ],  # fmt: skip
            cwd=self.root,
            env=self.env,
        )
        for _ in range(600):
            time.sleep(0.1)
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited (is the port taken?)")
            try:
                http.client.HTTPConnection(HOST, self.port, timeout=2).request("GET", "/healthz")
            except OSError:
                continue
            time.sleep(1)
            if self.process.poll() is not None:  # someone else answered: ours could not bind
                raise RuntimeError(f"port {self.port} belongs to another server")
            return self
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
