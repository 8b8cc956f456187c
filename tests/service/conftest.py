"""A real ``duchaplugin serve`` in a subprocess on 127.0.0.1 and a free port, and a real HTTP client."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PG_ENV = "DUCHAPLUGIN_TEST_PG"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``duchaplugin serve`` run as a user would: ``start``, ``kill`` (SIGKILL), ``stop`` (SIGTERM)."""

    def __init__(self, directory: Path, db: str | None = None, *args: str, env: dict[str, str] | None = None) -> None:
        self.directory, self.args = directory, list(args)
        self.db = db or f"sqlite:///{directory / 'service.db'}"
        self.env = {**os.environ, **(env or {})}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = directory / f"server-{self.port}.log"
        self.headers: dict[str, str] = {}

    def start(self, wait: bool = True) -> "Server":
        command = [sys.executable, "-m", "duchaplugin.cli", "serve", "--port", str(self.port), "--db", self.db,
                   "--log-level", "warning", *self.args]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, cwd=self.directory, stdout=log, stderr=subprocess.STDOUT, env=self.env)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 90, role: str | None = None) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                answer = httpx.get(self.url + "/healthz", timeout=2)
                if answer.status_code == 200 and (role is None or answer.json()["role"] == role):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"server not ready in {timeout}s:\n{self.log.read_text()}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, headers=self.headers, **kwargs)

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
        return httpx.post(self.url + path, json=body, timeout=60, headers={**self.headers, **(headers or {})}, **kwargs)

    def get(self, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
        return httpx.get(self.url + path, timeout=60, headers={**self.headers, **(headers or {})}, **kwargs)

    def feed(self) -> list[dict[str, Any]]:
        """The whole outbox, page by page."""
        actions, after = [], 0
        while True:
            page = self.get("/v1/actions", params={"after": after, "limit": 1000}).json()
            actions += page["actions"]
            if page["next"] == after:
                return actions
            after = page["next"]


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Any]:
    started: list[Server] = []

    def make(*args: str, db: str | None = None, directory: Path | None = None, start: bool = True, **kwargs: Any) -> Server:
        server = Server(directory or tmp_path, db, *args, **kwargs)
        started.append(server)
        return server.start() if start else server

    yield make
    for server in started:
        server.stop()


def events(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (EXAMPLES / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def replay_actions(name: str, until: str | None = None) -> list[dict[str, Any]]:
    """What ``duchaplugin replay`` prints for an example: the reference a service run must equal."""
    command = [sys.executable, "-m", "duchaplugin.cli", "replay", str(EXAMPLES / name)] + (["--until", until] if until else [])
    out = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", check=False).stdout
    return [json.loads(line) for line in out.splitlines()]


def post_like_replay(server: Server, history: list[dict[str, Any]], until: str | None = None) -> list[dict[str, Any]]:
    """Post a history the way ``replay`` runs it: the clock to each event's time, then the event."""
    results = []
    for event in history:
        assert server.post("/v1/clock", {"at": event["at"]}).status_code in (200, 400)  # 400: the clock is past it
        results += server.post("/v1/events", event).json()["results"]
    if until:
        assert server.post("/v1/clock", {"at": until}).status_code == 200
    return results


def postgres_url() -> str:
    """The test PostgreSQL server's URL (``.ci/run`` starts one); tests that need it skip only locally."""
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set in CI: .ci/run must start PostgreSQL")
        pytest.skip(f"{PG_ENV} not set (README: running the PostgreSQL tests)")
    return url


def fresh_postgres(url: str) -> str:
    """An empty database on the test server (a new one per test)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"t{os.getpid()}_{time.monotonic_ns()}"
    admin = create_engine(make_url(url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)
