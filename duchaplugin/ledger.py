"""The 督查台账 a replay ends with (``--format table``): one row per item or activity.

Columns as a 督查室 keeps them: 编号、事项、类别、责任单位、责任领导、办理时限、落实情况、办结情况、督办记录.
Filled from what the events recorded (the subject's latest data fields) and what the plugin did
(the rungs and rejections among its actions). A 涉密 subject shows its id, units and dates only
(条例 第二十四条; 呼县政办〔2023〕38号 一、（二）2.（1）).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from duchaplugin.titles import REDACTED, describe_limit
from duchaplugin.models import Action, Event, SubjectState

COLUMNS = ("编号", "事项", "类别", "责任单位", "责任领导", "办理时限", "落实情况", "办结情况", "督办记录")
_EMPTY = "—"


@dataclass
class _Row:
    dates: dict[str, datetime] = field(default_factory=dict)  # accepted event type → its latest time
    record: Counter = field(default_factory=Counter)  # 提醒/约谈/问责/驳回… → times


class Ledger:
    """Collects, during a replay, what each subject's row needs beyond its state."""

    def __init__(self) -> None:
        self._rows: dict[str, _Row] = {}

    def event(self, event: Event, actions: list[Action]) -> None:
        """An event and the actions it produced: its date counts unless it was rejected."""
        if not any(a.kind == "rejection" and a.event == event.id for a in actions):
            self._rows.setdefault(event.subject, _Row()).dates[event.type] = event.at

    def actions(self, actions: list[Action]) -> None:
        """Every action of the replay: rungs and rejections go into the 督办记录."""
        for action in actions:
            label = "驳回" if action.kind == "rejection" else action.stage
            if label:
                self._rows.setdefault(action.subject, _Row()).record[label] += 1

    def rows(self, states: list[SubjectState]) -> list[dict[str, str]]:
        """One row per subject (not the packs' dockets ``@…``), in subject order."""
        return [self._row(s) for s in sorted(states, key=lambda s: s.subject) if not s.subject.startswith("@")]

    def _row(self, state: SubjectState) -> dict[str, str]:
        a, row = state.attrs, self._rows.get(state.subject, _Row())
        secret = bool(a.get("secret"))
        number = str(a.get("number") or "")
        return {
            "编号": state.subject + (f"（{number}）" if number and number != state.subject else ""),
            "事项": REDACTED if secret else _text(a.get("title") or a.get("content")),
            "类别": _text(a.get("category") or a.get("source") or a.get("activity_type") or a.get("kind")),
            "责任单位": _text(a.get("lead_unit") or a.get("unit") or a.get("targets") or a.get("target")),
            "责任领导": _text(a.get("leader")),
            "办理时限": _limit(a),
            "落实情况": REDACTED if secret and a.get("text") else _progress(a),
            "办结情况": _status(state, row),
            "督办记录": "、".join(f"{label}{n}次" for label, n in row.record.items()) or _EMPTY,
        }


def _text(value: Any) -> str:
    if value in (None, "", []):
        return _EMPTY
    return "、".join(map(str, value)) if isinstance(value, list) else str(value)


def _limit(attrs: dict[str, Any]) -> str:
    """The limit as last set (assignment or approved extension): a last day or a period."""
    if attrs.get("due"):
        return str(attrs["due"])
    return describe_limit(attrs["time_limit"]) if isinstance(attrs.get("time_limit"), dict) else _EMPTY


def _progress(attrs: dict[str, Any]) -> str:
    percent = attrs.get("percent")
    text = attrs.get("text")
    if percent is None and not text:
        return _EMPTY
    if isinstance(percent, float) and percent.is_integer():
        percent = int(percent)
    return "，".join(p for p in (f"完成{percent}%" if percent is not None else "", str(text or "")) if p)


def _on(row: _Row, label: str, kind: str) -> str:
    """``label（date）`` with the date of the subject's latest accepted ``kind`` event, if known."""
    return f"{label}（{row.dates[kind].date().isoformat()}）" if kind in row.dates else label


def _status(state: SubjectState, row: _Row) -> str:
    if state.counts.get("closed"):
        return _on(row, "已办结销号", "closed")
    if state.counts.get("conclusion_issued") and not state.timers:
        return _on(row, "已作出督查结论", "conclusion_issued")
    parts = ["在办"]
    if state.counts.get("completion_reported"):
        parts = [_on(row, "已报请办结", "completion_reported")]
    if any(t.overdue for t in state.timers.values()):
        parts.append("逾期")
    if state.counts.get("extension_granted"):
        parts.append(f"延期{state.counts['extension_granted']}次")
    return "，".join(parts)


def format_ledger(rows: list[dict[str, str]], as_of: datetime | None) -> list[str]:
    """The ledger as a Markdown table (readable as text, and pastes into an OA's rich-text field)."""
    when = f"（截至 {as_of.strftime('%Y-%m-%d %H:%M')}）" if as_of else ""
    lines = [f"督查台账{when}", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(r[c].replace("|", "｜").replace("\n", " ") for c in COLUMNS) + " |" for r in rows]
    return lines
