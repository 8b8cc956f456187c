"""Shared rule templates: the recurring shapes of 督查督办 rules, expanded into plain rules.

A pack's ``rules.yaml`` may write ``- use: <template>`` with the template's arguments instead of
raw rules. Every generated rule keeps the template's ``clauses`` and an id prefixed by the
template's ``id``, so coverage and actions still point at the document.

- ``deadline_watch`` — a period started by an event, warned before, overdue after, stopped by
  completion, restarted by an approved extension.
- ``escalation_ladder`` — rungs climbed when a watched period or the previous rung's period runs
  out; an approved extension suspends the ladder until the new limit; listed findings may jump.
  With ``confirm: true`` a rung is a proposal the host confirms (``action_taken``), and the next
  rung waits for it (:mod:`duchaplugin.confirmations`, parameter ``ladder_confirmation``).
- ``required_fields`` — a gate: an event lacking listed fields is rejected, naming them.
"""

from __future__ import annotations

from typing import Any

from duchaplugin.errors import PackError
from duchaplugin.yamlio import line_of


def expand_template(node: dict[str, Any], pack: Any) -> list[dict[str, Any]]:
    """A template's rules; its state flags' initial values are added to ``pack.flags``."""
    name = node["use"]
    entry = TEMPLATES.get(name)
    if entry is None:
        raise PackError(f"未知的规则模板 {name}（可用：{'、'.join(TEMPLATES)}）", f"unknown rule template {name}",
                        field="rules.yaml", line=line_of(node))
    builder, keys = entry
    for key in ("id", "clauses"):
        if not node.get(key):
            raise PackError(f"模板 {name} 缺少 {key}", f"template {name} needs {key}", field="rules.yaml", line=line_of(node))
    unknown = [k for k in node if k not in keys and k not in ("use", "id", "clauses")]
    if unknown:
        raise PackError(f"模板 {name} 没有参数 {'、'.join(map(str, unknown))}（可用：{'、'.join(keys)}）",
                        f"template {name} takes no argument {', '.join(map(str, unknown))}", field="rules.yaml",
                        line=line_of(node, unknown[0]))
    rules, flags = builder(node)
    for flag, value in flags.items():
        pack.flags.setdefault(flag, value)
    return rules


def _list(value: Any) -> list:
    return [] if value is None else list(value) if isinstance(value, (list, tuple)) else [value]


def deadline_watch(t: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
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
    return rules, {}


def escalation_ladder(t: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rung j is reached when the watched period (``watch``, optional), or rung j-1's period, runs
    out while at rung j-1, or by a listed jump. Flags: ``<id>_rung`` the rung reached,
    ``<id>_proposed`` the rung proposed. Every rung is emitted with ``confirm: <id>``: the host may
    confirm it with ``action_taken`` (trigger ``confirmed:<id>``; the event's ``at`` is the day it
    was issued, its ``time_limit``/``due`` the period it set).

    How a rung is reached is a reading of the document, selected by the pack parameter
    ``ladder_confirmation`` when the ladder says ``confirm: true``:

    - ``required``: a rung is only proposed; it is reached when the host confirms it, and its period
      (``limit``, or the one the confirmation gives) runs from the day it was issued — so rung j+1
      waits for rung j's confirmation; unconfirmed, a reminder asks whether it was issued;
    - ``assumed`` (also the only reading of a ladder without ``confirm: true``): a rung is reached
      when proposed and its period runs from then; a confirmation giving a period restarts it from
      the day it was issued.

    A confirmation of a proposal withdrawn meanwhile (``stop_on``, ``suspend_on``) is recorded — the
    rung was reached — and starts no period. A rung's ``assumed_title`` is its title under
    ``assumed``, for a title that would otherwise state an earlier rung as a recorded fact."""
    lid, rungs = t["id"], t["rungs"]
    rung_flag, proposed_flag, n = f"{lid}_rung", f"{lid}_proposed", len(rungs)
    readings = ["required", "assumed"] if t.get("confirm") else [None]
    triggers = ([f"timer:{t['watch']}:overdue"] if t.get("watch") else []) + [f"timer:{lid}:overdue"]
    rules: list[dict[str, Any]] = []
    for j, rung in enumerate(rungs, start=1):
        clauses = _list(rung.get("clauses")) or t["clauses"]
        for reading in readings:
            effects = _rung_effects(t, rung, j, n, reading)
            only = {"param.ladder_confirmation": reading} if reading else {}
            suffix = f"-{reading}" if reading else ""
            when = {f"state.{rung_flag}": j - 1, f"state.{proposed_flag}": {"<": j}, **only, **(t.get("when") or {}),
                    **(rung.get("when") or {})}
            rules.append({"id": f"{lid}-{j}{suffix}", "clauses": clauses, "on": triggers, "when": when, "then": effects})
            for k, jump in enumerate(_list(rung.get("jump_on"))):
                rules.append({"id": f"{lid}-{j}-jump-{k + 1}{suffix}", "clauses": _list(jump.get("clauses")) or clauses,
                              "on": jump.get("on", "finding"),
                              "when": {f"state.{rung_flag}": {"<": j}, f"state.{proposed_flag}": {"<": j}, **only,
                                       **(jump.get("when") or {})}, "then": effects})
        rules += _confirmation_rules(t, rung, j, n, clauses)
    stop = [{"stop": lid}, {"call": {"function": "core.withdraw_proposals", "args": {"key": lid, "ladder": lid}}}]
    rules.append({"id": f"{lid}-stop", "clauses": t["clauses"], "on": _list(t.get("stop_on")), "then": stop})
    if t.get("suspend_on"):
        rules.append({"id": f"{lid}-suspend", "clauses": t.get("suspend_clauses") or t["clauses"], "on": t["suspend_on"],
                      "when": {f"state.{proposed_flag}": {">": 0}}, "then": stop})
    return rules, {rung_flag: 0, proposed_flag: 0}


def _rung_effects(t: dict[str, Any], rung: dict[str, Any], j: int, n: int, reading: str | None) -> list[dict[str, Any]]:
    lid = t["id"]
    emit = {"kind": rung.get("kind", "escalation"), "stage": rung["stage"], "clause": rung.get("clause"),
            "title": rung.get("assumed_title", rung["title"]) if reading == "assumed" else rung["title"],
            "approvals": rung.get("approvals"), "to": rung.get("to"),
            "due": {"after": rung["limit"]} if rung.get("limit") else None, "data": {"rung": j, **(rung.get("data") or {})}}
    if reading == "required":  # proposed only: the rung is reached, and its period starts, when confirmed
        return [{"emit": {**emit, "confirm": {"key": lid, "remind": j < n}}}, {"set": {f"{lid}_proposed": j}}, {"stop": lid}]
    period = {"start": {"timer": lid, "limit": rung["limit"]}} if rung.get("limit") and j < n else {"stop": lid}
    return [{"emit": {**emit, "confirm": {"key": lid, "assumed": True}}}, {"set": {f"{lid}_rung": j, f"{lid}_proposed": j}},
            period]


def _confirmation_rules(t: dict[str, Any], rung: dict[str, Any], j: int, n: int, clauses: list[str]) -> list[dict[str, Any]]:
    """What a confirmation of rung j does: reach it and start its period (``required``, proposal
    standing), record it (proposal withdrawn), or restart the running period from the day it was
    issued when it gives one."""
    lid, stage = t["id"], rung["stage"]
    rung_flag, proposed_flag = f"{lid}_rung", f"{lid}_proposed"
    on, given = f"confirmed:{lid}", {"any": [{"has.time_limit": True}, {"has.due": True}]}
    below = {"data.stage": stage, f"state.{rung_flag}": {"<": j}}
    reach = {"set": {rung_flag: j}}
    rules = [{"id": f"{lid}-{j}-recorded", "clauses": clauses, "on": on,
              "when": {**below, f"state.{proposed_flag}": {"<": j}}, "then": [{"set": {rung_flag: j, proposed_flag: j}}]}]
    if j < n:
        rules.append({"id": f"{lid}-{j}-period", "clauses": clauses, "on": on,
                      "when": {"data.stage": stage, f"state.{rung_flag}": j, f"timer.{lid}": "running", **given},
                      "then": [{"start": {"timer": lid, "limit": "data.time_limit", "due": "data.due"}}]})
    if not t.get("confirm"):
        return rules
    standing = {**below, f"state.{proposed_flag}": {">=": j}, "param.ladder_confirmation": "required"}
    if j == n:
        return rules + [{"id": f"{lid}-{j}-confirmed", "clauses": clauses, "on": on, "when": standing, "then": [reach]}]
    period = {"start": {"timer": lid, "limit": rung["limit"]}} if rung.get("limit") else {"stop": lid}
    return rules + [
        {"id": f"{lid}-{j}-confirmed", "clauses": clauses, "on": on,
         "when": {**standing, "has.time_limit": False, "has.due": False}, "then": [reach, period]},
        {"id": f"{lid}-{j}-confirmed-period", "clauses": clauses, "on": on, "when": {**standing, **given},
         "then": [reach, {"start": {"timer": lid, "limit": "data.time_limit", "due": "data.due"}}]},
    ]


def required_fields(t: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """``fields``: ``{field: 文件用语}``; a value ``a|b`` accepts either field (``time_limit|due``)."""
    fields: dict[str, str] = t["fields"]
    alternatives = [{f"has.{name.split('|')[0]}": False} if "|" not in name else
                    {f"has.{n}": False for n in name.split("|")} for name in fields]
    return [{"id": t["id"], "clauses": t["clauses"], "on": t["on"], "when": {**(t.get("when") or {}), "any": alternatives},
             "gate": True, "then": [{"call": {"function": "core.reject_missing",
                                              "args": {"fields": fields, "title": t.get("title", "")}}}]}], {}


#: Each template's builder and the arguments it takes besides ``use``, ``id`` and ``clauses``.
TEMPLATES = {
    "deadline_watch": (deadline_watch, ("start_on", "limit", "due", "warn", "stop_on", "extend_on", "extend_clauses",
                                        "on_warn", "on_overdue", "when")),
    "escalation_ladder": (escalation_ladder, ("watch", "rungs", "stop_on", "suspend_on", "suspend_clauses", "when",
                                              "confirm")),
    "required_fields": (required_fields, ("fields", "on", "when", "title")),
}
