"""One decision: a subject's state, one event or timer firing, the rules of its pack → actions.

``decide`` is the pure core (ARCHITECTURE.md "Pure decisions"): the same state and event always
give the same actions with the same ids. It never reads the wall clock; time comes from the event
(``at``) or from the instant a timer fires.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from duchaplugin import confirmations
from duchaplugin.calendar import WorkCalendar
from duchaplugin.compiler import compile_ruleset, condition_keys, condition_parameters
from duchaplugin.effects import Decision, Effect, compile_effects
from duchaplugin.models import Event, SubjectState
from duchaplugin.pack import Rule
from duchaplugin.packset import ResolvedPack
from duchaplugin.runtime import Runtime

_SCALARS = (str, int, float, bool)
_PLAIN = frozenset((str, int, float, bool, type(None), list, dict))  # recorded as they are


@dataclass
class CompiledPack:
    """A resolved pack registered in the runtime, with what each evaluation needs precomputed."""

    pack: ResolvedPack
    ruleset: str
    calendar: WorkCalendar
    gates: frozenset[int]
    by_trigger: dict[str, dict[str, set[str]]]  # event type (or "*") → key space → names its rules read
    effects: tuple[tuple[Effect, ...], ...]  # each rule's compiled ``then``, by rule index
    contexts: tuple[tuple[dict[str, Any], tuple[str, ...]], ...]  # by rule: defaults its conditions read, its facts
    schedule_defaults: dict[str, dict[str, Any]]  # schedule id → defaults its dates come from
    _reads: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict, repr=False)
    calendar_version: int = 0  # the calendar data version ``calendar`` was built from
    schedule_days: dict[tuple[str, str, int], tuple[date, ...]] = field(default_factory=dict, repr=False)  # engine.schedule_dates

    def use_calendar(self, calendar: WorkCalendar, version: int) -> None:
        """Decide from now on with ``calendar`` (rebuilt after a host added calendar data)."""
        self.calendar, self.calendar_version = calendar, version
        self.schedule_days.clear()

    @classmethod
    def build(cls, pack: ResolvedPack, runtime: Runtime, calendar: WorkCalendar, calendar_version: int,
              name: str) -> "CompiledPack":
        runtime.register(name, compile_ruleset(pack))
        gates = frozenset(i for i, rule in enumerate(pack.rules) if rule.gate)
        by_trigger: dict[str, dict[str, set[str]]] = {}
        for rule in pack.rules:
            keys = condition_keys(rule.when) - {"type"}
            for trigger in rule.on:
                spaces = by_trigger.setdefault(trigger, {})
                for key in keys:
                    spaces.setdefault(key[:2], set()).add(key[2:])
        effects = tuple(compile_effects(rule, pack) for rule in pack.rules)
        defaults = pack.default_names
        contexts = tuple(({n: pack.param(n) for n in sorted(condition_parameters(rule.when)) if n in defaults},
                          tuple(sorted(k[2:] for k in condition_keys(rule.when) if k.startswith("f_"))))
                         for rule in pack.rules)
        schedules = {s.id: {v[6:]: pack.param(v[6:]) for v in (s.shift, *s.every.values())
                            if isinstance(v, str) and v.startswith("param:") and v[6:] in defaults}
                     for s in pack.schedules}
        return cls(pack, name, calendar, gates, by_trigger, effects, contexts, schedules, calendar_version=calendar_version)

    def reads(self, trigger: str) -> dict[str, tuple[str, ...]]:
        """The fact keys, by space, that the rules listening to ``trigger`` read."""
        if trigger not in self._reads:
            merged: dict[str, set[str]] = {}
            for source in (self.by_trigger.get(trigger, {}), self.by_trigger.get("*", {})):
                for space, names in source.items():
                    merged.setdefault(space, set()).update(names)
            self._reads[trigger] = {space: tuple(sorted(names)) for space, names in merged.items()}
        return self._reads[trigger]


def build_fact(compiled: CompiledPack, decision: Decision) -> dict[str, Any]:
    """The flat fact the rules see: ``type`` plus ``a_``/``d_``/``h_``/``s_``/``c_``/``t_``/``f_`` keys
    (see :mod:`duchaplugin.compiler`), only those the rules listening to this trigger read; an
    absent key is absent (never ``None``), so conditions on absence hold."""
    state, data, reads = decision.state, decision.data, compiled.reads(decision.trigger)
    fact: dict[str, Any] = {"type": decision.trigger}
    for key in reads.get("a_", ()):
        value = state.attrs.get(key)
        if isinstance(value, _SCALARS):
            fact["a_" + key] = value
    for key in reads.get("d_", ()):
        value = data.get(key)
        if isinstance(value, _SCALARS):
            fact["d_" + key] = value
    for key in reads.get("h_", ()):
        if key in data:
            fact["h_" + key] = data[key] not in (None, "", [], {})
    defaults = compiled.pack.flags
    for key in reads.get("s_", ()):
        value = state.flags.get(key)
        if isinstance(value, _SCALARS):
            fact["s_" + key] = value
        elif key in defaults:
            fact["s_" + key] = state.flags.get(key, defaults[key])
    for key in reads.get("c_", ()):
        if key in state.counts:
            fact["c_" + key] = state.counts[key]
    for key in reads.get("t_", ()):
        timer = state.timers.get(key)
        if timer is not None:
            fact["t_" + key] = "overdue" if timer.overdue else "running"
    for name in reads.get("f_", ()):
        decision.used = {}
        fact["f_" + name] = compiled.pack.functions[name](decision)
        decision.facts_used[name] = decision.used
    decision.used = {}
    return fact


def _trigger_defaults(compiled: CompiledPack, decision: Decision) -> dict[str, Any]:
    """The defaults of what fired a decision: the timer's period (and warning), the schedule's dates."""
    kind, _, rest = decision.trigger.partition(":")
    if kind == "timer":
        name, _, phase = rest.rpartition(":")
        timer = decision.state.timers.get(name)
        if timer is None:
            return {}
        return {**(timer.defaults or {}), **((timer.warn_defaults or {}) if phase == "warn" else {})}
    if kind == "schedule":
        return compiled.schedule_defaults.get(rest, {})
    return {}


def _json_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "model_dump"):
        return value.model_dump(exclude_none=True)
    return value


def evaluate(compiled: CompiledPack, runtime: Runtime, decisions: list[Decision], apply_event: bool = True) -> None:
    """Run the rules for a batch of decisions (one durable-rules call), then apply their effects.

    Gate rules (those that can reject) go first: if one rejects, the event is not applied and the
    subject's state is left as it was. Otherwise every matched rule's effects apply, in the order
    the pack declares them. An accepted confirmation (``action_taken``) is followed by its trigger
    ``confirmed:<key>`` (:mod:`duchaplugin.confirmations`), whose actions join the event's."""
    pack, gates, effects, contexts = compiled.pack, compiled.gates, compiled.effects, compiled.contexts
    for decision in decisions:
        decision.trigger_used = _trigger_defaults(compiled, decision)
    matches = runtime.evaluate(compiled.ruleset, [build_fact(compiled, d) for d in decisions])
    follow_ups = []
    for decision, fired in zip(decisions, matches):
        day = decision.at.date()
        indexes = sorted(int(name[1:]) for name in fired)
        rules = [i for i in indexes if pack.effective_from[pack.rules[i].pack] <= day]
        for i in rules:
            if i in gates:
                _apply(decision, pack.rules[i], effects[i], contexts[i])
        if decision.rejected:
            continue
        if apply_event and decision.event is not None:
            record(decision.state, decision.event)
        for i in rules:
            if i not in gates:
                _apply(decision, pack.rules[i], effects[i], contexts[i])
        if decision.trigger == "action_taken" and (follow_up := confirmations.confirmed_decision(decision)):
            follow_ups.append(follow_up)
    if follow_ups:
        evaluate(compiled, runtime, follow_ups, apply_event=False)


def _apply(decision: Decision, rule: Rule, effects: tuple[Effect, ...],
           context: tuple[dict[str, Any], tuple[str, ...]]) -> None:
    """Apply a matched rule's effects; what its outcome depends on starts with the defaults its
    conditions read (directly, or through the facts they test)."""
    conditions, facts = context
    decision.rule = rule
    decision.used = dict(conditions)
    for name in facts:
        decision.used.update(decision.facts_used.get(name, {}))
    for effect in effects:
        effect(decision)


def record(state: SubjectState, event: Event) -> None:
    """Book-keeping of an accepted event: latest data fields, counts, time. 涉密 stays: a later
    ``secret: false`` is not recorded; only an (approved) ``declassified`` event lifts it."""
    attrs = state.attrs
    keep_secret = attrs.get("secret") is True and event.type != "declassified"
    for key, value in event.data.items():
        if key == "secret" and keep_secret:
            continue
        attrs[key] = value if type(value) in _PLAIN else _json_value(value)
    if event.type == "declassified":
        attrs["secret"] = False
    state.counts[event.type] = state.counts.get(event.type, 0) + 1
    state.last_at = event.at


def due_firings(state: SubjectState, until: datetime) -> list[tuple[datetime, str, str]]:
    """Timer firings of a subject at or before ``until``: (instant, timer, phase), in time order."""
    out = []
    for name, timer in state.timers.items():
        if timer.warn_at and not timer.warned and timer.warn_at <= until:
            out.append((timer.warn_at, name, "warn"))
        if not timer.overdue and timer.overdue_at <= until:
            out.append((timer.overdue_at, name, "overdue"))
    return sorted(out)
