"""durable-rules, driven through its C engine (ARCHITECTURE.md, "durable-rules: facts measured here").

We call ``durable_rules_engine`` — the engine module durable-rules ships and its own Python
``Host`` is a thin layer over — directly, because that layer is where the time and the traps were:

- per fired rule, the ``Host`` decodes the session state, runs a Python action, re-encodes the state
  and writes it back; three quarters of an evaluation went there (benchmarks/, docs/performance.md);
- an exception inside an action is swallowed into the session state;
- a batched ``assert_facts`` in which any fact matches nothing reports "not handled", the ``Host``
  then raises before dispatching, and the matches of the other facts stay queued, unseen.

Here there are no Python actions at all: a rule's match is read from the engine's action queue
(``start_action`` / ``complete_and_start_action``) and reported by rule name. Hence:

- no background threads (no ``Host`` timers; time is computed by the plugin);
- never more than one durable-rules session per ruleset: facts are asserted into sid ``"0"`` and
  retracted after the matches are read, whatever the number of subjects (the cap is 1,024);
- an engine error (its ``durable_rules_engine.error``) is raised as :class:`RuleError`;
- one lock around each assert → read → retract (the C engine does not release the GIL, and
  concurrent use crashed in measurements);
- every fact carries a serial ``id``: without one, durable-rules identifies a fact by a hash of its
  text, and two different facts of one batch collided in the benchmark ("observed" twice);
- an error while asserting is reported as itself: the retraction that follows a failed assert
  fails too, and must not replace the first error;
- rulesets live in the C engine until deleted (each ~1 MB, and its session ~1.5 MB more, which
  ``delete_ruleset`` alone leaves allocated): :meth:`Runtime.unregister` and :meth:`Runtime.close`
  delete the session, then the ruleset. A runtime that is garbage-collected leaves its rulesets
  to the next runtime call to delete, ruleset only: deleting from inside the collector, and
  deleting the session of a ruleset left by tests that drove the C engine into its error paths,
  aborted the process (measured in the test suite), so only ``close`` frees everything.
"""

from __future__ import annotations

import itertools
import json
import threading
import weakref
from typing import Any

import durable_rules_engine as engine

from duchaplugin.errors import PackError, RuleError

SID = "0"
_encode = json.JSONEncoder(ensure_ascii=False).encode
_NOT_HANDLED, _OBSERVED = 1, 2  # result codes of assert_fact(s)


class Runtime:
    """Evaluates flat facts against registered rulesets; thread-safe."""

    def __init__(self) -> None:
        self._handles: dict[str, int] = {}
        self._lock = threading.Lock()
        self._serial = itertools.count()
        weakref.finalize(self, _ORPHANS.extend, self._handles.values())

    def unregister(self, name: str) -> None:
        """Delete a ruleset from the C engine (its memory is freed)."""
        with self._lock:
            handle = self._handles.pop(name, None)
            if handle is not None:
                _delete(handle)

    def close(self) -> None:
        """Delete every ruleset; the runtime can still register new ones."""
        with self._lock:
            _free_orphans()
            for handle in self._handles.values():
                _delete(handle)
            self._handles.clear()

    def __len__(self) -> int:
        """Rulesets registered."""
        return len(self._handles)

    def register(self, name: str, definition: dict[str, dict]) -> None:
        """Register a ruleset given as durable-rules data (``run`` entries, if any, are ignored:
        a match is reported under its rule's name)."""
        rules = {rule: {k: v for k, v in body.items() if k != "run"} for rule, body in definition.items()}
        with self._lock:
            _free_orphans()
            if name in self._handles:
                return
            try:
                self._handles[name] = engine.create_ruleset(name, json.dumps(rules, ensure_ascii=False))
            except engine.error as exc:
                raise PackError(f"规则引擎不接受规则集 {name}：{exc}", f"durable-rules refused ruleset {name}: {exc}") from None

    def evaluate(self, name: str, facts: list[dict[str, Any]]) -> list[list[str]]:
        """The names of the rules each fact fired, in the order of ``facts`` (one call, one batch)."""
        if not facts:
            return []
        handle = self._handles[name]
        result: list[list[str]] = [[] for _ in facts]
        with self._lock:
            if _ORPHANS:
                _free_orphans()
            serial = self._serial  # id: see the module docstring
            if len(facts) == 1:
                text = _encode({**facts[0], "sid": SID, "id": next(serial)})
            else:
                text = _encode([{**fact, "sid": SID, "_i": i, "id": next(serial)} for i, fact in enumerate(facts)])
            failed = True
            try:
                code, _ = engine.assert_facts(handle, text) if len(facts) > 1 else engine.assert_fact(handle, text)
                if code == _OBSERVED:
                    raise RuleError("规则引擎重复接收同一事实", "durable-rules observed a fact twice")
                self._read_matches(handle, result)
                failed = False
            except engine.error as exc:
                raise RuleError(f"规则引擎执行出错：{exc}", f"durable-rules failed: {exc}") from None
            finally:
                try:
                    engine.retract_facts(handle, text) if len(facts) > 1 else engine.retract_fact(handle, text)
                except engine.error as exc:
                    if not failed:  # after a failed assert the retraction fails too: the first error is the one
                        raise RuleError(f"规则引擎无法撤回事实：{exc}", f"durable-rules could not retract facts: {exc}") from None
        return result

    @staticmethod
    def _read_matches(handle: int, result: list[list[str]]) -> None:
        """Drain the engine's action queue: each entry is ``{"<rule>": {"m": fact}}``; with a
        single fact only the rule name is needed, so the fact is not decoded. A rule is reported
        once per fact, however many of its alternatives hold."""
        single = len(result) == 1
        started = engine.start_action(handle)
        while started:
            message, state = started[1], started[2]
            while message:
                if single:
                    rule, index = message[2:message.index('"', 2)], 0
                else:
                    (rule, match), = json.loads(message).items()
                    index = match.get("m", match)["_i"]
                if rule not in result[index]:  # a rule whose "$or" holds twice is matched twice
                    result[index].append(rule)
                message = engine.complete_and_start_action(handle, state)
            started = engine.start_action(handle)

    def facts_left(self, name: str) -> list[dict[str, Any]]:
        """Facts still asserted in a ruleset's session (always none between evaluations)."""
        with self._lock:
            return json.loads(engine.get_facts(self._handles[name], SID))


def _delete(handle: int) -> None:
    """Free a ruleset: its one session first (``delete_ruleset`` alone leaves it allocated)."""
    try:
        engine.delete_state(handle, SID)
    except engine.error:  # no fact was ever asserted: there is no session
        pass
    engine.delete_ruleset(handle)


_ORPHANS: list[int] = []  # rulesets of runtimes garbage-collected, to delete at the next call


def _free_orphans() -> None:
    while _ORPHANS:
        try:
            handle = _ORPHANS.pop()
        except IndexError:  # another thread took the last one
            return
        engine.delete_ruleset(handle)
