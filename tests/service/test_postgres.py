"""The service on a real PostgreSQL (``.ci/run`` starts one; locally these skip without
``DUCHAPLUGIN_TEST_PG``): restart, and two nodes where either accepts events and one decides."""

from __future__ import annotations

import time

import pytest

from tests.service.conftest import events, fresh_postgres, post_like_replay, postgres_url, replay_actions

DOCKET = "docket.jsonl"


@pytest.fixture
def pg() -> str:
    return fresh_postgres(postgres_url())


def without_seq(actions: list[dict]) -> list[dict]:
    return [{k: v for k, v in a.items() if k != "seq"} for a in actions]


def test_a_killed_server_continues_on_postgresql(server_factory, pg) -> None:
    history = events(DOCKET)
    server = server_factory("--clock", "manual", db=pg)
    post_like_replay(server, history[:6])
    server.kill()
    server.start()
    assert {r["status"] for r in server.post("/v1/events", history[:6]).json()["results"]} == {"duplicate"}
    post_like_replay(server, history[6:], until="2025-12-31")
    assert without_seq(server.feed()) == replay_actions(DOCKET, until="2025-12-31")


def test_two_nodes_one_decides_and_the_other_takes_over(server_factory, pg) -> None:
    history = events(DOCKET)
    first = server_factory("--clock", "manual", db=pg)
    second = server_factory("--clock", "manual", db=pg, start=False).start(wait=False)
    second.wait_ready(role="standby")
    assert first.get("/healthz").json()["role"] == "active"

    # the node without the lease queues; the one with it decides and answers through the database
    results = post_like_replay(second, history[:4])
    assert [r["status"] for r in results] == ["accepted"] * 4
    assert second.feed() == first.feed()

    first.kill()
    killed = time.monotonic()
    second.wait_ready(timeout=30, role="active")
    took_over = time.monotonic() - killed
    assert took_over < 10, f"take-over took {took_over:.1f} s"

    first.start(wait=False)
    first.wait_ready(role="standby")
    assert {r["status"] for r in first.post("/v1/events", history[:4]).json()["results"]} == {"duplicate"}
    post_like_replay(first, history[4:], until="2025-12-31")
    feed = second.feed()
    assert without_seq(feed) == replay_actions(DOCKET, until="2025-12-31")
    assert [a["seq"] for a in feed] == list(range(1, len(feed) + 1))
