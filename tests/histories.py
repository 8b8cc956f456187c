"""Histories for the state tests: events of every pack (the example dockets and the benchmark's
generator), drawn at random by hypothesis, and one way of running them that tests and the restore
worker (``tests/state_worker.py``) share."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from duchaplugin import Engine
from duchaplugin.errors import DuchaError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks import docket  # noqa: E402  (the benchmark's seeded docket generator)

EXAMPLES = {"cn": "docket.jsonl", "cn-yn": "yn-2025.jsonl", "cn-xj-hutubi": "hutubi-2025.jsonl"}
END = "2026-01-10T00:00"


def example(pack: str) -> list[dict[str, Any]]:
    lines = (ROOT / "examples" / EXAMPLES[pack]).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def generated(engine: Engine, pack: str, seed: int, size: int = 12) -> list[dict[str, Any]]:
    """Subjects of ``pack`` from the benchmark's synthetic docket (JSON-ready)."""
    events = docket.generate(engine, size, seed=seed)
    packs: dict[str, str] = {}
    out = []
    for event in events:
        packs.setdefault(event["subject"], event.get("pack", ""))
        if packs[event["subject"]] == pack:
            out.append({**event, "id": f"g{seed}-{event['id']}", "at": event["at"].isoformat(timespec="minutes")[:16]})
    return out


def by_subject(events: list[dict[str, Any]]) -> dict[str, list[int]]:
    subjects: dict[str, list[int]] = {}
    for i, event in enumerate(events):
        subjects.setdefault(event.get("subject") or "", []).append(i)
    return subjects


@st.composite
def histories(draw: st.DrawFn, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Operations: a random subset of the subjects of ``events`` (all their events, in order),
    some events sent twice, some ticks, then time advanced to the end. Each event op means
    "advance to its time, then handle it" (as ``duchaplugin replay`` does)."""
    subjects = by_subject(events)
    names = sorted(s for s in subjects if s and not s.startswith("@"))  # ticks (no subject, or a docket's) always come
    chosen = draw(st.sets(st.sampled_from(names), min_size=1, max_size=min(len(names), 6)))
    chosen |= {s for s in subjects if not s or s.startswith("@")}
    indexes = sorted(i for name in chosen for i in subjects[name])
    ops: list[dict[str, Any]] = [{"op": "event", "event": events[i]} for i in indexes]
    for _ in range(draw(st.integers(0, 2))):  # a resend of an earlier event (same id)
        if ops:
            k = draw(st.integers(0, len(ops) - 1))
            ops.insert(draw(st.integers(k + 1, len(ops))), {"op": "event", "event": ops[k]["event"]})
    return ops + [{"op": "advance", "until": END}]


def run_ops(engine: Engine, ops: list[dict[str, Any]]) -> list[str]:
    """Run operations; every action as sorted JSON text, every refusal as ``ERROR <message>``."""
    out: list[str] = []

    def record(actions: list[Any]) -> None:
        out.extend(json.dumps(a.to_json(), ensure_ascii=False, sort_keys=True) for a in actions)

    for op in ops:
        try:
            if op["op"] == "advance":
                record(engine.advance(op["until"]))
            else:
                event = op["event"]
                record(engine.advance(event["at"]))
                record(engine.handle(json.loads(json.dumps(event))))  # the engine may normalise data in place
        except DuchaError as exc:
            out.append(f"ERROR {exc}")
    return out


def at_of(op: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(op["until"] if op["op"] == "advance" else op["event"]["at"])
