"""An isolated durable-rules runtime (ARCHITECTURE.md, "durable-rules: facts measured here").

- Its own :class:`durable.engine.Host` subclass: not ``durable.lang``'s global host, and no
  background ``threading.Timer`` threads (``_run`` is a no-op; time is computed by the plugin).
- Never more than one durable-rules session per ruleset: each evaluation asserts the facts into
  sid ``"0"``, collects the rules that fired, and retracts them — whatever the number of subjects,
  far from the 1,024-session cap.
- A rule action cannot fail silently: durable-rules swallows action exceptions into the session
  state; here the action only records the match, and any ``exception`` left in the state is raised.
- One lock around each assert → collect → retract (the C engine does not release the GIL, and
  concurrent dispatch crashed in measurements).
"""

from __future__ import annotations

import copy
import itertools
import threading
from typing import Any

from durable.engine import Host, MessageNotHandledException, MessageObservedException

from duchaplugin.errors import RuleError

SID = "0"


class IsolatedHost(Host):
    """A durable-rules host with no background threads whose actions record matches."""

    def __init__(self) -> None:
        self.fired: list[tuple[int, str]] = []
        super().__init__()

    def _run(self) -> None:  # no timer threads: the plugin computes time itself
        return None

    def get_action(self, action_name: str):
        fired = self.fired

        def record(c: Any) -> None:
            fired.append((c.m["_i"], action_name))

        return record


class Runtime:
    """Evaluates flat facts against registered rulesets; thread-safe."""

    def __init__(self) -> None:
        self._host = IsolatedHost()
        self._lock = threading.Lock()
        self._serial = itertools.count()
        self._names: set[str] = set()

    def register(self, name: str, definition: dict[str, dict]) -> None:
        """Register a ruleset given as data (deep-copied: durable-rules mutates definitions)."""
        with self._lock:
            if name not in self._names:
                self._host.register_rulesets({name: copy.deepcopy(definition)})
                self._names.add(name)

    def evaluate(self, name: str, facts: list[dict[str, Any]]) -> list[list[str]]:
        """The names of the rules each fact fired, in the order of ``facts``."""
        if not facts:
            return []
        with self._lock:
            fired = self._host.fired
            fired.clear()
            # One fact at a time: a batched assert_facts with conditions on keys some facts lack
            # missed matches in measurements here (see tests/test_engine.py).
            for i, fact in enumerate(facts):
                stamped = {**fact, "sid": SID, "_i": i, "_n": next(self._serial)}  # _n: every fact distinct
                try:
                    self._host.assert_fact(name, stamped)
                except MessageNotHandledException:
                    pass  # no rule matched: nothing fired
                except MessageObservedException as exc:  # cannot happen: every fact carries a fresh _n
                    raise RuleError("规则引擎重复接收同一事实", f"durable-rules observed a fact twice: {exc.message}") from None
                try:
                    self._host.retract_fact(name, stamped)
                except MessageNotHandledException:
                    pass
            state = self._host.get_state(name, SID)
            if "exception" in state:
                error = state.pop("exception")
                self._host.update_state(name, {"sid": SID, "exception": None})
                raise RuleError(f"规则动作执行出错：{error}", f"a rule action raised: {error}")
            result: list[list[str]] = [[] for _ in facts]
            for index, rule_name in fired:
                result[index].append(rule_name)
            fired.clear()
        return result
