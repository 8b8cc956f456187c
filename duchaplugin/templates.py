"""Shared rule templates: the recurring shapes of 督查督办 rules, expanded into plain rules.

A pack's ``rules.yaml`` may write ``- use: <template>`` with the template's arguments instead of
raw rules. Every generated rule keeps the template's ``clauses`` and an id prefixed by the
template's ``id``, so coverage and actions still point at the document.

- ``deadline_watch`` — a period started by an event, warned before, overdue after, stopped by
  completion, restarted by an approved extension.
- ``escalation_ladder`` — rungs climbed when a watched period or the previous rung's period runs
  out; an approved extension suspends the ladder until the new limit; listed findings may jump.
- ``required_fields`` — a gate: an event lacking listed fields is rejected, naming them.
"""

from __future__ import annotations

from typing import Any

from duchaplugin.errors import PackError
from duchaplugin.yamlio import line_of


def expand_template(node: dict[str, Any], pack: Any) -> list[dict[str, Any]]:
    name = node["use"]
    builder = TEMPLATES.get(name)
    if builder is None:
        raise PackError(f"未知的规则模板 {name}（可用：{'、'.join(TEMPLATES)}）", f"unknown rule template {name}",
                        field="rules.yaml", line=line_of(node))
    for key in ("id", "clauses"):
        if not node.get(key):
            raise PackError(f"模板 {name} 缺少 {key}", f"template {name} needs {key}", field="rules.yaml", line=line_of(node))
    return builder(node)


def _list(value: Any) -> list:
    return [] if value is None else list(value) if isinstance(value, (list, tuple)) else [value]


def deadline_watch(t: dict[str, Any]) -> list[dict[str, Any]]:
    tid, clauses = t["id"], t["clauses"]
    start = {"timer": tid, "limit": t.get("limit", "data.time_limit"), "due": t.get("due", "data.due"),
             "warn": t.get("warn"), "optional": True}
    rules = [
        {"id": f"{tid}-start", "clauses": clauses, "on": t["start_on"], "when": t.get("when") or {},
         "then": [{"start": start}]},
        {"id": f"{tid}-stop", "clauses": clauses, "on": _list(t.get("stop_on")), "then": [{"stop": tid}]},
    ]
    if t.get("extend_on"):
        rules.append({"id": f"{tid}-extend", "clauses": t.get("extend_clauses") or clauses, "on": t["extend_on"],
                      "when": {"any": [{"has.time_limit": True}, {"has.due": True}]},
                      "then": [{"start": {**start, "optional": False, "limit": "data.time_limit", "due": "data.due"}},
                               {"set": {f"{tid}_extended": "+1"}}]})
    if t.get("on_warn"):
        rules.append({"id": f"{tid}-warn", "clauses": clauses, "on": f"timer:{tid}:warn", "then": _list(t["on_warn"])})
    rules.append({"id": f"{tid}-overdue", "clauses": clauses, "on": f"timer:{tid}:overdue",
                  "then": [{"set": {f"{tid}_overdue": True}}, *_list(t.get("on_overdue"))]})
    return rules


def escalation_ladder(t: dict[str, Any]) -> list[dict[str, Any]]:
    """Rung j fires when the watched period, or rung j-1's period, runs out while at rung j-1."""
    lid, watch, rungs = t["id"], t["watch"], t["rungs"]
    rung_flag = f"{lid}_rung"
    rules: list[dict[str, Any]] = []
    for j, rung in enumerate(rungs, start=1):
        effects = [{"emit": {"kind": rung.get("kind", "escalation"), "stage": rung["stage"], "title": rung["title"],
                             "clause": rung.get("clause"), "approvals": rung.get("approvals"), "to": rung.get("to"),
                             "due": {"after": rung["limit"]} if rung.get("limit") else None,
                             "data": {"rung": j, **(rung.get("data") or {})}}},
                   {"set": {rung_flag: j}}]
        effects.append({"start": {"timer": lid, "limit": rung["limit"]}} if rung.get("limit") and j < len(rungs)
                       else {"stop": lid})
        clauses = _list(rung.get("clauses")) or t["clauses"]
        when = {f"state.{rung_flag}": j - 1, **(t.get("when") or {}), **(rung.get("when") or {})}
        rules.append({"id": f"{lid}-{j}", "clauses": clauses, "on": [f"timer:{watch}:overdue", f"timer:{lid}:overdue"],
                      "when": when, "then": effects})
        for k, jump in enumerate(_list(rung.get("jump_on"))):
            rules.append({"id": f"{lid}-{j}-jump-{k + 1}", "clauses": _list(jump.get("clauses")) or clauses,
                          "on": jump.get("on", "finding"),
                          "when": {f"state.{rung_flag}": {"<": j}, **(jump.get("when") or {})}, "then": effects})
    rules.append({"id": f"{lid}-stop", "clauses": t["clauses"], "on": _list(t.get("stop_on")), "then": [{"stop": lid}]})
    if t.get("suspend_on"):
        rules.append({"id": f"{lid}-suspend", "clauses": t.get("suspend_clauses") or t["clauses"], "on": t["suspend_on"],
                      "when": {f"state.{rung_flag}": {">": 0}}, "then": [{"stop": lid}]})
    if t.get("limit_set_on"):  # the host reports the limit a letter actually gave
        rules.append({"id": f"{lid}-limit", "clauses": t["clauses"], "on": t["limit_set_on"],
                      "when": {f"state.{rung_flag}": {">": 0}, "timer." + lid: "running",
                               "any": [{"has.time_limit": True}, {"has.due": True}]},
                      "then": [{"start": {"timer": lid, "limit": "data.time_limit", "due": "data.due"}}]})
    return rules


def required_fields(t: dict[str, Any]) -> list[dict[str, Any]]:
    """``fields``: ``{field: 文件用语}``; a value ``a|b`` accepts either field (``time_limit|due``)."""
    fields: dict[str, str] = t["fields"]
    alternatives = [{f"has.{name.split('|')[0]}": False} if "|" not in name else
                    {f"has.{n}": False for n in name.split("|")} for name in fields]
    return [{"id": t["id"], "clauses": t["clauses"], "on": t["on"], "when": {**(t.get("when") or {}), "any": alternatives},
             "gate": True, "then": [{"call": {"function": "core.reject_missing",
                                              "args": {"fields": fields, "title": t.get("title", "")}}}]}]


TEMPLATES = {"deadline_watch": deadline_watch, "escalation_ladder": escalation_ladder, "required_fields": required_fields}
