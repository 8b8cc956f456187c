"""A bounded load run for the crash tests: a seeded synthetic docket (benchmarks/docket.py) posted
in batches, the clock moved to each batch's first event before it — and the reference, the same
requests run through one uninterrupted :class:`~duchaplugin.Engine`."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import httpx

from duchaplugin.engine import Engine
from duchaplugin.hooks import hookimpl
from duchaplugin.models import Action, parse_instant
from duchaplugin.service.node import step_through
from tests.service.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import docket  # noqa: E402  (benchmarks/docket.py: the seeded generator the benchmarks use)

Request = tuple[str, Any]  # ("clock", instant) or ("events", [event, …])


def plan(subjects: int, batch: int, seed: int = 20) -> list[Request]:
    history = json.loads(json.dumps(docket.generate(Engine(), size=subjects, seed=seed), default=lambda o: o.isoformat()))
    requests: list[Request] = []
    for i in range(0, len(history), batch):
        chunk = history[i:i + batch]
        requests += [("clock", chunk[0]["at"]), ("events", chunk)]
    return requests


class _Delivered:
    def __init__(self) -> None:
        self.actions: list[Action] = []

    @hookimpl
    def duchaplugin_deliver_actions(self, actions: list[Action]) -> None:
        self.actions += actions


def reference(requests: list[Request]) -> list[dict[str, Any]]:
    """The actions of one uninterrupted engine given the same requests, in delivery order (the
    clock moved rung by rung, as the service moves it)."""
    delivered = _Delivered()
    engine = Engine(plugins=[delivered])
    for kind, body in requests:
        if kind == "clock":
            step_through(engine, parse_instant(body))
        else:
            for event in body:
                engine.handle(event)
    return [a.to_json() for a in delivered.actions]


def send(urls: list[str], request: Request, deadline: float = 300) -> httpx.Response:
    """Send ``request`` until a node answers it (a killed node refuses connections, a node that is
    not deciding yet answers 503): posting again is safe, which is what this exercises."""
    kind, body = request
    path, payload = ("/v1/clock", {"at": body}) if kind == "clock" else ("/v1/events", body)
    stop, turn = time.monotonic() + deadline, 0
    while time.monotonic() < stop:
        url = urls[turn % len(urls)]
        turn += 1
        try:
            answer = httpx.post(url + path, json=payload, timeout=60)
        except httpx.HTTPError:
            time.sleep(0.05)
            continue
        if answer.status_code != 503:
            return answer
        time.sleep(0.05)
    raise AssertionError(f"no node answered {kind} in {deadline} s")
