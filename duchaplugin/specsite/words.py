"""Rules and parameters in words, for the published specification (当…时 → 产生…).

Generated from the rule data, never written by hand, so the words cannot drift from what the engine
does: triggers are named through the event types' Chinese names, fields through the glossary's labels,
parameters through their ``label`` (and their value in words), effects as action kinds and titles.
A name the pack has not put into words (a state flag, a timer, a pack function) is shown as ``‹name›``
and listed as untranslated, so the pack's reviewers see what to add to its ``glossary.yaml`` (``names:``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from duchaplugin.glossary import labels
from duchaplugin.ledger import KIND_ZH
from duchaplugin.pack import Parameter, Rule
from duchaplugin.packset import ResolvedPack
from duchaplugin.titles import describe_limit

WEEKDAYS = "一二三四五六日"
OPS = {"==": "为", "!=": "不为", "<": "少于", "<=": "不超过", ">": "多于", ">=": "不少于"}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LIMIT_KEYS = {"working_days", "days", "weeks", "months"}


@dataclass
class RuleWords:
    """One rule in words."""

    id: str
    pack: str
    when: str
    then: list[str]
    parameters: list[str]  # names of the parameters it reads
    source: str


@dataclass
class Words:
    """Puts one resolved pack's rules and parameters into words."""

    pack: ResolvedPack
    names: dict[str, str] = field(default_factory=dict)  # glossary ``names:``: internal name → words
    untranslated: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._labels = {name: found[0] for name, found in labels(self.pack.glossary).items()}
        self._timers = self._timer_names()

    # -- names ------------------------------------------------------------------------------------
    def name(self, internal: str) -> str:
        """A flag, timer, fact or function by its words, or ``‹name›`` (listed as untranslated)."""
        if internal in self.names:
            return self.names[internal]
        self.untranslated.add(internal)
        return f"‹{internal}›"

    def label(self, field_name: str) -> str:
        """A data field by its glossary label."""
        if field_name in self._labels:
            return self._labels[field_name]
        if field_name.endswith("_code") and field_name[:-5] in self._labels:
            return self._labels[field_name[:-5]]
        if field_name in self.pack.event_types:  # a value keyed by event type
            return self.pack.event_types[field_name]
        return self.name(field_name)

    def parameter_label(self, key: str) -> str:
        param = self.pack.parameters.get(key)
        return param.label if param is not None and param.label else self.name(key)

    def event(self, event_type: str) -> str:
        return self.pack.event_types[event_type] if event_type in self.pack.event_types else self.name(event_type)

    def timer(self, name: str) -> str:
        return self.names.get(name) or self._timers.get(name) or self.name(name)

    def _timer_names(self) -> dict[str, str]:
        """A timer is named after where its period comes from (办理时限, a parameter's label)."""
        out: dict[str, str] = {}
        for rule in self.pack.rules:
            for effect in rule.then:
                start = effect.get("start") if isinstance(effect, dict) else None
                if isinstance(start, dict) and start.get("timer") and start["timer"] not in out:
                    source = start.get("limit") or start.get("due")
                    if isinstance(source, str) and source.startswith("param:"):
                        param = self.pack.parameters.get(source[6:])
                        if param is not None and param.label:
                            out[start["timer"]] = param.label
                    elif isinstance(source, str) and source.startswith(("data.", "subject.")):
                        field_name = source.split(".", 1)[1]
                        first = rule.on[0] if rule.on else "*"
                        if first in ("assigned", "extension_granted") and field_name in self._labels:
                            out[start["timer"]] = self._labels[field_name]
                        elif first in self.pack.event_types:  # a limit another event set (整改, 督查方案)
                            out[start["timer"]] = f"“{self.pack.event_types[first]}”所定期限"
        return out

    # -- values -----------------------------------------------------------------------------------
    def value(self, value: Any, field_name: str | None = None) -> str:
        """A value in words: 是/否, periods, a vocabulary code as the document's text, a parameter."""
        if isinstance(value, str) and value.startswith("param:"):
            key = value[6:]
            param = self.pack.parameters.get(key)
            current = self.parameter_value(param) if param is not None else "?"
            return f"参数“{self.parameter_label(key)}”（现为{current}）"
        if isinstance(value, bool):
            return "是" if value else "否"
        if value is None or value == "":
            return "空"
        if isinstance(value, dict) and set(value) <= _LIMIT_KEYS and value:
            return describe_limit(value)
        if isinstance(value, (list, tuple)):
            return "、".join(self.value(v, field_name) for v in value)
        if isinstance(value, dict):
            return "；".join(f"{self.label(str(k))}：{self.value(v)}" for k, v in value.items())
        if isinstance(value, str) and field_name:
            text = self._vocabulary_text(field_name, value)
            if text:
                return f"“{text}”"
        return f"“{value}”" if isinstance(value, str) else f"{value:g}" if isinstance(value, float) else str(value)

    def _vocabulary_text(self, field_name: str, code: str) -> str | None:
        vocab = self.pack.vocabulary_index.get(field_name.removesuffix("_code"))
        entry = vocab.get(code) if vocab else None
        return entry["text"] if entry else None

    def parameter_value(self, param: Parameter) -> str:
        """A parameter's value in words (its ``choices`` wording when it has them)."""
        value = param.value
        if param.choices and isinstance(value, (str, int, bool)) and str(value) in {str(k) for k in param.choices}:
            return next(v for k, v in param.choices.items() if str(k) == str(value))
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            return "；".join(str(v.get("text") or "，".join(f"{k}：{self.value(x)}" for k, x in v.items())) for v in value)
        if isinstance(value, dict) and not set(value) <= _LIMIT_KEYS:
            words = {str(k): str(v) for k, v in (param.choices or {}).items()}
            return "；".join(f"{words.get(str(k)) or self.label(str(k))}：{self._plain(v)}" for k, v in value.items())
        return self._plain(value)

    def _plain(self, value: Any) -> str:
        if isinstance(value, dict) and set(value) <= _LIMIT_KEYS and value:
            return describe_limit(value)
        if isinstance(value, dict):
            return "，".join(f"{self.label(str(k))}：{self._plain(v)}" for k, v in value.items())
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, (list, tuple)):
            return "、".join(self._plain(v) for v in value)
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)

    # -- conditions -------------------------------------------------------------------------------
    def trigger(self, on: Iterable[str]) -> str:
        parts = []
        for trigger in on:
            if trigger == "*":
                parts.append("收到任何事件")
            elif trigger.startswith("timer:"):
                _, name, moment = trigger.split(":", 2)
                parts.append(f"期限“{self.timer(name)}”" + ("临近（提前提醒）" if moment == "warn" else "届满（次日0时起逾期）"))
            elif trigger.startswith("schedule:"):
                parts.append(self.schedule(trigger.split(":", 1)[1]))
            else:
                parts.append(f"收到“{self.event(trigger)}”")
        return "或".join(parts)

    def schedule(self, schedule_id: str) -> str:
        schedule = next((s for s in self.pack.schedules if s.id == schedule_id), None)
        if schedule is None:
            return f"到日程{self.name(schedule_id)}"
        every = schedule.every
        if "monthly" in every:
            day = every["monthly"]
            words = f"每月{self.pack.param(day[6:]) if isinstance(day, str) and day.startswith('param:') else day}日"
        elif "weekly" in every:
            day = every["weekly"]
            day = self.pack.param(day[6:]) if isinstance(day, str) and day.startswith("param:") else day
            words = f"每周{WEEKDAYS[int(day) % 7]}"
        elif every.get("yearly_start"):
            words = "每年年初"
        elif "half_yearly" in every:
            words = "每半年" + ("初" if every["half_yearly"] == "start" else "末")
        else:
            words = "按固定日程"
        return f"到{words}（固定日程）"

    def conditions(self, when: dict[str, Any]) -> list[str]:
        out = []
        for key, spec in when.items():
            if key == "any":
                alternatives = ["，且".join(self.conditions(alt)) for alt in spec]
                out.append("下列之一：" + "；或".join(alternatives))
            else:
                out.append(self.condition(key, spec))
        return out

    def condition(self, key: str, spec: Any) -> str:
        op, value = next(iter(spec.items())) if isinstance(spec, dict) and len(spec) == 1 and next(iter(spec)) in (
            *OPS, "in", "exists") else ("==", spec)
        if key == "type":
            return "事件为" + self.trigger(value if isinstance(value, (list, tuple)) else [str(value)])
        space, _, name = key.partition(".")
        if space == "has":
            return f"该事件{'写明了' if value else '未写明'}“{self.label(name)}”"
        if space == "timer":
            if value in (False, None):
                return f"期限“{self.timer(name)}”未在计算"
            return f"期限“{self.timer(name)}”" + ("已届满" if value == "overdue" else "正在计算")
        if space == "count":
            if op == "==" and value in (False, 0, None):
                return f"此前没有“{self.event(name)}”"
            if op == "==" and value is True:
                return f"此前有过“{self.event(name)}”"
            return f"“{self.event(name)}”的次数{OPS.get(op, op)}{self.value(value)}"
        subject = {"subject": "事项的", "data": "该事件的", "state": "", "fact": ""}.get(space, "")
        words = self.label(name) if space in ("subject", "data") else self.name(name)
        if op == "exists":
            return f"{subject}“{words}”{'已有' if value else '尚无'}"
        if op == "in":
            return f"{subject}“{words}”为{self.value(list(value), name)}之一"
        if value is True and op == "==":
            return f"{subject}“{words}”成立" if space == "fact" else f"{subject}“{words}”为是"
        if value in (False, None) and op == "==":
            return f"{subject}“{words}”不成立" if space == "fact" else f"{subject}“{words}”为否或未填"
        return f"{subject}“{words}”{OPS.get(op, op)}{self.value(value, name)}"

    # -- effects ----------------------------------------------------------------------------------
    def template(self, text: str) -> str:
        """A title template with its fields as 〈label〉: what the title will say, not how it is filled."""
        def one(match: re.Match[str]) -> str:
            name = match.group(1).split(":", 1)[0].split("!", 1)[0]
            root, _, rest = name.partition(".")
            if root in ("subject", "data") and rest:
                return f"〈{self.label(rest)}〉"
            if root == "timer" and rest:
                return f"〈期限“{self.timer(rest)}”的最后一日〉"
            if root == "param" and rest:
                param = self.pack.parameters.get(rest)
                return self.parameter_value(param) if param is not None else f"〈{rest}〉"
            if root == "state" and rest:
                return f"〈{self.name(rest)}〉"
            return {"id": "〈编号〉", "at": "〈日期〉", "due": "〈期限〉"}.get(root, f"〈{name}〉")
        return _PLACEHOLDER.sub(one, text)

    def _people(self, spec: Any) -> str:
        if isinstance(spec, str) and spec.startswith("param:"):
            param = self.pack.parameters.get(spec[6:])
            return self.parameter_value(param) if param is not None else spec
        if isinstance(spec, (list, tuple)):
            return "、".join(self._people(s) for s in spec)
        return self.template(str(spec))

    def _due(self, spec: Any) -> str:
        if isinstance(spec, str) and spec.startswith("timer:"):
            return f"期限“{self.timer(spec[6:])}”的最后一日"
        if isinstance(spec, dict) and "after" in spec:
            return f"自触发之日起{self.value(spec['after'])}"
        return self.value(spec)

    def effect(self, effect: dict[str, Any]) -> str:
        if "emit" in effect:
            e = effect["emit"]
            stage = f"·{e['stage']}" if e.get("stage") else ""
            words = f"产生【{KIND_ZH.get(e.get('kind'), e.get('kind'))}{stage}】“{self.template(str(e.get('title', '')))}”"
            extras = [f"依据{e['clause']}" if e.get("clause") else "", f"期限：{self._due(e['due'])}" if e.get("due") else "",
                      f"审批：{self._people(e['approvals'])}" if e.get("approvals") else "",
                      f"送：{self._people(e['to'])}" if e.get("to") else ""]
            extras = [x for x in extras if x]
            return words + (f"（{'；'.join(extras)}）" if extras else "")
        if "reject" in effect:
            return f"驳回该事件：“{self.template(str(effect['reject']))}”"
        if "start" in effect:
            s = effect["start"]
            period = self._due(s.get("limit")) if s.get("limit") else ""
            if isinstance(s.get("limit"), str) and s["limit"].startswith(("data.", "subject.")):
                period = f"按〈{self.label(s['limit'].split('.', 1)[1])}〉"
            if s.get("due") and not s.get("limit"):
                period = self._due(s["due"])
            warn = f"，提前{self.value(s['warn'])}提醒" if s.get("warn") else ""
            return f"开始计算期限“{self.timer(s['timer'])}”" + (f"（{period}{warn}）" if period or warn else "")
        if "stop" in effect:
            timers = effect["stop"] if isinstance(effect["stop"], list) else [effect["stop"]]
            return "停止计算期限" + "、".join(f"“{self.timer(t)}”" for t in timers)
        if "set" in effect:
            return "记下" + "，".join(f"“{self.name(k)}”" + ("加1" if v == "+1" else f"为{self.template(str(v)) if isinstance(v, str) else self.value(v)}")
                                     for k, v in effect["set"].items())
        if "call" in effect:
            call = effect["call"]
            function = call if isinstance(call, str) else call.get("function", "")
            return f"由{self.function(function)}判断并产生动作"
        return "其他处理"

    def function(self, name: str) -> str:
        if name in self.names:
            return self.names[name]
        doc = (getattr(self.pack.functions.get(name), "__doc__", None) or "").strip().splitlines()
        if doc and len(_CJK.findall(doc[0])) > len(doc[0]) / 3:  # a docstring in Chinese says what it does
            return f"规则包函数（{doc[0].rstrip('。.')}）"
        return f"规则包函数{self.name(name)}"

    # -- a rule -----------------------------------------------------------------------------------
    def rule(self, rule: Rule) -> RuleWords:
        conditions = self.conditions(rule.when)
        when = f"当{self.trigger(rule.on)}" + ("，且" + "，且".join(conditions) if conditions else "") + "时"
        return RuleWords(rule.id, rule.pack, when, [self.effect(e) for e in rule.then if isinstance(e, dict)],
                         sorted(parameters_read(rule)), rule.source)


def parameters_read(rule: Rule) -> set[str]:
    """The parameters a rule reads (``param:x`` anywhere, ``{param.x}`` in a title)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, str):
            if node.startswith("param:"):
                found.add(node[6:])
            found.update(re.findall(r"\{param\.([A-Za-z0-9_]+)", node))
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value)
    walk(rule.when)
    walk(rule.then)
    return found
