"""What a rule does when it fires: its ``then`` effects, applied to one subject's decision.

Effects: ``emit`` (an action), ``reject`` (a rejection; the event is not applied), ``set`` (state
flags), ``start``/``stop`` (timers), ``call`` (a pack function, for logic data cannot say).

A rule's effects are compiled once, when its pack is built (:func:`compile_effects`): value specs
become getters, parameters are read then (a parameter change rebuilds the pack), functions and
verbs are looked up then; a decision only runs the resulting closures. Pack functions use the
same :class:`Decision` methods (``value``, ``render``, ``emit``, ``reject``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable

from duchaplugin.calendar import WorkCalendar
from duchaplugin.errors import DuchaError, PackError, RuleError
from duchaplugin.models import Action, Basis, Event, SubjectState, construct
from duchaplugin.pack import Rule
from duchaplugin.packset import ResolvedPack
from duchaplugin.timing import as_limit, last_day, make_timer
from duchaplugin.titles import UNSET, Filler, compile_template

Effect = Callable[["Decision"], None]
Getter = Callable[["Decision"], Any]


@dataclass
class Decision:
    """The working state of one decision: the subject, what triggered it, and what it produced."""

    pack: ResolvedPack
    calendar: WorkCalendar
    state: SubjectState
    trigger: str
    at: datetime
    event: Event | None = None
    data: dict[str, Any] = field(default_factory=dict)
    actions: list[Action] = field(default_factory=list)
    rejected: bool = False
    docket: Any = None
    rule: Rule | None = None

    # -- values ---------------------------------------------------------------------------------
    def value(self, spec: Any) -> Any:
        """Resolve ``param:x``, ``data.x``, ``subject.x``, ``state.x``; anything else is a literal."""
        constant, value = _compile_value(spec, self.pack)
        return value if constant else value(self)

    def render(self, template: str, **extra: Any) -> str:
        """Fill a title template (:mod:`duchaplugin.titles`); extras are named values."""
        return _fill(self, template, compile_template(template), extra)

    def due(self, spec: Any) -> tuple[date | None, bool]:
        """The last day a due spec gives (``timer:x``, ``{after: limit}``, a date value) and whether
        it is provisional."""
        get = _due_getter(spec, self.pack)
        return get(self) if get else (None, False)

    def basis(self, ref: str | None = None) -> Basis:
        rule = self.rule
        return self.pack.basis(rule.pack if rule else self.pack.id, ref or (rule.clauses[0] if rule else ""), rule.id if rule else "")

    # -- effects --------------------------------------------------------------------------------
    def emit(self, kind: str, title: str, *, clause: str | None = None, stage: str | None = None,
             due: date | None = None, provisional: bool | None = None, approvals: Any = None, to: Any = None,
             data: dict[str, Any] | None = None, key: str = "") -> Action:
        """Produce an action with a deterministic id (same history → same id); ``approvals`` and
        ``to`` are value specs (``param:x``, ``subject.x``, templates, literals)."""
        return self._emit(kind, title, clause, stage, due, provisional, _strings(self, self.value(approvals)),
                          _strings(self, self.value(to)), data, key)

    def _emit(self, kind: str, title: str, clause: str | None, stage: str | None, due: date | None,
              provisional: bool | None, approvals: list[str] | None, to: list[str] | None,
              data: dict[str, Any] | None, key: str = "") -> Action:
        rule = self.rule
        rule_id = f"{rule.pack}:{rule.id}" if rule else "core"
        subject = self.state.subject
        seed = f"{subject}|{rule_id}|{self.trigger}|{self.at.isoformat()}|{key}|{len(self.actions)}"
        action = construct(Action, {  # every field is built here from validated parts
            "id": "A" + hashlib.blake2b(seed.encode(), digest_size=10).hexdigest(), "subject": subject, "at": self.at,
            "kind": kind, "stage": stage, "title": title, "due": due, "provisional": provisional or None,
            "basis": self.basis(clause), "approvals": approvals, "to": to, "rule": rule_id,
            "event": self.event.id if self.event else None, "data": data or None})
        self.actions.append(action)
        return action

    def reject(self, title: str, clause: str | None = None, **data: Any) -> Action:
        """Refuse the event: a rejection action, and the event is not applied (only in ``gate`` rules)."""
        self.rejected = True
        return self._emit("rejection", title, clause, None, None, None, None, None, data or None)


def _fill(d: Decision, template: str, fill: Filler, extra: dict[str, Any]) -> str:
    try:
        return fill(d, extra)
    except (KeyError, AttributeError, IndexError, ValueError) as exc:
        raise PackError(f"标题模板无法生成：{template}（{exc}）", f"title template failed: {template} ({exc})",
                        field=f"{d.rule.pack if d.rule else ''} {d.rule.source if d.rule else ''}") from None


def _strings(decision: Decision, value: Any) -> list[str] | None:
    """Recipients or approvals from a resolved value: templates rendered, unset ones dropped."""
    if value in (None, [], ""):
        return None
    values = value if isinstance(value, list) else [value]
    out = [decision.render(v) if isinstance(v, str) and "{" in v else str(v) for v in values]
    return [v for v in out if v != UNSET] or None


# -- compiling ------------------------------------------------------------------------------------
def _compile_value(spec: Any, pack: ResolvedPack) -> tuple[bool, Any]:
    """``(True, value)`` for a literal or a parameter, ``(False, getter)`` for a field of the
    event (``data.x``), the subject (``subject.x``) or the state (``state.x``); lists element-wise."""
    if isinstance(spec, str):
        if spec.startswith("param:"):
            return True, pack.param(spec[6:])
        space, _, name = spec.partition(".")
        if name and space == "data":
            return False, lambda d: d.data.get(name)
        if name and space == "subject":
            return False, lambda d: d.state.attrs.get(name)
        if name and space == "state":
            return False, lambda d: d.state.flags.get(name)
        return True, spec
    if isinstance(spec, list):
        parts = [_compile_value(v, pack) for v in spec]
        if all(constant for constant, _ in parts):
            return True, [v for _, v in parts]
        return False, lambda d: [v if constant else v(d) for constant, v in parts]
    return True, spec


def _getter(spec: Any, pack: ResolvedPack) -> Getter:
    constant, value = _compile_value(spec, pack)
    return (lambda d: value) if constant else value


def _strings_getter(spec: Any, pack: ResolvedPack) -> Callable[[Decision], list[str] | None]:
    constant, value = _compile_value(spec, pack)
    if not constant:
        return lambda d: _strings(d, value(d))
    if value in (None, [], ""):
        return lambda d: None
    fills = [(v, compile_template(v)) if isinstance(v, str) and "{" in v else (str(v), None)
             for v in (value if isinstance(value, list) else [value])]

    def strings(d: Decision) -> list[str] | None:
        out = [_fill(d, text, fill, {}) if fill else text for text, fill in fills]
        return [v for v in out if v != UNSET] or None
    return strings


def _due_getter(spec: Any, pack: ResolvedPack) -> Callable[[Decision], tuple[date | None, bool]] | None:
    if spec is None:
        return None
    if isinstance(spec, str) and spec.startswith("timer:"):
        name = spec[6:]

        def from_timer(d: Decision) -> tuple[date | None, bool]:
            timer = d.state.timers.get(name)
            return (timer.last_day, timer.provisional) if timer else (None, False)
        return from_timer
    if isinstance(spec, dict) and "after" in spec:
        constant, after = _compile_value(spec["after"], pack)
        if constant:
            limit = as_limit(after)
            return lambda d: last_day(d.calendar, d.at.date(), limit)
        return lambda d: last_day(d.calendar, d.at.date(), as_limit(after(d)))
    get = _getter(spec, pack)

    def on_day(d: Decision) -> tuple[date | None, bool]:
        value = get(d)
        return (value, d.calendar.is_provisional(value)) if isinstance(value, date) else (None, False)
    return on_day


def _emit_effect(spec: dict[str, Any], pack: ResolvedPack, rule: Rule) -> Effect:
    kind, title, clause, stage = spec["kind"], spec["title"], spec.get("clause"), spec.get("stage")
    due_of = _due_getter(spec.get("due"), pack)
    approvals, to = _strings_getter(spec.get("approvals"), pack), _strings_getter(spec.get("to"), pack)
    data = [(k, _getter(v, pack)) for k, v in (spec.get("data") or {}).items()]

    fill = compile_template(title)

    def emit(d: Decision) -> None:
        due, provisional = due_of(d) if due_of else (None, False)
        d._emit(kind, _fill(d, title, fill, {"due": due.isoformat() if due else "（未定）"}), clause, stage, due, provisional,
                approvals(d), to(d), {k: get(d) for k, get in data} or None)
    return emit


def _reject_effect(spec: dict[str, Any] | str, pack: ResolvedPack, rule: Rule) -> Effect:
    spec = {"title": spec} if isinstance(spec, str) else spec
    title, clause = spec["title"], spec.get("clause")
    fill = compile_template(title)

    def reject(d: Decision) -> None:
        d.reject(_fill(d, title, fill, {}), clause)
    return reject


def _set_effect(spec: dict[str, Any], pack: ResolvedPack, rule: Rule) -> Effect:
    steps: list[tuple[str, str, Any]] = []
    for name, value in spec.items():
        if value == "+1":
            steps.append((name, "increment", None))
        elif isinstance(value, str) and "{" in value:
            steps.append((name, "render", value))
        else:
            steps.append((name, "value", _getter(value, pack)))

    def set_flags(d: Decision) -> None:
        flags = d.state.flags
        for name, how, arg in steps:
            if how == "increment":
                flags[name] = int(flags.get(name) or 0) + 1
            else:
                flags[name] = d.render(arg) if how == "render" else arg(d)
    return set_flags


def _start_effect(spec: dict[str, Any], pack: ResolvedPack, rule: Rule) -> Effect:
    name, optional, origin = spec["timer"], bool(spec.get("optional")), f"{rule.pack}:{rule.id}"
    due = _getter(spec["due"], pack) if spec.get("due") else None
    limit = _getter(spec["limit"], pack) if spec.get("limit") else None
    warn = _getter(spec["warn"], pack) if spec.get("warn") else None
    missing = spec.get("due") or spec.get("limit")
    after = spec["from"][6:] if isinstance(spec.get("from"), str) and spec["from"].startswith("timer:") else None

    def start(d: Decision) -> None:
        due_day = due(d) if due else None
        period = limit(d) if limit else None
        if due_day is None and period is None:
            if optional:
                return
            raise RuleError(f"启动期限 {name} 缺少 {missing}", f"timer {name} needs {missing}", field=str(missing))
        begin = d.state.timers[after].last_day if after else d.at.date()
        d.state.timers[name] = make_timer(d.calendar, name, origin, begin, limit=period, due=due_day,
                                          warn=warn(d) if warn else None)
    return start


def _stop_effect(spec: str | list[str], pack: ResolvedPack, rule: Rule) -> Effect:
    names = [spec] if isinstance(spec, str) else list(spec)

    def stop(d: Decision) -> None:
        timers = d.state.timers
        for name in names:
            timers.pop(name, None)
    return stop


def _call_effect(spec: str | dict[str, Any], pack: ResolvedPack, rule: Rule) -> Effect:
    name, args = (spec, {}) if isinstance(spec, str) else (spec["function"], spec.get("args") or {})
    function = pack.functions.get(name)
    if function is None:
        raise PackError(f"规则包没有函数 {name}", f"the pack defines no function {name}", field=f"{rule.pack} {rule.source}")
    getters = [(k, _getter(v, pack)) for k, v in args.items()]

    def call(d: Decision) -> None:
        try:
            function(d, **{k: get(d) for k, get in getters})
        except DuchaError:
            raise
        except Exception as exc:
            raise RuleError(f"规则 {rule.pack}:{rule.id} 的函数 {name} 出错：{exc!r}",
                            f"rule {rule.pack}:{rule.id}: function {name} raised {exc!r}") from exc
    return call


VERBS: dict[str, Callable[[Any, ResolvedPack, Rule], Effect]] = {
    "emit": _emit_effect, "reject": _reject_effect, "set": _set_effect, "start": _start_effect,
    "stop": _stop_effect, "call": _call_effect}


def compile_effects(rule: Rule, pack: ResolvedPack) -> tuple[Effect, ...]:
    """A rule's ``then`` as closures over its decision, in the order written."""
    effects = []
    for effect in rule.then:
        if not isinstance(effect, dict) or len(effect) != 1:
            raise PackError("每个效果应为只有一个键的映射，如 emit: {…}", "each effect is a one-key mapping such as emit: {...}",
                            field=f"{rule.pack} {rule.source}")
        (verb, arg), = effect.items()
        if verb not in VERBS:
            raise PackError(f"未知的效果 {verb}（可用：{'、'.join(VERBS)}）", f"unknown effect {verb}",
                            field=f"{rule.pack} {rule.source}")
        try:
            effects.append(VERBS[verb](arg, pack, rule))
        except (KeyError, TypeError, ValueError) as exc:  # a missing key, a malformed template or limit
            raise PackError(f"效果 {verb} 写法有误：{exc!r}", f"effect {verb} is malformed: {exc!r}",
                            field=f"{rule.pack} {rule.source}") from None
    return tuple(effects)
