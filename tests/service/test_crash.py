"""Crash tests: SIGKILL at random instants of a bounded load run, restart, and the outbox equals an
uninterrupted run's — same actions, same ids, same order; nothing answered ``accepted`` is lost and
nothing is duplicated. On SQLite (one node) and on PostgreSQL (two nodes, the deciding one killed)."""

from __future__ import annotations

import random
import threading
import time
from typing import Callable

import pytest

from tests.service import load
from tests.service.conftest import Server, fresh_postgres, postgres_url

pytestmark = pytest.mark.slow


def without_seq(actions: list[dict]) -> list[dict]:
    return [{k: v for k, v in a.items() if k != "seq"} for a in actions]


def run_with_kills(requests: list[load.Request], servers: list[Server], victim: Callable[[], Server], kills: int,
                   seed: int) -> list[dict]:
    """Post ``requests`` in order; at ``kills`` random requests, SIGKILL ``victim()`` a random few
    milliseconds after the request starts (so the kill lands while it is decided or committed) and
    restart it. Returns what was answered ``accepted``."""
    rng = random.Random(seed)
    points = sorted(rng.sample(range(2, len(requests) - 2), kills))
    accepted: list[dict] = []
    killers: list[threading.Thread] = []

    def kill_and_restart(delay: float) -> None:
        time.sleep(delay)
        server = victim()
        server.kill()
        server.start(wait=False)
        server.wait_ready()

    for number, request in enumerate(requests):
        if number in points:
            for killer in killers:
                killer.join()
            killers.append(threading.Thread(target=kill_and_restart, args=(rng.uniform(0.0, 0.03),)))
            killers[-1].start()
        answer = load.send([s.url for s in servers], request)
        if request[0] == "events":
            assert answer.status_code == 200, answer.text
            accepted += [r for r in answer.json()["results"] if r["status"] == "accepted"]
        else:
            assert answer.status_code in (200, 400), answer.text
    for killer in killers:
        killer.join()
    return accepted


def check(feed: list[dict], expected: list[dict], accepted: list[dict]) -> None:
    assert [a["seq"] for a in feed] == list(range(1, len(feed) + 1))
    assert len({a["id"] for a in feed}) == len(feed), "an action is duplicated"
    assert without_seq(feed) == expected
    ids = {a["id"] for a in feed}
    assert all(a["id"] in ids for r in accepted for a in r["actions"]), "an action answered as accepted was lost"


def test_sigkill_during_a_load_run_on_sqlite(server_factory) -> None:
    requests = load.plan(subjects=80, batch=20)
    expected = load.reference(requests)
    server = server_factory("--clock", "manual")
    accepted = run_with_kills(requests, [server], lambda: server, kills=4, seed=1)
    assert len({r["id"] for r in accepted}) == sum(len(b) for k, b in requests if k == "events")
    check(server.feed(), expected, accepted)


def test_two_nodes_on_postgresql_the_deciding_one_killed_during_a_load_run(server_factory) -> None:
    db = fresh_postgres(postgres_url())
    requests = load.plan(subjects=80, batch=20, seed=21)
    expected = load.reference(requests)
    a = server_factory("--clock", "manual", db=db)
    b = server_factory("--clock", "manual", db=db, start=False).start(wait=False)
    b.wait_ready(role="standby")

    def deciding() -> Server:
        for server in (a, b):
            try:
                if server.get("/healthz").json()["role"] == "active":
                    return server
            except Exception:
                pass
        return a

    accepted = run_with_kills(requests, [a, b], deciding, kills=3, seed=2)
    check(a.feed(), expected, accepted)
