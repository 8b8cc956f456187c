"""呼县政办〔2023〕38号: the logic data cannot say (functions named in rules.yaml ``call``).

Schedule functions run on the docket subject ``@cn-xj-hutubi`` and read the other subjects through
``decision.docket.subjects("cn-xj-hutubi")``. Items are listed by id and unit only: an item's title
or content never appears in an action (涉密事项, 一、（二）2.（1）).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from duchaplugin.effects import Decision

PACK = "cn-xj-hutubi"


def _p(d: "Decision", name: str) -> Any:
    return d.pack.param(name)


def _is_regular(attrs: dict[str, Any]) -> bool:
    return bool(attrs.get("regular")) or attrs.get("kind_code") == "regular"


def _open(s: Any) -> bool:
    return not s.counts.get("closed")


def _subjects(d: "Decision") -> list[Any]:
    return sorted(d.docket.subjects(PACK), key=lambda s: s.subject) if d.docket else []


def _shift(d: "Decision", day: date) -> date:
    """A fixed date of the document, moved off a rest day when ``fixed_date_shift`` says so."""
    shift = _p(d, "fixed_date_shift")
    if shift == "next_workday":
        return d.calendar.workday_on_or_after(day)
    if shift == "prev_workday":
        return d.calendar.workday_on_or_before(day)
    return day


def _next_month(day: date, dom: int) -> date:
    y, m = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(y, m, dom)


def _prev_month(day: date) -> tuple[int, int]:
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


def _unit(s: Any) -> str:
    return str(s.attrs.get("lead_unit") or s.attrs.get("unit") or "（未填承办单位）")


# -- 一、（一）1.、一、（二）1.：登记时按文件原文分类 ----------------------------------------------------

def register_item(d: "Decision") -> None:
    """常规性事项按督查内容（一、（一）1.（1）–（5））、临时性事项按来源（一、（二）1.（1）–（10））登记。"""
    data = {**d.state.attrs, **d.data}
    if _is_regular(data):
        field, vocab_field = "category", "category"
    else:
        field, vocab_field = "source", "source"
    text = data.get(field)
    entry = next((v for v in d.pack.vocabulary.get(vocab_field, {}).get("values", []) if v["text"] == text), None)
    if entry is None:
        return
    if _is_regular(data):
        d.emit("requirement", d.render("常规性督查事项登记：督查内容为“{subject.category}”，按年度督查计划责任分解（事项 {id}）"),
               clause=entry["clause"], to=["县政府办督查科"], data={"category": entry.get("code")})
    else:
        d.emit("requirement", d.render("临时性督查事项登记：来源为“{data.source}”；填写{param.ledger_name}"
                                       "（{param.ledger_fields}），实行动态销号、闭环运行（编号 {data.number}，责任单位 {data.lead_unit}）"),
               clause=entry["clause"], to=["县政府办督查科"], data={"source": entry.get("code"), "ledger_fields": _p(d, "ledger_fields")})
        d.emit("requirement", d.render("将《督办单》呈送分管副县长签批（事项 {id}）"), clause="一、（二）2.（2）",
               approvals=_p(d, "supervision_order_approvals"), to=["分管副县长"])


# -- 一、（二）2.（3）承办 --------------------------------------------------------------------------

def check_undertake(d: "Decision") -> None:
    data = {**d.state.attrs, **d.data}
    if _is_regular(data):
        return
    fixed = data.get("handler") and (data.get("time_limit") or data.get("due"))
    if fixed:
        d.state.timers.pop("undertake", None)
        if d.state.flags.get("undertaken"):
            return
        d.state.flags["undertaken"] = True
        timer = d.state.timers.get("due")
        d.emit("requirement", d.render("承办：承办人 {subject.handler}，按办结时限办结并反馈（事项 {id}）" if "handler" in d.state.attrs
                                       else "承办：承办人 {data.handler}，按办结时限办结并反馈（事项 {id}）"),
               clause="一、（二）2.（3）", due=timer.last_day if timer else None,
               provisional=timer.provisional if timer else None, to=[_unit(d.state) if d.state.attrs else str(data.get("lead_unit"))])


# -- 一、（二）2.（4）催办 --------------------------------------------------------------------------

def urge_overdue(d: "Decision") -> None:
    if _is_regular(d.state.attrs):
        return
    methods = "、".join(v["text"] for v in d.pack.vocabulary["urge_method"]["values"])
    d.emit("notice", d.render("承办单位未在规定时限（{timer.due}）内办结反馈，采取" + methods + "等形式跟踪督办（事项 {id}）"),
           clause="一、（二）2.（4）", to=[_unit(d.state)], data={"methods": [v["code"] for v in d.pack.vocabulary["urge_method"]["values"]]})
    if d.state.attrs.get("major") or d.state.attrs.get("urgent"):
        d.emit("requirement", d.render("重大或紧急督查事项：由专人与{param.major_urge_contact}直接进行沟通、催办（事项 {id}）"),
               clause="一、（二）2.（4）", to=[f"{_unit(d.state)}{_p(d, 'major_urge_contact').replace('承办单位', '')}"])


# -- 一、（一）2.（3）月度汇总 --------------------------------------------------------------------

def monthly_urge(d: "Decision") -> None:
    """每月28日：向每个有未办结常规性事项的承办单位发一份督促通知，列出其事项；次月1日报送。"""
    today = d.at.date()
    due = _shift(d, _next_month(today, int(_p(d, "monthly_report_day"))))
    units: dict[str, list[str]] = {}
    for s in _subjects(d):
        if _is_regular(s.attrs) and _open(s):
            units.setdefault(_unit(s), []).append(s.subject)
    d.state.flags["cycle_start"] = today.isoformat()
    d.state.flags["cycle_report_due"] = due.isoformat()
    form = "、".join(_p(d, "monthly_report_form"))
    for unit, items in sorted(units.items()):
        d.emit("notice", f"请梳理承办事项推进情况，于{due.isoformat()}前以{form}反馈县政府办督查科：{'、'.join(items)}",
               clause="一、（一）2.（3）", due=due, provisional=d.calendar.is_provisional(due) or None, to=[unit],
               data={"items": items}, key=unit)


def site_check(d: "Decision") -> None:
    """月报标明需要实地核实的事项：督查科于29日至次月3日开展检查、访谈、暗访。"""
    first, last = _p(d, "site_check_window")
    today = d.at.date()
    end_month = today if today.day <= int(last) else _next_month(today.replace(day=1), 1)
    end = _shift(d, end_month.replace(day=int(last)))
    methods = "、".join(_p(d, "site_check_methods"))
    d.emit("requirement", d.render(f"实地核实（{methods}）：{{id}}（{{subject.lead_unit}}），于{first}日至次月{last}日之间开展"),
           clause="一、（一）2.（3）", due=end, provisional=d.calendar.is_provisional(end) or None, to=["县政府办督查科"])


def _expected_percent(s: Any, today: date) -> float | None:
    due = s.attrs.get("due")
    if not due:
        return None
    due = date.fromisoformat(str(due)[:10])
    start = s.created_at.date()
    span = (due - start).days
    if span <= 0:
        return 100.0
    return max(0.0, min(100.0, (today - start).days * 100.0 / span))


def monthly_summary(d: "Decision") -> None:
    """每月5日前：月度督查事项办理推进情况，并从本月记录提出表扬、通报批评建议。"""
    today = d.at.date()
    docket = d.state.flags
    cycle_start = docket.get("cycle_start")
    report_due = docket.get("cycle_report_due")
    gap = float(_p(d, "slow_progress_gap"))
    slow: dict[str, list[str]] = {}
    good: dict[str, list[str]] = {}
    for s in _subjects(d):
        if not _is_regular(s.attrs):
            continue
        unit = _unit(s)
        reported = s.flags.get("last_report")
        if not _open(s):
            if s.flags.get("closed_at", "") >= (cycle_start or ""):
                good.setdefault(unit, []).append(f"{s.subject}（已办结）")
            continue
        reasons = []
        if cycle_start and (not reported or reported[:10] < cycle_start or reported[:10] > (report_due or "9999")):
            reasons.append("未按时报送月报")
        if "due" in s.timers and s.timers["due"].overdue:
            reasons.append("逾期未办结")
        expected = _expected_percent(s, today)
        percent = s.attrs.get("percent")
        if expected is not None and percent is not None and float(percent) < expected - gap:
            reasons.append(f"推进缓慢（完成{float(percent):g}%，序时进度{expected:.0f}%）")
        if reasons:
            slow.setdefault(unit, []).append(f"{s.subject}（{'，'.join(reasons)}）")
        elif percent is not None and expected is not None and float(percent) >= expected:
            good.setdefault(unit, []).append(f"{s.subject}（完成{float(percent):g}%）")
    y, m = _prev_month(today)
    due = _shift(d, today.replace(day=int(_p(d, "monthly_summary_before"))))
    d.emit("report", f"{y}年{m}月督查事项办理推进情况（表扬{len(good)}个单位，通报批评{len(slow)}个单位）",
           clause="一、（一）2.（4）", due=due, approvals=_p(d, "monthly_summary_approvals"), to=_p(d, "monthly_summary_to"),
           data={"praise": good, "criticism": slow})
    for unit, items in sorted(good.items()):
        d.emit("suggestion", f"建议表扬{unit}（{_p(d, 'monthly_praise_criterion')}）：{'、'.join(items)}", clause="一、（一）2.（4）",
               approvals=_p(d, "monthly_summary_approvals"), data={"unit": unit, "items": items}, key="p" + unit)
    for unit, items in sorted(slow.items()):
        d.emit("suggestion", f"建议通报批评{unit}（{_p(d, 'monthly_criticism_criterion')}）：{'、'.join(items)}", clause="一、（一）2.（4）",
               approvals=_p(d, "monthly_summary_approvals"), data={"unit": unit, "items": items}, key="c" + unit)


def monthly_meeting(d: "Decision") -> None:
    """每月上旬将上月督查事项办理推进情况列入县长办公会议；每半年增加人大建议、政协提案。"""
    today = d.at.date()
    first, last = _p(d, "meeting_window")
    due = _shift(d, today.replace(day=int(last)))
    topics = list(_p(d, "meeting_topics"))
    if today.month in _p(d, "half_year_months"):
        topics += list(_p(d, "meeting_half_year_topics"))
    y, m = _prev_month(today)
    d.emit("requirement", f"将{y}年{m}月督查事项办理推进情况列入{_p(d, 'meeting_name')}（{first}日至{last}日上旬）：听取{'、'.join(topics)}",
           clause="一、（一）2.（5）", due=due, to=_p(d, "meeting_roles"), data={"topics": topics})


# -- 一、（一）2.（1）年度计划 --------------------------------------------------------------------

def _plan_by(d: "Decision", year: int) -> date:
    mm, dd = str(_p(d, "annual_plan_by")).split("-")
    return date(year, int(mm), int(dd))


def annual_plan(d: "Decision") -> None:
    year = d.at.year
    by = _plan_by(d, year)
    d.emit("requirement", f"制定{year}年度督查计划（结合《政府工作报告》，征求{'、'.join(_p(d, 'annual_plan_consulted'))}意见），"
                          "报请县人民政府会议审定后印发实施", clause="一、（一）2.（1）", due=by,
           approvals=_p(d, "annual_plan_approvals"), to=["县政府办督查科"])


def annual_plan_check(d: "Decision") -> None:
    year = d.at.year
    by = _plan_by(d, year)
    if d.at.date() <= by or d.state.flags.get("plan_checked") == year:
        return
    d.state.flags["plan_checked"] = year
    if any(str(s.flags.get("plan_approved_at", "")).startswith(str(year)) for s in _subjects(d)):
        return
    d.emit("notice", f"截至{by.isoformat()}，未见{year}年度督查计划经县人民政府会议审定的记录", clause="一、（一）2.（1）",
           to=["县政府办督查科"])


# -- 一、（二）2.（5）《督查专报》 --------------------------------------------------------------

def weekly_report(d: "Decision") -> None:
    today = d.at.date()
    start, end = today - timedelta(days=7), today - timedelta(days=1)
    open_items, closed = [], []
    for s in _subjects(d):
        if _is_regular(s.attrs) or not s.counts.get("registered"):
            continue
        (closed if not _open(s) else open_items).append(s.subject)
    d.emit("report", f"《督查专报》（{start.isoformat()}至{end.isoformat()}）：在办{len(open_items)}件，办结{len(closed)}件",
           clause="一、（二）2.（5）", due=today, approvals=_p(d, "weekly_report_approvals"), to=_p(d, "weekly_report_to"),
           data={"open": open_items, "closed": closed})


# -- 二、督查执纪问责 ------------------------------------------------------------------------------

def note_situation(d: "Decision") -> None:
    code = d.data.get("situation_code")
    for c in code if isinstance(code, list) else [code]:
        if c:
            d.state.flags[f"sit_{c}"] = True


def mark_notice(d: "Decision") -> None:
    """Record when the 《督查通报》 (约谈) went out, for the monthly roll-up to the 分管副县长."""
    if int(d.state.flags.get("ladder_rung") or 0) >= 2 and not d.state.flags.get("notice_at"):
        d.state.flags["notice_at"] = d.at.date().isoformat()


def notice_rollup(d: "Decision") -> None:
    """每月初梳理、汇总上月下达的《督查通报》呈送分管副县长（每位分管副县长一份）。"""
    y, m = _prev_month(d.at.date())
    month = f"{y:04d}-{m:02d}"
    leaders: dict[str, list[str]] = {}
    for s in _subjects(d):
        if str(s.flags.get("notice_at", "")).startswith(month):
            leaders.setdefault(str(s.attrs.get("leader") or "分管副县长"), []).append(f"{s.subject}（{_unit(s)}）")
    due = _shift(d, d.at.date().replace(day=int(_p(d, "notice_rollup_by"))))
    for leader, items in sorted(leaders.items()):
        d.emit("report", f"{y}年{m}月下达《督查通报》汇总：{'、'.join(items)}；请充分运用{_p(d, 'notice_rollup_action')}处理相关责任人，进一步提出整改要求",
               clause="二、（二）", due=due, to=[leader], data={"items": items}, key=leader)


def or_jumps(d: "Decision") -> bool:
    return bool(_p(d, "ladder_or_jumps"))


def needs_global_impact(d: "Decision") -> bool:
    return bool(_p(d, "accountability_needs_global_impact"))


def regular(d: "Decision") -> bool:
    """Whether the item is 常规性 (data.regular / kind), from this event or the subject's record."""
    return _is_regular({**d.state.attrs, **d.data})


def signed(d: "Decision") -> bool:
    return bool(d.data.get("signed_by"))


def sealed(d: "Decision") -> bool:
    return d.data.get("sealed") is True


FUNCTIONS = {
    "regular": regular,
    "signed": signed,
    "sealed": sealed,
    "register_item": register_item,
    "check_undertake": check_undertake,
    "urge_overdue": urge_overdue,
    "monthly_urge": monthly_urge,
    "site_check": site_check,
    "monthly_summary": monthly_summary,
    "monthly_meeting": monthly_meeting,
    "annual_plan": annual_plan,
    "annual_plan_check": annual_plan_check,
    "weekly_report": weekly_report,
    "note_situation": note_situation,
    "mark_notice": mark_notice,
    "notice_rollup": notice_rollup,
    "or_jumps": or_jumps,
    "needs_global_impact": needs_global_impact,
}
