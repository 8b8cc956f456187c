"""呼县政办〔2023〕38号: the logic data cannot say (functions named in rules.yaml ``call``).

Schedule functions run on the docket subject ``@cn-xj-hutubi`` and read the other subjects through
``decision.docket.subjects("cn-xj-hutubi")``; they list items by id and unit only. An item's own
actions quote its title only through title templates (``{data.title}``), which the engine redacts for a
涉密 item (一、（二）2.（1）); whatever else of a 涉密 item reaches an action (the signing 副县长's name, the
承办人) is replaced by the engine with its role or redacted (pack.yaml ``secret``, effects.secret_texts).
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from duchaplugin.timing import as_limit, last_day

if TYPE_CHECKING:
    from duchaplugin.effects import Decision

PACK = "cn-xj-hutubi"


def _is_regular(attrs: dict[str, Any]) -> bool:
    return bool(attrs.get("regular")) or attrs.get("kind_code") == "regular"


def _open(s: Any) -> bool:
    return not s.counts.get("closed")


def _subjects(d: "Decision") -> list[Any]:
    return sorted(d.docket.subjects(PACK), key=lambda s: s.subject) if d.docket else []


def _shift(d: "Decision", day: date) -> date:
    """A fixed date of the document, moved off a rest day when ``fixed_date_shift`` says so."""
    shift = d.param("fixed_date_shift")
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


def _leader(d: "Decision") -> str:
    """The 分管副县长 by name when the item records one (leader, or who signed the 《督办单》)."""
    data = {**d.state.attrs, **d.data}
    return str(data.get("leader") or data.get("signed_by") or "分管副县长")


def _short(d: "Decision", field: str, text: str) -> str:
    """A vocabulary value in its shortest accepted spelling (the document's words, without the parenthesis)."""
    entry = next((v for v in d.pack.vocabulary.get(field, {}).get("values", []) if v["text"] == text), None)
    return min([text, *(entry.get("aliases") or [])], key=len) if entry else text


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
    # 编号 and units are never secret (涉密事项 show 编号、单位和日期 only); the title renders redacted for a 涉密 item.
    title = "“{data.title}”；" if data.get("title") else ""
    if _is_regular(data):
        d.emit("requirement", d.render("常规性督查事项登记：" + title + "督查内容为{content}，按年度督查计划责任分解（事项 {id}）",
                                       content=_short(d, "category", text)),
               clause=entry["clause"], to=["县政府办督查科"], data={"category": entry.get("code")})
    else:
        d.emit("requirement", d.render("临时性督查事项登记（编号 {number}）：" + title + "来源为{source}；填写{param.ledger_name}"
                                       "（{param.ledger_fields}），责任单位 {data.lead_unit}，实行动态销号、闭环运行",
                                       number=str(data.get("number")), source=_short(d, "source", text)),
               clause=entry["clause"], to=["县政府办督查科"], data={"source": entry.get("code"), "ledger_fields": d.param("ledger_fields")})
        d.emit("requirement", d.render("将《督办单》呈送分管副县长签批（事项 {id}）"), clause="一、（二）2.（2）",
               approvals=d.param("supervision_order_approvals"), to=[_leader(d)])


def transfer_order(d: "Decision") -> None:
    """转办：《督办单》连同分管县领导签批意见转交承办单位（及协办单位）."""
    data = {**d.state.attrs, **d.data}
    units = [u for u in [data.get("lead_unit"), *(data.get("co_units") or [])] if u]
    d.emit("notice", d.render("《督办单》连同分管县领导（{signed}）签批意见转交至承办单位（事项 {id}）", signed=str(d.data["signed_by"])),
           clause="一、（二）2.（2）", to=units or d.param("supervision_order_to"))


def undertake_late(d: "Decision") -> None:
    d.emit("notice", d.render("事项 {id}：收到督办任务后应及时组织承办单位研究，明确{param.undertake_fields}（尚未明确）"),
           clause="一、（二）2.（3）", to=[_leader(d)])


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
        due, provisional = d.due("timer:due")
        d.emit("requirement", d.render("承办：承办人 {subject.handler}，按办结时限办结并反馈（事项 {id}）" if "handler" in d.state.attrs
                                       else "承办：承办人 {data.handler}，按办结时限办结并反馈（事项 {id}）"),
               clause="一、（二）2.（3）", due=due, provisional=provisional or None,
               to=[_unit(d.state) if d.state.attrs else str(data.get("lead_unit"))])


# -- 一、（二）2.（4）催办 --------------------------------------------------------------------------

def urge_overdue(d: "Decision") -> None:
    if _is_regular(d.state.attrs):
        return
    methods = "、".join(v["text"] for v in d.pack.vocabulary["urge_method"]["values"])
    d.emit("notice", d.render("承办单位未在规定时限（{timer.due}）内办结反馈，采取" + methods + "等形式跟踪督办（事项 {id}）"),
           clause="一、（二）2.（4）", to=[_unit(d.state)], data={"methods": [v["code"] for v in d.pack.vocabulary["urge_method"]["values"]]})
    if d.state.attrs.get("major") or d.state.attrs.get("urgent"):
        d.emit("requirement", d.render("重大或紧急督查事项：由专人与{param.major_urge_contact}直接进行沟通、催办（事项 {id}）"),
               clause="一、（二）2.（4）", to=[f"{_unit(d.state)}{d.param('major_urge_contact').replace('承办单位', '')}"])


# -- 一、（一）2.（3）月度汇总 --------------------------------------------------------------------

def _nominal(today: date, dom: int) -> date:
    """The document's date that a firing on ``today`` stands for: day ``dom`` of this month, or of the
    previous month when a rest day moved the firing past the month's end (28 January → 5 February)."""
    if today.day >= dom:
        return today.replace(day=min(dom, monthrange(today.year, today.month)[1]))
    y, m = _prev_month(today)
    return date(y, m, min(dom, monthrange(y, m)[1]))


def monthly_urge(d: "Decision") -> None:
    """每月28日：向每个有未办结常规性事项的承办单位发一份督促通知，列出其事项；次月1日报送。"""
    today = d.at.date()
    due = _shift(d, _next_month(_nominal(today, int(d.param("monthly_urge_day"))), int(d.param("monthly_report_day"))))
    units: dict[str, list[str]] = {}
    for s in _subjects(d):
        if _is_regular(s.attrs) and _open(s):
            units.setdefault(_unit(s), []).append(s.subject)
    d.state.flags["cycle_start"] = today.isoformat()
    d.state.flags["cycle_report_due"] = due.isoformat()
    form = "、".join(d.param("monthly_report_form"))
    for unit, items in sorted(units.items()):
        d.emit("notice", f"请梳理承办事项推进情况，于{due.isoformat()}前以{form}反馈县政府办督查科：{'、'.join(items)}",
               clause="一、（一）2.（3）", due=due, provisional=d.calendar.is_provisional(due) or None, to=[unit],
               data={"items": items}, key=unit)


def site_check_window(d: "Decision", day: date) -> tuple[date, date]:
    """The 29日至次月3日 window that ``day`` falls in, or else the next one. A month without the 29th
    starts it on the 1st of the next month or on its own last day (site_check_short_month); a last day
    on a rest day moves per fixed_date_shift."""
    first, last = (int(x) for x in d.param("site_check_window"))
    end_month = day.replace(day=1) if day.day <= last else _next_month(day.replace(day=1), 1)
    y, m = _prev_month(end_month)
    month_end = monthrange(y, m)[1]
    if first <= month_end:
        start = date(y, m, first)
    elif d.param("site_check_short_month") == "last_day_of_month":
        start = date(y, m, month_end)
    else:
        start = end_month
    return start, _shift(d, end_month.replace(day=last))


def site_check(d: "Decision") -> None:
    """月报标明需要实地核实的事项：督查科于29日至次月3日开展检查、访谈、暗访。"""
    start, end = site_check_window(d, d.at.date())
    methods = "、".join(d.param("site_check_methods"))
    d.emit("requirement", d.render(f"实地核实（{methods}）：{{id}}（{{subject.lead_unit}}），于{start.isoformat()}至{end.isoformat()}开展"),
           clause="一、（一）2.（3）", due=end, provisional=d.calendar.is_provisional(end) or None, to=["县政府办督查科"])


def _expected_percent(s: Any, day: date) -> float | None:
    """序时进度 on ``day``: the share of the item's time already passed."""
    due = s.attrs.get("due")
    if not due:
        return None
    due = date.fromisoformat(str(due)[:10])
    start = s.created_at.date()
    span = (due - start).days
    if span <= 0:
        return 100.0
    return max(0.0, min(100.0, (day - start).days * 100.0 / span))


def monthly_summary(d: "Decision") -> None:
    """每月5日前：月度督查事项办理推进情况，并从本月记录提出表扬、通报批评建议。

    A report counts for the cycle opened by the last 28th urge if it came in by the report day; it is
    "未按时报送" only once that day has passed (a rest-day shift can put both on the same day). With
    monthly_report_unit ``unit``, one report of a unit covers all its items. Progress is judged against
    the 序时进度 on the day it was reported."""
    today = d.at.date()
    cycle_start = d.state.flags.get("cycle_start")
    report_due = d.state.flags.get("cycle_report_due")
    report_day_passed = bool(report_due) and report_due < today.isoformat()
    gap = float(d.param("slow_progress_gap"))
    regular = [s for s in _subjects(d) if _is_regular(s.attrs)]

    def reported(s: Any) -> bool:
        last = str(s.flags.get("last_report") or "")[:10]
        return bool(cycle_start and last and cycle_start <= last <= (report_due or last))

    units_reported = {_unit(s) for s in regular if reported(s)} if d.param("monthly_report_unit") == "unit" else set()
    slow: dict[str, list[str]] = {}
    good: dict[str, list[str]] = {}
    for s in regular:
        unit = _unit(s)
        if not _open(s):
            if s.flags.get("closed_at", "") >= (cycle_start or ""):
                good.setdefault(unit, []).append(f"{s.subject}（已办结）")
            continue
        reasons = []
        if cycle_start and report_day_passed and not (reported(s) or unit in units_reported):
            reasons.append("未按时报送月报")
        if "due" in s.timers and s.timers["due"].overdue:
            reasons.append("逾期未办结")
        last = s.flags.get("last_report")
        expected = _expected_percent(s, date.fromisoformat(last[:10])) if last else None
        percent = s.attrs.get("percent")
        if expected is not None and percent is not None and float(percent) < expected - gap:
            reasons.append(f"推进缓慢（完成{float(percent):g}%，序时进度{expected:.0f}%）")
        if reasons:
            slow.setdefault(unit, []).append(f"{s.subject}（{'，'.join(reasons)}）")
        elif reported(s) and percent is not None and expected is not None and float(percent) >= expected:
            good.setdefault(unit, []).append(f"{s.subject}（完成{float(percent):g}%）")
    y, m = _prev_month(today)
    before = int(d.param("monthly_summary_before"))
    due = _shift(d, today.replace(day=before if d.param("monthly_summary_inclusive") else before - 1))
    d.emit("report", f"{y}年{m}月督查事项办理推进情况（表扬{len(good)}个单位，通报批评{len(slow)}个单位）",
           clause="一、（一）2.（4）", due=due, approvals=d.param("monthly_summary_approvals"), to=d.param("monthly_summary_to"),
           data={"praise": good, "criticism": slow})
    for unit, items in sorted(good.items()):
        d.emit("suggestion", f"建议表扬{unit}（{d.param('monthly_praise_criterion')}）：{'、'.join(items)}", clause="一、（一）2.（4）",
               approvals=d.param("monthly_summary_approvals"), data={"unit": unit, "items": items}, key="p" + unit)
    for unit, items in sorted(slow.items()):
        d.emit("suggestion", f"建议通报批评{unit}（{d.param('monthly_criticism_criterion')}）：{'、'.join(items)}", clause="一、（一）2.（4）",
               approvals=d.param("monthly_summary_approvals"), data={"unit": unit, "items": items}, key="c" + unit)


def monthly_meeting(d: "Decision") -> None:
    """每月上旬将上月督查事项办理推进情况列入县长办公会议；每半年增加人大建议、政协提案。"""
    today = d.at.date()
    first, last = d.param("meeting_window")
    due = _shift(d, today.replace(day=int(last)))
    topics = list(d.param("meeting_topics"))
    if today.month in d.param("half_year_months"):
        topics += list(d.param("meeting_half_year_topics"))
    y, m = _prev_month(today)
    d.emit("requirement", f"将{y}年{m}月督查事项办理推进情况列入{d.param('meeting_name')}（{first}日至{last}日上旬）：听取{'、'.join(topics)}",
           clause="一、（一）2.（5）", due=due, to=d.param("meeting_roles"), data={"topics": topics})


# -- 一、（一）2.（1）年度计划 --------------------------------------------------------------------

def _plan_by(d: "Decision", year: int) -> date:
    mm, dd = str(d.param("annual_plan_by")).split("-")
    return date(year, int(mm), int(dd))


def annual_plan(d: "Decision") -> None:
    year = d.at.year
    by = _plan_by(d, year)
    d.emit("requirement", f"制定{year}年度督查计划（结合《政府工作报告》，征求{'、'.join(d.param('annual_plan_consulted'))}意见），"
                          "报请县人民政府会议审定后印发实施", clause="一、（一）2.（1）", due=by,
           approvals=d.param("annual_plan_approvals"), to=["县政府办督查科"])


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
    """每周一《督查专报》：上次专报以来（默认上一周）临时性事项的在办、新登记、办结情况。"""
    today = d.at.date()
    previous = d.state.flags.get("weekly_report_end")
    start = date.fromisoformat(previous) + timedelta(days=1) if previous else today - timedelta(days=7)
    end = today - timedelta(days=1)
    d.state.flags["weekly_report_end"] = end.isoformat()
    open_items, new, closed_week, closed_all = [], [], [], []
    for s in _subjects(d):
        if _is_regular(s.attrs) or not s.counts.get("registered"):
            continue
        if start <= s.created_at.date() <= end:
            new.append(s.subject)
        if _open(s):
            open_items.append(s.subject)
            continue
        closed_all.append(s.subject)
        if start.isoformat() <= str(s.flags.get("closed_at", ""))[:10] <= end.isoformat():
            closed_week.append(s.subject)
    d.emit("report", f"《督查专报》（{start.isoformat()}至{end.isoformat()}）：在办{len(open_items)}件，本期新登记{len(new)}件，"
                     f"本期办结{len(closed_week)}件，累计办结{len(closed_all)}件",
           clause="一、（二）2.（5）", due=today, approvals=d.param("weekly_report_approvals"), to=d.param("weekly_report_to"),
           data={"open": open_items, "new": new, "closed": closed_week})


# -- 二、督查执纪问责 ------------------------------------------------------------------------------

def note_situation(d: "Decision") -> None:
    code = d.data.get("situation_code")
    for c in code if isinstance(code, list) else [code]:
        if c:
            d.state.flags[f"sit_{c}"] = True
    if "dragging" in (code if isinstance(code, list) else [code]) and int(d.state.flags.get("ladder_rung") or 0) >= 1:
        d.state.flags["sit_dragging_again"] = True  # 二、（二）“提醒后……仍行动迟缓”


def mark_notice(d: "Decision") -> None:
    """ladder_confirmation ``assumed``: a 《督查通报》 (约谈) proposed counts as issued that day, for the monthly
    roll-up to the 分管副县长 (a confirmation later records the day it was actually issued, rule notice-issued)."""
    if int(d.state.flags.get("ladder_rung") or 0) >= 2 and not d.state.flags.get("notice_at"):
        d.state.flags["notice_at"] = d.at.date().isoformat()


def notice_rollup(d: "Decision") -> None:
    """每月初梳理、汇总上月下达的《督查通报》呈送分管副县长（每位分管副县长一份）：经确认下达的按下达之日列入；
    ladder_confirmation 为 assumed 时，提出而未经确认的另列，写明“视为已下达，未经确认”。"""
    y, m = _prev_month(d.at.date())
    month = f"{y:04d}-{m:02d}"
    leaders: dict[str, tuple[list[str], list[str]]] = {}
    for s in _subjects(d):
        if str(s.flags.get("notice_at", "")).startswith(month):
            leader = s.attrs.get("leader") if s.attrs.get("secret") is not True else None  # 涉密: not by name
            issued, assumed = leaders.setdefault(str(leader or d.param("notice_rollup_to")[0]), ([], []))
            (issued if s.flags.get("notice_confirmed") else assumed).append(f"{s.subject}（{_unit(s)}）")
    due = _shift(d, d.at.date().replace(day=int(d.param("notice_rollup_by"))))
    for leader, (issued, assumed) in sorted(leaders.items()):
        listed = "、".join(issued) or "无经确认下达的"
        unconfirmed = f"；另已提出、视为已下达（未经确认）：{'、'.join(assumed)}" if assumed else ""
        d.emit("report", f"{y}年{m}月下达《督查通报》汇总：{listed}{unconfirmed}；请充分运用{d.param('notice_rollup_action')}"
                         "处理相关责任人，进一步提出整改要求",
               clause="二、（二）", due=due, to=[leader], data={"items": issued, "unconfirmed": assumed}, key=leader)


# -- 二、进入执纪问责程序的依据与各项读法（参数 ladder_applies_to 等，见 parameters.yaml） ----------------------------

def relay_instruction(d: "Decision") -> None:
    """一、（二）2.（5）：批示、指示由督查科直接反馈有关部门、单位（事项的承办单位及协办单位）主要负责人。"""
    data = {**d.state.attrs, **d.data}
    units = [u for u in [data.get("lead_unit"), *(data.get("co_units") or [])] if u]
    to = [f"{u}主要负责人" for u in units] or d.param("instruction_relay_to")
    due, provisional = last_day(d.calendar, d.at.date(), as_limit(d.param("instruction_relay_limit")))
    d.emit("requirement", d.render("将县长、副县长的批示、指示要求直接反馈{heads}（事项 {id}）：{data.instruction}", heads="、".join(to)),
           clause="一、（二）2.（5）", to=to, due=due, provisional=provisional or None)


def ladder_applies(d: "Decision") -> bool:
    """二、 ladder_applies_to: whether the item's kind (regular / ad_hoc) is under the 三级管理机制."""
    return ("regular" if regular(d) else "ad_hoc") in d.param("ladder_applies_to")


def _cycle(d: "Decision", month: tuple[int, int]) -> tuple[date, date]:
    """The 月报 cycle of ``month``: its urge day (每月28日) and report day (次月1日), moved per fixed_date_shift."""
    y, m = month
    first = date(y, m, 1)
    return (_shift(d, first.replace(day=int(d.param("monthly_urge_day")))),
            _shift(d, _next_month(first, int(d.param("monthly_report_day")))))


def _await(d: "Decision", month: tuple[int, int]) -> None:
    d.state.flags["report_cycle"] = f"{month[0]:04d}-{month[1]:02d}"
    d.timer("report", d.at.date(), due=_cycle(d, month)[1])


def await_report(d: "Decision", after: str) -> None:
    """一、（一）2.（3）“月报制”: the 月报 a 常规性 item owes next, as the timer ``report`` (last day = the report day).

    ``after`` is what happened: ``assigned`` (the first cycle whose 28th urge comes after today),
    ``reported`` (a report between the awaited cycle's urge and report day settles it; the next month is
    awaited), ``missed`` (the report day passed; the next month is awaited)."""
    if not regular(d):
        return
    today = d.at.date()
    cycle = d.state.flags.get("report_cycle")
    if after == "assigned":
        if cycle:
            return
        month = _prev_month(today)
        while _cycle(d, month)[0] <= today:
            month = (month[0] + month[1] // 12, month[1] % 12 + 1)
        _await(d, month)
        return
    if not cycle:  # not assigned yet: no 月报 is owed
        return
    y, m = (int(x) for x in str(cycle).split("-"))
    urge, _ = _cycle(d, (y, m))
    if after == "missed" or urge <= today:
        _await(d, (y + m // 12, m % 12 + 1))


def feedback_missed(d: "Decision") -> bool:
    """二、“未按要求反馈落实情况”: the awaited 月报 did not come by the report day. With monthly_report_unit
    ``unit``, a report of another item of the same unit in the cycle counts for this one. With
    entry_excuse_covers_feedback, an approved extension still running (正当理由) excuses it."""
    if not ladder_applies(d):
        return False
    if d.param("entry_excuse_covers_feedback") and d.state.counts.get("extension_granted") \
            and "due" in d.state.timers and not d.state.timers["due"].overdue:
        return False
    if d.param("monthly_report_unit") == "unit":
        y, m = (int(x) for x in str(d.state.flags["report_cycle"]).split("-"))
        urge, report = (x.isoformat() for x in _cycle(d, (y, m)))
        return not any(_is_regular(s.attrs) and _unit(s) == _unit(d.state) and s.subject != d.state.subject
                       and urge <= str(s.flags.get("last_report") or "")[:10] <= report for s in _subjects(d))
    return True


GROUNDS = {
    "timer:due:overdue": "未在规定时限（{timer.due}）内完成工作任务",
    "timer:urge_letter:overdue": "未在规定时限（{timer.due}）内完成工作任务，经催办仍未办结",
    "timer:due:warn": "办结时限为 {timer.due}，提前提醒",
    "timer:report:overdue": "未按要求反馈落实情况（月报报送日 {timer.report} 已过，未报送）",
    "finding": "工作行动迟缓、推诿扯皮",
}


def ladder_ground(d: "Decision") -> None:
    """Why the item enters the 提醒 rung (二、、二、（一）), for the 《催办函》 title; only before it was proposed."""
    if int(d.state.flags.get("ladder_proposed") or 0) == 0:
        d.state.flags["ladder_ground"] = d.render(GROUNDS[d.trigger])
        d.state.flags["ladder_entry"] = "feedback" if d.trigger == "timer:report:overdue" else "task"


def early_letter(d: "Decision") -> bool:
    """二、（一）remind_lead_form ``urge_letter``: the “提前” reminder is the 《催办函》 itself (for items under the ladder)."""
    return d.param("remind_lead_form") == "urge_letter" and ladder_applies(d)


def urge_letter_now(d: "Decision") -> bool:
    """二、（一）urge_letter_delay of 0: the 《催办函》 goes out when the 办结时限 runs out."""
    return as_limit(d.param("urge_letter_delay")).amount == 0


def interview_any(d: "Decision") -> bool:
    return bool(d.param("interview_conditions_any"))


def situations_met(d: "Decision") -> bool:
    """二、（三）accountability_situations_any: large_social_impact and superior_criticism each suffice, or
    (false) both must have been found, this finding included."""
    if d.param("accountability_situations_any"):
        return True
    found = {c for c in ("large_social_impact", "superior_criticism") if d.state.flags.get(f"sit_{c}")}
    code = d.data.get("situation_code")
    found |= set(code if isinstance(code, list) else [code])
    return {"large_social_impact", "superior_criticism"} <= found


def or_jumps(d: "Decision") -> bool:
    return bool(d.param("ladder_or_jumps"))


def needs_global_impact(d: "Decision") -> bool:
    return bool(d.param("accountability_needs_global_impact"))


def regular(d: "Decision") -> bool:
    """Whether the item is 常规性 (data.regular / kind), from this event or the subject's record."""
    return _is_regular({**d.state.attrs, **d.data})


def signed(d: "Decision") -> bool:
    return bool(d.data.get("signed_by"))


def sealed(d: "Decision") -> bool:
    return d.data.get("sealed") is True


def report_form(d: "Decision") -> None:
    """A monthly report lacking the 公章 or the 单位行政主要负责人签字 is refused, naming what it lacks."""
    missing = [text for ok, text in ((sealed(d), "未加盖公章"), (signed(d), "无单位行政主要负责人签字")) if not ok]
    if missing:
        d.reject(d.render("月报应以函头形式加盖公章并由单位行政主要负责人签字（事项 {id}）：" + "、".join(missing) + "，退回重报"),
                 clause="一、（一）2.（3）", missing=missing)


FUNCTIONS = {
    "regular": regular,
    "signed": signed,
    "sealed": sealed,
    "report_form": report_form,
    "register_item": register_item,
    "check_undertake": check_undertake,
    "transfer_order": transfer_order,
    "undertake_late": undertake_late,
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
    "relay_instruction": relay_instruction,
    "ladder_applies": ladder_applies,
    "await_report": await_report,
    "feedback_missed": feedback_missed,
    "ladder_ground": ladder_ground,
    "early_letter": early_letter,
    "urge_letter_now": urge_letter_now,
    "interview_any": interview_any,
    "situations_met": situations_met,
    "needs_global_impact": needs_global_impact,
}
