"""What a rule does when it fires: its ``then`` effects, applied to one subject's decision.

Effects: ``emit`` (an action), ``reject`` (a rejection; the event is not applied), ``set`` (state
flags), ``start``/``stop`` (timers), ``call`` (a pack function, for logic data cannot say).

A rule's effects are compiled once, when its pack is built (:func:`compile_effects`): value specs
become getters, parameters are read then (a parameter change rebuilds the pack), functions and
verbs are looked up then; a decision only runs the resulting closures. Pack functions use the
same :class:`Decision` methods (``value``, ``param``, ``render``, ``due``, ``timer``, ``emit``, ``reject``).

Values from events are data: a recipient, approval or title built from an event field is that
field's text, never read as a template or a reference (``param:``, ``subject.``), stripped of control
characters and capped (:mod:`duchaplugin.titles`). Every action carries, in ``basis.defaults``, the
parameters marked ``default: true`` that its date, threshold, rung or trigger came from: those its
rule's conditions and effects read, those of the timer that fired it, those a pack function read.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable, Iterable

from duchaplugin import confirmations
from duchaplugin.calendar import WorkCalendar
from duchaplugin.errors import DuchaError, PackError, RuleError
from duchaplugin.models import Action, Basis, Event, SubjectState, Timer, construct
from duchaplugin.pack import Rule
from duchaplugin.packset import ResolvedPack
from duchaplugin.timing import as_limit, last_day, make_timer
from duchaplugin.titles import (DATA_CAP, RECIPIENT_CAP, RECIPIENTS_MAX, REDACTED, TITLE_CAP, UNSET, VALUE_CAP, Filler, clean, clean_data,
                                compile_template, is_secret, template_parameters, template_timers)

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
    #: default parameters (name → value) the current rule's outcome depends on so far (basis.defaults)
    used: dict[str, Any] = field(default_factory=dict)
    #: the defaults of what fired this decision (the timer, the schedule), and those each fact function read
    trigger_used: dict[str, Any] = field(default_factory=dict)
    facts_used: dict[str, dict[str, Any]] = field(default_factory=dict)

    # -- values ---------------------------------------------------------------------------------
    def value(self, spec: Any) -> Any:
        """Resolve ``param:x``, ``data.x``, ``subject.x``, ``state.x``; anything else is a literal."""
        self.note_parameters(_parameters_in(spec))
        constant, value = _compile_value(spec, self.pack)
        return value if constant else value(self)

    def param(self, name: str) -> Any:
        """A parameter's value (noted in ``basis.defaults`` when it is a default)."""
        value = self.pack.param(name)
        if name in self.pack.default_names:
            self.used[name] = value
        return value

    def note_parameters(self, names: Iterable[str]) -> None:
        defaults = self.pack.default_names
        for name in names:
            if name in defaults:
                self.used[name] = self.pack.param(name)

    def note_timer(self, name: str, warn: bool = False) -> None:
        """The actions that follow depend on the defaults timer ``name``'s period (or warning) came from."""
        timer = self.state.timers.get(name)
        if timer is not None:
            self.used.update(timer.defaults or {})
            if warn:
                self.used.update(timer.warn_defaults or {})

    def render(self, template: str, **extra: Any) -> str:
        """Fill a title template (:mod:`duchaplugin.titles`); extras are named values (inserted as text)."""
        self.note_parameters(template_parameters(template))
        for name in template_timers(template):
            self.note_timer(name)
        return _fill(self, template, compile_template(template), extra)

    def due(self, spec: Any) -> tuple[date | None, bool]:
        """The last day a due spec gives (``timer:x``, ``{after: limit}``, a date value) and whether
        it is provisional."""
        get = _due_getter(spec, self.pack)
        self.note_parameters(_parameters_in(spec))
        if isinstance(spec, str) and spec.startswith("timer:"):
            self.note_timer(spec[6:])
        return get(self) if get else (None, False)

    def timer(self, name: str, start: date, *, limit: Any = None, due: date | None = None, warn: Any = None) -> Timer:
        """Start timer ``name`` (replacing one of that name); it remembers the defaults read so far."""
        timer = make_timer(self.calendar, name, f"{self.rule.pack}:{self.rule.id}" if self.rule else "core", start,
                           limit=limit, due=due, warn=warn, defaults=dict(self.used))
        self.state.timers[name] = timer
        return timer

    def basis(self, ref: str | None = None, defaults: dict[str, Any] | None = None) -> Basis:
        rule = self.rule
        return self.pack.basis(rule.pack if rule else self.pack.id, ref or (rule.clauses[0] if rule else ""),
                               rule.id if rule else "", defaults)

    # -- effects --------------------------------------------------------------------------------
    def emit(self, kind: str, title: str, *, clause: str | None = None, stage: str | None = None,
             due: date | None = None, provisional: bool | None = None, approvals: Any = None, to: Any = None,
             data: dict[str, Any] | None = None, key: str = "", confirm: str | None = None) -> Action:
        """Produce an action with a deterministic id (same history → same id); ``approvals`` and
        ``to`` are text or lists of text, taken literally (resolve a parameter with :meth:`param`).
        ``confirm``: the action is proposed and awaits the host's ``action_taken``
        (:mod:`duchaplugin.confirmations`)."""
        if confirm is not None:
            data = {**(data or {}), "confirmation": "required"}
        action = self._emit(kind, title, clause, stage, due, provisional, recipients(approvals), recipients(to), data, key)
        if confirm is not None:
            confirmations.propose(self, action, confirm, assumed=False, remind=True)
        return action

    def _emit(self, kind: str, title: str, clause: str | None, stage: str | None, due: date | None,
              provisional: bool | None, approvals: list[str] | None, to: list[str] | None,
              data: dict[str, Any] | None, key: str = "", defaults: dict[str, Any] | None = None) -> Action:
        rule = self.rule
        rule_id = f"{rule.pack}:{rule.id}" if rule else "core"
        subject = self.state.subject
        seed = f"{subject}|{rule_id}|{self.trigger}|{self.at.isoformat()}|{key}|{len(self.actions)}"
        used = {**self.trigger_used, **self.used, **(defaults or {})}
        if is_secret(self):  # whatever a rule or a pack function wrote, nothing but what the pack lists as safe
            hide = secret_texts(self)
            title, approvals, to, data = hide.text(title), hide.people(approvals), hide.people(to), hide.data(data)
        title, data = clean(title, TITLE_CAP), clean_data(data) or None
        action = construct(Action, {  # every field is built here from validated parts
            "id": "A" + hashlib.blake2b(seed.encode(), digest_size=10).hexdigest(), "subject": subject, "at": self.at,
            "kind": kind, "stage": stage, "title": title, "due": due, "provisional": provisional or None,
            "basis": self.basis(clause, used), "approvals": approvals, "to": to, "rule": rule_id,
            "event": self.event.id if self.event else None, "data": data})
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


@dataclass
class SecretTexts:
    """The texts of a 涉密 subject an action must not show (条例 第二十四条): each of its fields' values
    the pack does not list as safe, longest first, with what shows instead — the field's role (a
    recipient 张三 becomes 承办人) or :data:`~duchaplugin.titles.REDACTED`."""

    hidden: list[tuple[str, str]]

    def text(self, text: str) -> str:
        for value, instead in self.hidden:
            if value in text:
                text = text.replace(value, instead)
        return text

    def people(self, names: list[str] | None) -> list[str] | None:
        if names is None:
            return None
        whole = dict(self.hidden)
        out: list[str] = []
        for name in names:
            shown = whole.get(name) or self.text(name)
            if shown not in out:
                out.append(shown)
        return out

    def data(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.data(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.data(v) for v in value]
        return value


def secret_texts(d: Decision) -> SecretTexts:
    safe, roles = d.pack.secret_safe, d.pack.secret_roles
    hidden: dict[str, str] = {}
    for source in (d.data, d.state.attrs):
        for name, value in source.items():
            if name in safe:
                continue
            for raw in _texts(value):  # as written, and as a title, a recipient or data would have cut it
                for text in {raw, *(clean(raw, cap) for cap in (VALUE_CAP, RECIPIENT_CAP, TITLE_CAP, DATA_CAP, len(raw) + 1))}:
                    if len(text) >= 2:
                        hidden.setdefault(text, roles.get(name, REDACTED))
    return SecretTexts(sorted(hidden.items(), key=lambda item: -len(item[0])))


def _texts(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def recipients(value: Any) -> list[str] | None:
    """Recipients or approvals from a value taken literally (a text, or a list of them, possibly
    nested): each as text, stripped and capped (:data:`~duchaplugin.titles.RECIPIENT_CAP`, at most
    :data:`~duchaplugin.titles.RECIPIENTS_MAX` of them); empty and unset ones dropped."""
    if value in (None, [], ""):
        return None
    out: list[str] = []
    for item in _flatten(value):
        text = clean(str(item), RECIPIENT_CAP)
        if text and text != UNSET and len(out) < RECIPIENTS_MAX:
            out.append(text)
    return out or None


def _flatten(value: Any) -> Iterable[Any]:
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _flatten(item)
    elif value not in (None, ""):
        yield value


_ONE_FIELD = re.compile(r"\{(?:subject|data)\.([A-Za-z_]\w*)\}")


def _parameters_in(spec: Any) -> list[str]:
    """The parameters a value or due spec names (``param:x``, also inside lists and ``{after: …}``)."""
    if isinstance(spec, str):
        return [spec[6:]] if spec.startswith("param:") else []
    if isinstance(spec, list):
        return [name for item in spec for name in _parameters_in(item)]
    if isinstance(spec, dict) and "after" in spec:
        return _parameters_in(spec["after"])
    return []


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


def _list(value: Any) -> list[Any]:
    return [] if value is None else list(value) if isinstance(value, list) else [value]


def _getter(spec: Any, pack: ResolvedPack) -> Getter:
    constant, value = _compile_value(spec, pack)
    return (lambda d: value) if constant else value


def _strings_getter(spec: Any, pack: ResolvedPack) -> Callable[[Decision], list[str] | None]:
    """Recipients or approvals as the pack writes them: a parameter, a template of the pack (its
    fields inserted as text), or a reference to an event or subject field (its value taken literally)."""
    items = spec if isinstance(spec, list) else [spec]
    parts: list[Callable[[Decision], Any]] = []
    for item in items:
        constant, value = _compile_value(item, pack)
        if not constant:
            parts.append(value)
        elif isinstance(value, str) and (field := _ONE_FIELD.fullmatch(value)):  # a person or unit from one field
            parts.append(lambda d, text=value, fill=compile_template(value), name=field.group(1):
                         d.pack.secret_roles.get(name, REDACTED) if is_secret(d) and name not in d.pack.secret_safe
                         else _fill(d, text, fill, {}))
        elif isinstance(value, str) and "{" in value:
            parts.append(lambda d, text=value, fill=compile_template(value): _fill(d, text, fill, {}))
        else:
            parts.append(lambda d, value=value: value)
    return lambda d: recipients([part(d) for part in parts])


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
    get, host = _getter(spec, pack), _host_given(spec)

    def on_day(d: Decision) -> tuple[date | None, bool]:
        value = get(d)
        if isinstance(value, str):  # a recorded field (subject.due) is kept as ISO text
            value = date.fromisoformat(value)
        if not isinstance(value, date):
            return None, False
        if host:
            value = host_deadline(d, value)
        return value, d.calendar.is_provisional(value)
    return on_day


def _host_given(spec: Any) -> bool:
    """A date spec read from the host's data (``data.due``, ``subject.due``), not from the pack."""
    return isinstance(spec, str) and spec.partition(".")[0] in ("data", "subject") and "." in spec


def host_deadline(d: Decision, day: date) -> date:
    """A last day the host gave, on a rest day: moved to the next working day when the pack's
    ``due_on_rest_day`` says ``next_workday`` (so that it agrees with the equivalent period, 民法典
    第二百零三条), kept when it says ``keep``; the parameter is noted when it moved the day."""
    if "due_on_rest_day" not in d.pack.parameters or d.calendar.is_workday(day):
        return day
    if d.param("due_on_rest_day") != "next_workday":
        return day
    return d.calendar.workday_on_or_after(day)


def _confirm_spec(spec: Any, pack: ResolvedPack, where: str) -> tuple[str, bool, bool] | None:
    """``confirm: <key>`` or ``confirm: {key, assumed, remind}`` → (key, assumed, remind)."""
    if spec is None:
        return None
    spec = {"key": spec} if isinstance(spec, str) else dict(spec)
    key, assumed, remind = str(spec["key"]), bool(spec.get("assumed")), spec.get("remind", True) is not False
    if not assumed and remind:
        confirmations.check_reminder_parameters(pack, where)
    return key, assumed, remind


def _emit_effect(spec: dict[str, Any], pack: ResolvedPack, rule: Rule) -> Effect:
    kind, title, clause, stage = spec["kind"], spec["title"], spec.get("clause"), spec.get("stage")
    due_of = _due_getter(spec.get("due"), pack)
    approvals, to = _strings_getter(spec.get("approvals"), pack), _strings_getter(spec.get("to"), pack)
    data = [(k, _getter(v, pack)) for k, v in (spec.get("data") or {}).items()]
    confirm = _confirm_spec(spec.get("confirm"), pack, f"{rule.pack} {rule.source}")
    if confirm is not None:
        data.append(("confirmation", lambda d, v="assumed" if confirm[1] else "required": v))
    read = [*_parameters_in(spec.get("due")), *_parameters_in(spec.get("approvals")), *_parameters_in(spec.get("to")),
            *(n for v in (spec.get("data") or {}).values() for n in _parameters_in(v)), *template_parameters(title),
            *(n for v in _list(spec.get("approvals")) + _list(spec.get("to")) if isinstance(v, str)
              for n in template_parameters(v))]
    defaults = {n: pack.param(n) for n in read if n in pack.default_names}  # read now: a change rebuilds the pack
    timers = [*template_timers(title)] + ([spec["due"][6:]] if isinstance(spec.get("due"), str)
                                          and spec["due"].startswith("timer:") else [])
    fill = compile_template(title)

    def emit(d: Decision) -> None:
        for name in timers:
            d.note_timer(name)
        due, provisional = due_of(d) if due_of else (None, False)
        action = d._emit(kind, _fill(d, title, fill, {"due": due.isoformat() if due else "（未定）"}), clause, stage, due,
                         provisional, approvals(d), to(d), {k: get(d) for k, get in data} or None, defaults=defaults)
        if confirm is not None:
            key, assumed, remind = confirm
            confirmations.propose(d, action, key, assumed=assumed, remind=remind)
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
    host_due = _host_given(spec.get("due"))
    missing = spec.get("due") or spec.get("limit")
    after = spec["from"][6:] if isinstance(spec.get("from"), str) and spec["from"].startswith("timer:") else None
    limit_defaults = {n: pack.param(n) for n in _parameters_in(spec.get("limit")) if n in pack.default_names}
    due_defaults = {n: pack.param(n) for n in _parameters_in(spec.get("due")) if n in pack.default_names}
    warn_defaults = {n: pack.param(n) for n in _parameters_in(spec.get("warn")) if n in pack.default_names}

    def start(d: Decision) -> None:
        due_day = due(d) if due else None
        period = limit(d) if limit else None
        if due_day is None and period is None:
            if optional:
                return
            raise RuleError(f"启动期限 {name} 缺少 {missing}", f"timer {name} needs {missing}", field=str(missing))
        begin = d.state.timers[after].last_day if after else d.at.date()
        if after:
            d.note_timer(after)
        used = dict(d.used)
        if due_day is not None:
            if isinstance(due_day, str):  # a recorded field (subject.due) is kept as ISO text
                due_day = date.fromisoformat(due_day)
            used.update(due_defaults)
            if host_due:
                before = dict(d.used)
                due_day = host_deadline(d, due_day)
                used.update({k: v for k, v in d.used.items() if k not in before})
        else:
            used.update(limit_defaults)
        d.state.timers[name] = make_timer(d.calendar, name, origin, begin, limit=period, due=due_day,
                                          warn=warn(d) if warn else None, defaults=used, warn_defaults=warn_defaults)
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
