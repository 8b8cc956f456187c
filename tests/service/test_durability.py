"""Restarts: state and outbox come back from the database; the system clock catches up."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from duchaplugin.calendar import BEIJING
from tests.service.conftest import events, post_like_replay, replay_actions

DOCKET = "docket.jsonl"


def test_a_killed_server_continues_as_if_never_stopped(server_factory) -> None:
    history = events(DOCKET)
    server = server_factory("--clock", "manual")
    half = post_like_replay(server, history[:6])
    assert {r["status"] for r in half} == {"accepted"}
    server.kill()
    server.start()
    assert [r["status"] for r in server.post("/v1/events", history[:6]).json()["results"]] == ["duplicate"] * 6
    post_like_replay(server, history[6:], until="2025-12-31")
    assert [{k: v for k, v in a.items() if k != "seq"} for a in server.feed()] == replay_actions(DOCKET, until="2025-12-31")
    assert [a["seq"] for a in server.feed()] == list(range(1, len(server.feed()) + 1))


def test_a_restart_on_the_system_clock_catches_up_rung_by_rung(server_factory, tmp_path) -> None:
    """Stopped in August 2025 (a manual clock), started again on the system clock: everything due
    since fires, in order, as a replay up to now gives it."""
    history = events(DOCKET)[:6]
    server = server_factory("--clock", "manual")
    post_like_replay(server, history)
    before = len(server.feed())
    server.stop()
    now = datetime.now(BEIJING)
    expected = replay_actions_until(history, now, tmp_path)
    system = server_factory("--clock", "system", db=server.db)
    deadline = time.monotonic() + 60
    while len(system.feed()) < len(expected) and time.monotonic() < deadline:
        time.sleep(0.2)
    feed = system.feed()
    assert len(feed) > before
    assert [{k: v for k, v in a.items() if k != "seq"} for a in feed] == expected
    answer = system.post("/v1/clock", {"at": "2030-01-01"})
    assert answer.status_code == 409 and answer.json()["error"]["field"] == "at"


def replay_actions_until(history: list[dict], until: datetime, directory: Path) -> list[dict]:
    path = directory / "part.jsonl"
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in history), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "duchaplugin.cli", "replay", str(path), "--until", until.isoformat()],
                         capture_output=True, text=True, encoding="utf-8").stdout
    return [json.loads(line) for line in out.splitlines()]


def test_a_token_guards_everything_but_healthz(server_factory) -> None:
    server = server_factory("--clock", "manual", env={"DUCHAPLUGIN_TOKEN": "s3cret"})
    assert server.get("/healthz").status_code == 200
    for path in ("/v1/packs", "/v1/actions", "/metrics", "/openapi.json", "/docs"):
        answer = server.get(path)
        assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
        assert answer.json()["error"]["field"] == "Authorization"
    assert server.get("/v1/packs", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert server.post("/v1/events", events(DOCKET)[0]).status_code == 401
    server.headers = {"Authorization": "Bearer s3cret"}
    assert server.get("/v1/packs").status_code == 200
    assert server.post("/v1/events", events(DOCKET)[0]).json()["results"][0]["status"] == "accepted"
    assert server.get("/openapi.json").json()["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
