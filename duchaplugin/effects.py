"""What a rule does when it fires: its ``then`` effects, applied to one subject's decision.

Effects: ``emit`` (an action), ``reject`` (a rejection; the event is not applied), ``set`` (state
flags), ``start``/``stop`` (timers), ``call`` (a pack function, for logic data cannot say).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from duchaplugin.calendar import WorkCalendar
from duchaplugin.errors import DuchaError, PackError, RuleError
from duchaplugin.models import Action, Basis, Event, SubjectState
from duchaplugin.pack import Rule
from duchaplugin.packset import ResolvedPack
from duchaplugin.timing import as_limit, last_day, make_timer

#: Fields of a 涉密 subject that may appear in an action: its id, units and dates only
#: (条例 第二十四条; 呼县政办〔2023〕38号 一、（二）2.（1）).
SECRET_SAFE = {"number", "lead_unit", "co_units", "unit", "target", "targets", "organiser", "leader", "handler",
               "signed_by", "approved_by", "by", "due", "time_limit", "category", "source", "kind"}
REDACTED = "【涉密，内容不予显示】"


class _View:
    """Attribute access for title templates; a missing field renders as （未填）."""

    def __init__(self, values: dict[str, Any], secret: bool = False) -> None:
        self._values, self._secret = values, secret

    def __getattr__(self, name: str) -> Any:
        if self._secret and name not in SECRET_SAFE and not name.endswith("_code"):
            return REDACTED
        value = self._values.get(name)
        if value is None or value == "":
            return "（未填）"
        if isinstance(value, list):
            return "、".join(str(v) for v in value)
        if hasattr(value, "model_dump"):
            return describe_limit(value.model_dump(exclude_none=True))
        if isinstance(value, dict):
            return describe_limit(value)
        return value


def describe_limit(value: dict[str, Any]) -> str:
    units = {"working_days": "个工作日", "days": "日", "weeks": "周", "months": "个月"}
    return "".join(f"{n}{units.get(k, k)}" for k, n in value.items())


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
        if isinstance(spec, str):
            space, _, name = spec.partition(":") if spec.startswith("param:") else spec.partition(".")
            if spec.startswith("param:"):
                return self.pack.param(name)
            if name and space in ("data", "subject", "state"):
                source = {"data": self.data, "subject": self.state.attrs, "state": self.state.flags}[space]
                return source.get(name)
        if isinstance(spec, list):
            return [self.value(v) for v in spec]
        return spec

    def render(self, template: str, **extra: Any) -> str:
        secret = bool(self.state.attrs.get("secret") or self.data.get("secret"))
        timers = {name: t.last_day.isoformat() for name, t in self.state.timers.items()}
        try:
            return template.format_map({
                "id": self.state.subject, "subject": _View(self.state.attrs, secret), "data": _View(self.data, secret),
                "state": _View(self.state.flags), "timer": _View(timers), "param": _View(self.pack.param_values),
                "at": self.at.date().isoformat(), **extra,
            })
        except (KeyError, AttributeError, IndexError, ValueError) as exc:
            raise PackError(f"标题模板无法生成：{template}（{exc}）", f"title template failed: {template} ({exc})",
                            field=f"{self.rule.pack if self.rule else ''} {self.rule.source if self.rule else ''}") from None

    def basis(self, ref: str | None = None) -> Basis:
        rule = self.rule
        return self.pack.basis(rule.pack if rule else self.pack.id, ref or (rule.clauses[0] if rule else None))

    # -- effects --------------------------------------------------------------------------------
    def emit(self, kind: str, title: str, *, clause: str | None = None, stage: str | None = None,
             due: date | None = None, provisional: bool | None = None, approvals: Any = None, to: Any = None,
             data: dict[str, Any] | None = None, key: str = "") -> Action:
        """Produce an action with a deterministic id (same history → same id)."""
        rule_id = f"{self.rule.pack}:{self.rule.id}" if self.rule else "core"
        seed = f"{self.state.subject}|{rule_id}|{self.trigger}|{self.at.isoformat()}|{key}|{len(self.actions)}"
        action = Action.model_construct(  # every field is built here from validated parts
            id="A" + hashlib.blake2b(seed.encode(), digest_size=10).hexdigest(),
            subject=self.state.subject, at=self.at, kind=kind, stage=stage, title=title, due=due,
            provisional=provisional or None, basis=self.basis(clause), approvals=self._strings(approvals),
            to=self._strings(to), rule=rule_id, event=self.event.id if self.event else None, data=data or None,
        )
        self.actions.append(action)
        return action

    def _strings(self, spec: Any) -> list[str] | None:
        value = self.value(spec)
        if value in (None, [], ""):
            return None
        values = value if isinstance(value, list) else [value]
        out = [self.render(v) if isinstance(v, str) and "{" in v else str(v) for v in values]
        return [v for v in out if v != "（未填）"] or None

    def _due(self, spec: Any) -> tuple[date | None, bool]:
        if spec is None:
            return None, False
        if isinstance(spec, str) and spec.startswith("timer:"):
            timer = self.state.timers.get(spec[6:])
            return (timer.last_day, timer.provisional) if timer else (None, False)
        if isinstance(spec, dict) and "after" in spec:
            return last_day(self.calendar, self.at.date(), as_limit(self.value(spec["after"])))
        value = self.value(spec)
        return (value, self.calendar.is_provisional(value)) if isinstance(value, date) else (None, False)

    def apply(self, rule: Rule, effects: list[dict[str, Any]]) -> None:
        self.rule = rule
        for effect in effects:
            if not isinstance(effect, dict) or len(effect) != 1:
                raise PackError("每个效果应为只有一个键的映射，如 emit: {…}", "each effect is a one-key mapping such as emit: {...}",
                                field=f"{rule.pack} {rule.source}")
            (verb, arg), = effect.items()
            handler = getattr(self, f"_do_{verb}", None)
            if handler is None:
                raise PackError(f"未知的效果 {verb}", f"unknown effect {verb}", field=f"{rule.pack} {rule.source}")
            handler(arg)

    def _do_emit(self, spec: dict[str, Any]) -> None:
        due, provisional = self._due(spec.get("due"))
        self.emit(spec["kind"], self.render(spec["title"], due=due.isoformat() if due else "（未定）"),
                  clause=spec.get("clause"), stage=spec.get("stage"), due=due, provisional=provisional,
                  approvals=spec.get("approvals"), to=spec.get("to"),
                  data={k: self.value(v) for k, v in (spec.get("data") or {}).items()} or None)

    def reject(self, title: str, clause: str | None = None, **data: Any) -> Action:
        """Refuse the event: a rejection action, and the event is not applied (only in ``gate`` rules)."""
        self.rejected = True
        return self.emit("rejection", title, clause=clause, data=data or None)

    def _do_reject(self, spec: dict[str, Any] | str) -> None:
        spec = {"title": spec} if isinstance(spec, str) else spec
        self.reject(self.render(spec["title"]), spec.get("clause"))

    def _do_set(self, spec: dict[str, Any]) -> None:
        for name, value in spec.items():
            if value == "+1":
                self.state.flags[name] = int(self.state.flags.get(name) or 0) + 1
            else:
                self.state.flags[name] = self.render(value) if isinstance(value, str) and "{" in value else self.value(value)

    def _do_start(self, spec: dict[str, Any]) -> None:
        name = spec["timer"]
        due = self.value(spec.get("due")) if spec.get("due") else None
        limit = self.value(spec.get("limit")) if spec.get("limit") else None
        if due is None and limit is None:
            if spec.get("optional"):
                return
            missing = spec.get("due") or spec.get("limit")
            raise RuleError(f"启动期限 {name} 缺少 {missing}", f"timer {name} needs {missing}", field=str(missing))
        start = self.at.date()
        if isinstance(spec.get("from"), str) and spec["from"].startswith("timer:"):
            start = self.state.timers[spec["from"][6:]].last_day
        warn = self.value(spec.get("warn")) if spec.get("warn") else None
        self.state.timers[name] = make_timer(self.calendar, name, f"{self.rule.pack}:{self.rule.id}", start,
                                             limit=limit, due=due, warn=warn)

    def _do_stop(self, spec: str | list[str]) -> None:
        for name in [spec] if isinstance(spec, str) else spec:
            self.state.timers.pop(name, None)

    def _do_call(self, spec: str | dict[str, Any]) -> None:
        name, args = (spec, {}) if isinstance(spec, str) else (spec["function"], spec.get("args") or {})
        function = self.pack.functions.get(name)
        if function is None:
            raise PackError(f"规则包没有函数 {name}", f"the pack defines no function {name}",
                            field=f"{self.rule.pack} {self.rule.source}")
        try:
            function(self, **{k: self.value(v) for k, v in args.items()})
        except DuchaError:
            raise
        except Exception as exc:
            raise RuleError(f"规则 {self.rule.pack}:{self.rule.id} 的函数 {name} 出错：{exc!r}",
                            f"rule {self.rule.pack}:{self.rule.id}: function {name} raised {exc!r}") from exc
