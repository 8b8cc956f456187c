"""The service's one link to the engine's state API (docs/service.md, "Durability").

Everything the service needs from :class:`~duchaplugin.Engine` beyond events and time goes
through here: the state export and restore, the store hook (``duchaplugin_store(changes,
actions)``, called under the engine lock after each decision and before delivery — raising rolls
the decision back) and ``apply_changes`` that folds a decision's changes into a snapshot.

TEMPORARY SHIM: until the engine's state API lands, this module computes the same things from
the engine's current internals (a diff of two exports around each decision). Only this module
changes when it lands.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any, Callable

from duchaplugin import calendar as cal
from duchaplugin.engine import Engine
from duchaplugin.models import Action, SubjectState, parse_instant
from duchaplugin.statetable import StateTable

Store = Callable[[dict[str, Any], list[Action]], None]


class EngineLink:
    """An engine whose every decision is handed to ``store`` before it counts."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.engine = Engine()

    @property
    def packs(self):  # noqa: ANN201 - the engine's mapping
        return self.engine.packs

    def export(self) -> dict[str, Any]:
        """The engine's complete state as JSON-ready data."""
        engine = self.engine
        return {"format": "duchaplugin-state", "version": 1, "calendar_version": cal.DATA.version,
                "subjects": {s: state.model_dump(mode="json") for s, state in engine.states.items()},
                "clocks": {p: t.isoformat() for p, t in sorted(engine._schedules.items())},
                "queue": [s for t, _, s in sorted(engine._queue) if engine._queued.get(s) == t]}

    def restore(self, snapshot: dict[str, Any]) -> None:
        """Replace the engine's state with ``snapshot`` (an :meth:`export`, possibly folded)."""
        engine = self.engine
        engine._states = StateTable({s: SubjectState.model_validate(v) for s, v in snapshot.get("subjects", {}).items()})
        engine._queue, engine._queued = [], {}
        for subject in snapshot.get("queue", []):  # ties at one instant keep their order
            if subject in engine.states:
                engine._enqueue(engine.states[subject])
        for state in engine.states.values():
            engine._enqueue(state)
        engine._schedules = {p: parse_instant(t) for p, t in snapshot.get("clocks", {}).items()}

    def handle(self, event: dict[str, Any]) -> list[Action]:
        """Decide one event; raises :class:`~duchaplugin.errors.DuchaError` for a refused one."""
        return self._decide(lambda: self.engine.handle(event))

    def advance(self, until: datetime) -> None:
        """Fire every time rule due at or before ``until`` (the actions reach the store hook)."""
        self._decide(lambda: self.engine.advance(until))

    def next_check(self) -> datetime | None:
        return self.engine.next_check()

    def close(self) -> None:
        """Nothing to free in the shim."""

    def is_secret(self, subject: str) -> bool:
        """Whether a subject is 涉密 (its errors must not show its content)."""
        state = self.engine.states.get(subject)
        return bool(state is not None and state.attrs.get("secret"))

    def _decide(self, decide: Callable[[], list[Action]]) -> list[Action]:
        before = self.export()
        try:
            actions = decide()
        except Exception:
            self.restore(before)
            raise
        after = self.export()
        changes = _diff(before, after)
        if actions or changes.get("subjects") or changes.get("clocks") or "queue" in changes:
            try:
                self._store(changes, actions)
            except Exception:
                self.restore(before)
                raise
        return actions


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    subjects: dict[str, Any] = {s: v for s, v in after["subjects"].items() if before["subjects"].get(s) != v}
    subjects.update({s: None for s in before["subjects"] if s not in after["subjects"]})
    clocks = {p: t for p, t in after["clocks"].items() if before["clocks"].get(p) != t}
    changes = {"format": after["format"], "version": after["version"], "subjects": subjects, "clocks": clocks}
    if after["queue"] != before["queue"]:
        changes["queue"] = after["queue"]
    return changes


def apply_changes(snapshot: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``snapshot`` with a decision's ``changes`` folded in."""
    result = copy.copy(snapshot)
    result["subjects"] = dict(snapshot.get("subjects", {}))
    for subject, state in changes.get("subjects", {}).items():
        if state is None:
            result["subjects"].pop(subject, None)
        else:
            result["subjects"][subject] = state
    result["clocks"] = {**snapshot.get("clocks", {}), **changes.get("clocks", {})}
    if "queue" in changes:
        result["queue"] = changes["queue"]
    return result
