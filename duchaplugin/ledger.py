"""The 督查台账: one row per item or activity, as a 督查室 files it (``replay --format table``,
``duchaplugin ledger --xlsx``, the service's ledger).

Columns: 编号、事项、类别、责任单位、责任领导、办理时限、落实情况、办结情况、督办记录. Filled from what the
events recorded and what the plugin did, never from internal state alone:
- 办理时限 is the last day the assignment (or the latest approved extension) set, computed on the
  pack's calendar; a period is kept as the original wording beside it;
- 落实情况 is the latest report as that report gave it (a percent of an earlier report is never
  shown beside a later completion);
- 办结情况 follows the last step of the procedure: 报请办结 → 核查 → 销号, or 督查结论 → 整改 → 核查;
- 督办记录 lists the rungs, requirements and refusals with their recipients and periods; a period
  the document does not set (``basis.defaults`` of the action) is marked "（默认值，文件未规定）";
- a subject whose registration was refused and never accepted, and the packs' own dockets
  (``@<pack>``), are not on the ledger.
A 涉密 subject shows its id, units and dates only (条例 第二十四条; 呼县政办〔2023〕38号 一、（二）2.（1））.
Scores (``score`` actions) are kept for the 督查考核 sheet with each deduction's weight.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable, Mapping

from duchaplugin.calendar import BEIJING, get_calendar
from duchaplugin.models import Action, Event, SubjectState
from duchaplugin.titles import REDACTED, describe_limit

COLUMNS = ("编号", "事项", "类别", "责任单位", "责任领导", "办理时限", "落实情况", "办结情况", "督办记录")
KIND_ZH = {"notice": "通知", "escalation": "升级", "situation": "情形", "requirement": "要求", "rejection": "驳回",
           "suggestion": "建议", "score": "评分", "report": "报告", "retraction": "撤回"}
DEFAULT_MARK = "（默认值，文件未规定）"
CELL_CAP = 1000  # characters a cell holds before it is cut (a host's text may be of any length)
EMPTY = "—"

#: Event types whose ``due``/``time_limit`` set the item's own 办理时限 (not a rectification's or a letter's).
_LIMIT_EVENTS = frozenset({"registered", "assigned", "extension_granted", "reopened", "proposed", "plan_filed"})
#: Reports whose own data make the 落实情况.
_REPORTS = {"progress_reported": "进展反馈", "completion_reported": "报请办结", "rectification_planned": "整改方案",
            "rectification_reported": "整改完成"}
#: Actions listed in the 督办记录 cell (notices and situations stay in the detailed record).
_RECORDED = frozenset({"escalation", "suggestion", "requirement", "rejection", "retraction"})


@dataclass
class Record:
    """One action of a subject, as the 督办记录 lists it."""

    action: Action
    withdrawn: bool = False

    @property
    def label(self) -> str:
        return self.action.stage or KIND_ZH.get(self.action.kind, self.action.kind)

    @property
    def defaults(self) -> list[dict[str, Any]]:
        """The parameters marked as defaults the action's date, threshold, rung or trigger depends on."""
        return action_defaults(self.action)


@dataclass
class Limit:
    """An item's 办理时限: the last day, how the host gave it, and whether it changed."""

    last_day: date | None
    wording: str  # "20个工作日（自2025-03-03起算）", "经批准延期（原时限2025-08-29）", or "" for a plain date


@dataclass
class Entry:
    """One row of the 督查台账, with typed values (dates as dates) for the spreadsheet."""

    subject: str
    number: str
    pack: str
    secret: bool
    title: str
    category: str
    units: str
    leader: str
    limit: Limit
    progress: str
    status: str
    records: list[Record]
    counts: Counter

    def cells(self) -> dict[str, str]:
        """The nine columns as text (what ``Ledger.rows`` gives and the terminal prints)."""
        if self.limit.last_day:
            limit = self.limit.last_day.isoformat() + (f"\n（{self.limit.wording}）" if self.limit.wording else "")
        else:
            limit = self.limit.wording or EMPTY
        return {
            "编号": self.number,
            "事项": self.title,
            "类别": self.category,
            "责任单位": self.units,
            "责任领导": self.leader,
            "办理时限": limit,
            "落实情况": self.progress,
            "办结情况": self.status,
            "督办记录": record_summary(self),
        }


@dataclass
class Score:
    """A 督查考核 result (a ``score`` action): unit, period, score and its deductions with their weights."""

    action: Action
    unit: str
    period: str
    score: float | None
    items: dict[str, float]
    breakdown: list[dict[str, Any]]
    criticised: list[str] = field(default_factory=list)  # items of the unit with a 通报批评 on record

    @property
    def deductions(self) -> list[str]:
        out = []
        for b in self.breakdown:
            points, weight = float(b.get("points") or 0), b.get("weight")
            if not points:
                continue
            share = f"（权重{float(weight):g}，折合扣{points * float(weight):g}分）" if weight is not None else ""
            out.append(f"{b.get('item', '')} {b.get('criterion', '')}扣{points:g}分{share}（{b.get('clause', '')}）")
        return out

    @property
    def note(self) -> str:
        """Why a unit with a 通报批评 on record kept its full score, when it did."""
        if self.criticised and not self.deductions:
            return (f"该单位事项曾被通报批评（{'、'.join(self.criticised)}），考核扣分标准未将通报批评或认定的追责情形计入，"
                    "故无扣分；扣分标准见规则包参数")
        return ""


@dataclass
class _Subject:
    pack: str = ""
    events: list[tuple[str, datetime, dict[str, Any]]] = field(default_factory=list)  # accepted: type, at, data
    refused_registration: bool = False
    limits: list[tuple[str, datetime, dict[str, Any]]] = field(default_factory=list)
    report: tuple[str, datetime, dict[str, Any]] | None = None
    records: list[Record] = field(default_factory=list)


def action_defaults(action: Action) -> list[dict[str, Any]]:
    """``basis.defaults`` of an action (``[{parameter, value, note}]``), empty when none."""
    defaults = getattr(action.basis, "defaults", None)
    if defaults is None:
        defaults = (action.basis.model_extra or {}).get("defaults") if action.basis.model_extra else None
    return [d if isinstance(d, dict) else d.model_dump() for d in defaults or []]


def cap(text: str, limit: int = CELL_CAP) -> str:
    """``text`` cut to ``limit`` characters, saying how long it was."""
    return text if len(text) <= limit else text[:limit] + f"……（共{len(text)}字，已截断）"


class Ledger:
    """Collects, during a replay (or a service's life), what each subject's row needs.

    ``packs`` (pack id → :class:`~duchaplugin.pack.Pack`, e.g. ``engine.packs``) gives each pack's
    regional calendar for 办理时限 given as a period; without it the national calendar is used."""

    def __init__(self, packs: Mapping[str, Any] | None = None) -> None:
        self._subjects: dict[str, _Subject] = {}
        self._packs = packs or {}
        self._scores: list[Action] = []

    def event(self, event: Event, actions: list[Action]) -> None:
        """An event and the actions it produced: recorded unless it was refused."""
        row = self._subjects.setdefault(event.subject, _Subject())
        row.pack = row.pack or event.pack or ""
        if any(a.kind == "rejection" and a.event == event.id for a in actions):
            row.refused_registration |= event.type == "registered"
            return
        data = dict(event.data)
        row.events.append((event.type, event.at, data))
        if event.type in _LIMIT_EVENTS and (data.get("due") or data.get("time_limit")):
            row.limits.append((event.type, event.at, data))
        if event.type in _REPORTS:
            row.report = (event.type, event.at, data)

    def actions(self, actions: list[Action]) -> None:
        """Every action of the replay, in order: the 督办记录 and the 督查考核."""
        for action in actions:
            if action.kind == "score":
                self._scores.append(action)
            row = self._subjects.setdefault(action.subject, _Subject())
            if action.kind == "retraction":
                retracts = (action.model_extra or {}).get("retracts") or getattr(action, "retracts", None)
                for record in row.records:
                    record.withdrawn |= record.action.id == retracts
            row.records.append(Record(action))

    def entries(self, states: Iterable[SubjectState], pack: str | None = None) -> list[Entry]:
        """The rows with typed values, in subject order: every subject with an accepted event, not
        the packs' dockets, not one whose registration was refused and never accepted."""
        out = []
        for state in sorted(states, key=lambda s: s.subject):
            row = self._subjects.get(state.subject)
            if state.subject.startswith("@") or (pack and state.pack != pack) or row is None or not row.events:
                continue
            if row.refused_registration and not any(t == "registered" for t, _, _ in row.events):
                continue
            out.append(self._entry(state, row))
        return out

    def rows(self, states: Iterable[SubjectState], pack: str | None = None) -> list[dict[str, str]]:
        """The rows as text, one mapping of the nine columns per subject."""
        return [e.cells() for e in self.entries(states, pack)]

    def scores(self, entries: list[Entry] | None = None, pack: str | None = None) -> list[Score]:
        """The 督查考核 results recorded, each with its deductions' weights and the unit's 通报批评."""
        criticised = {e.subject for e in entries or [] if any("通报" in (r.action.stage or "") and "表扬" not in r.label
                                                            and not r.withdrawn for r in e.records)}
        out = []
        for action in self._scores:
            if pack and action.basis.pack != pack:
                continue
            data = action.data or {}
            items = {str(k): v for k, v in (data.get("items") or {}).items()}
            out.append(Score(action, str(data.get("unit") or action.subject), str(data.get("period") or ""),
                             data.get("score"), items, list(data.get("breakdown") or []),
                             sorted(s for s in items if s in criticised)))
        return out

    # -- one row ----------------------------------------------------------------------------------
    def _entry(self, state: SubjectState, row: _Subject) -> Entry:
        a = state.attrs
        secret = bool(a.get("secret"))
        number = str(a.get("number") or "")
        units = _text(a.get("lead_unit") or a.get("unit") or a.get("targets") or a.get("target"))
        if a.get("co_units"):
            units += f"\n协办：{_text(a.get('co_units'))}"
        return Entry(
            subject=state.subject,
            number=state.subject + (f"（{number}）" if number and number != state.subject else ""),
            pack=state.pack,
            secret=secret,
            title=REDACTED if secret else cap(_text(a.get("title") or a.get("content"))),
            category=cap(_text(a.get("category") or a.get("source") or a.get("activity_type") or a.get("kind"))),
            units=cap(units),
            leader=cap(_text(a.get("leader"))),
            limit=self._limit(row),
            progress=_progress(row.report, secret),
            status=_status(state, row),
            records=row.records,
            counts=_counts(row.records),
        )

    def _limit(self, row: _Subject) -> Limit:
        if not row.limits:
            return Limit(None, "")
        kind, at, data = row.limits[-1]
        last, wording = _last_day(self._calendar(row.pack), at, data)
        earlier = [_last_day(self._calendar(row.pack), t, d)[0] for _, t, d in row.limits[:-1]]
        if kind == "extension_granted":
            extended = sum(1 for k, _, _ in row.limits if k == "extension_granted")
            original = f"，原时限{earlier[0].isoformat()}" if earlier and earlier[0] else ""
            wording = "；".join(p for p in (wording, f"经批准延期{extended}次{original}") if p)
        return Limit(last, wording)

    def _calendar(self, pack_id: str) -> Any:
        pack = self._packs.get(pack_id)
        return get_calendar(getattr(pack, "region", None))


def _last_day(calendar: Any, at: datetime, data: dict[str, Any]) -> tuple[date | None, str]:
    """The last day an event's ``due``/``time_limit`` sets, and the wording when it was a period."""
    from duchaplugin.timing import as_limit, last_day

    if data.get("due"):
        try:
            return date.fromisoformat(str(data["due"])[:10]), ""
        except ValueError:
            return None, cap(str(data["due"]), 100)
    limit = data["time_limit"]
    start = at.astimezone(BEIJING).date()
    if hasattr(limit, "model_dump"):
        limit = limit.model_dump(exclude_none=True)
    words = describe_limit(limit) if isinstance(limit, dict) else str(limit)
    try:
        return last_day(calendar, start, as_limit(limit))[0], f"{words}，自{start.isoformat()}起算"
    except (ValueError, TypeError):
        return None, cap(words, 100)


def _text(value: Any) -> str:
    if value in (None, "", []):
        return EMPTY
    return "、".join(map(str, value)) if isinstance(value, list) else str(value)


def _progress(report: tuple[str, datetime, dict[str, Any]] | None, secret: bool) -> str:
    """The latest report, as that report gave it: ``2025-06-16 报请办结：完成100%，…``."""
    if report is None:
        return EMPTY
    kind, at, data = report
    percent = data.get("percent")
    if isinstance(percent, float) and percent.is_integer():
        percent = int(percent)
    text = data.get("text") or data.get("problem") or ""
    if secret and text:
        text = REDACTED
    body = "，".join(p for p in (f"完成{percent}%" if percent is not None else "", str(text)) if p)
    return cap(f"{at.astimezone(BEIJING).date().isoformat()} {_REPORTS[kind]}" + (f"：{body}" if body else ""))


def _day(at: datetime) -> str:
    return at.astimezone(BEIJING).date().isoformat()


def _status(state: SubjectState, row: _Subject) -> str:
    """Where the subject stands: the last step of its procedure that an accepted event recorded."""
    phase, done, closed = "在办", False, False
    conclusion, report = False, ""  # a 督查结论 was made; the report a check answers: 报请办结 or 整改完成
    review = ""
    for kind, at, data in row.events:
        day = _day(at)
        if kind == "closed":
            phase, done, closed = f"已办结销号（{day}）", True, True
        elif kind == "reopened":
            phase, done, closed = f"退回重办（{day}）", False, False
        elif kind == "verified" and closed:  # a 回访核查 after the item was struck off
            phase += f"，回访核查{'通过' if data.get('passed') is True else '未通过'}（{day}）"
        elif kind == "completion_reported":
            phase, report, done = f"已报请办结（{day}）", "completion", False
        elif kind == "conclusion_issued":
            conclusion, done = True, not data.get("requires_rectification")
            phase = f"已作出督查结论（{day}）" + ("，无需整改，已办结" if done else "，待整改")
        elif kind == "rectification_planned":
            phase = f"已报送整改方案（{day}）"
        elif kind == "rectification_reported":
            phase, report = f"已报告整改完成（{day}），待核查", "rectification"
        elif kind == "verified":
            passed = data.get("passed") is True
            if report == "completion":
                phase = f"核查通过（{day}），待销号" if passed else f"核查未通过（{day}），继续办理"
            elif passed:
                phase, done = f"整改核查通过（{day}）" + ("，已办结" if conclusion else ""), conclusion
            else:
                phase, done = f"整改核查未通过（{day}），继续整改", False
            report = ""
        elif kind == "review_requested":
            review = f"申请复核中（{day}）"
        elif kind == "review_decided":
            result = cap(str(data.get("result") or ""), 60)
            review = f"复核决定：{result}（{day}）" if result else f"已作出复核决定（{day}）"
        elif kind in _ACTIVITY_STEPS and not conclusion:
            phase = f"{_ACTIVITY_STEPS[kind]}（{day}）"
    parts = [phase] + ([review] if review else [])
    if not done:
        if any(t.overdue for t in state.timers.values()):
            parts.append("逾期")
        if state.counts.get("extension_granted"):
            parts.append(f"延期{state.counts['extension_granted']}次")
    return "，".join(parts)


_ACTIVITY_STEPS = {"proposed": "已申请督查立项", "approved": "已批准", "plan_filed": "已制定督查方案", "started": "督查中",
                   "ended": "督查已结束，待作出结论"}


def _counts(records: list[Record]) -> Counter:
    counts: Counter = Counter()
    for r in records:
        if r.withdrawn or r.action.kind == "retraction":
            continue
        label = "驳回" if r.action.kind == "rejection" else r.action.stage
        if label:
            counts[label] += 1
    return counts


def recipients(entry: Entry, action: Action) -> str:
    """Who an action goes to; a requirement or rung sent without recipients is the responsible unit's."""
    if action.to:
        return "、".join(action.to)
    if action.kind in ("requirement", "escalation") and entry.units != EMPTY:
        return entry.units.split("\n")[0] + "（责任单位）"
    return ""


def due_text(action: Action) -> str:
    """``2025-07-02（默认值，文件未规定：整改期限 15日）`` — a period the document does not set is marked."""
    if action.due is None:
        return ""
    text = action.due.isoformat() + ("（暂定）" if action.provisional else "")
    defaults = action_defaults(action)
    if defaults:
        what = "；".join(f"{d.get('note') or d.get('parameter')}" for d in defaults)
        text += DEFAULT_MARK[:-1] + f"：{what}）"
    return text


def record_line(entry: Entry, record: Record) -> str:
    """One line of the 督办记录: date, what, to whom, by when."""
    action = record.action
    parts = [f"{_day(action.at)} {record.label}"]
    if action.kind == "rejection":
        parts[0] += f"：{cap(action.title, 80)}"
    to = recipients(entry, action)
    if to:
        parts.append(f"送{to}")
    if action.due:
        parts.append(f"期限{due_text(action)}")
    line = "，".join(parts)
    return f"{line}（已撤回）" if record.withdrawn else line


def score_lines(score: Score) -> list[str]:
    """Each item's score (the unit's is their mean), then each deduction with its weight."""
    items = "、".join(f"{k} {v:g}" if isinstance(v, (int, float)) else k for k, v in score.items.items())
    head = [f"各事项得分：{items}"] if len(score.items) > 1 else []
    return head + (score.deductions or ["无扣分"])


def record_summary(entry: Entry) -> str:
    """The 督办记录 cell: counts first, then each rung, requirement and refusal (cut when long)."""
    counts = "、".join(f"{label}{n}次" for label, n in entry.counts.items())
    lines = [record_line(entry, r) for r in entry.records if r.action.kind in _RECORDED and r.action.kind != "retraction"]
    text = "\n".join(([counts] if counts else []) + lines) or EMPTY
    if len(text) > CELL_CAP:
        text = text[:CELL_CAP].rsplit("\n", 1)[0] + f"\n……（共{len(lines)}条，详见“督办记录”表）"
    return text
