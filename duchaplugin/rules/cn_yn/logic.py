"""云政办函〔2018〕49号: the logic rules.yaml cannot say in data — progress lag, situations named by
a finding, the 督查室's monthly summary, the yearly 考核 score with its breakdown, praise, training.

Every number comes from parameters.yaml (``decision.value("param:…")``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable


from duchaplugin.titles import describe_limit
from duchaplugin.models import Timer
from duchaplugin.timing import as_limit

if TYPE_CHECKING:
    from duchaplugin.effects import Decision
    from duchaplugin.models import SubjectState

PACK = "cn-yn"

#: Which clause each 考核 deduction traces back to (the obligation whose breach it scores).
DEDUCTION_CLAUSES = {
    "overdue_working_day": "第五条（二）",
    "urged": "第五条（三）",
    "failed_verification": "第七条（一）1.（7）",
    "reopened": "第五条（二）",
    "rectification_overdue_working_day": "第五条（四）",
    "failed_rectification_verification": "第五条（五）",
    "late_feedback": "第五条（六）",
    "falsified_report": "第七条（一）1.（7）",
}
FALSIFIED = {"yn-7-7-falsify", "yn-7-7-misreport"}


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _flag(state: "SubjectState", name: str) -> int:
    return int(state.flags.get(name) or 0)


def _items(decision: "Decision") -> list["SubjectState"]:
    """督查督办事项 of this pack (subjects that were registered or assigned; not activities)."""
    subjects: Iterable[SubjectState] = decision.docket.subjects(PACK) if decision.docket is not None else []
    return [s for s in subjects if s.flags.get("yn_assigned_on") or s.flags.get("yn_registered_on")]


def _title(state: "SubjectState") -> str:
    if state.attrs.get("secret"):
        return state.subject
    return str(state.attrs.get("title") or state.subject)


def _urge(decision: "Decision", reason: str) -> None:
    decision.state.flags["yn_urged"] = _flag(decision.state, "yn_urged") + 1
    decision.state.flags["yn_last_urge"] = decision.at.date().isoformat()
    due, provisional = decision.due({"after": "param:urge_reply_limit"})
    unit = decision.state.attrs.get("lead_unit")
    decision.emit("requirement", f"催办：“{_title(decision.state)}”进展迟缓（{reason}），请于 {due.isoformat()} 前反馈进展",
                  clause="第五条（三）", stage="催办", due=due, provisional=provisional,
                  approvals=decision.value("param:urge_by"), to=unit)
    decision.emit("situation", f"追责情形：工作进展缓慢（“{_title(decision.state)}”）", clause="第七条（一）1.（7）",
                  data={"situation": "yn-7-7-slow"})


# -- 第五条（三）进展迟缓：久未反馈、进度落后于时间 --------------------------------------------------------
def urge_no_report(decision: "Decision") -> None:
    """No progress report for ``slow_progress_no_report`` since the last report (or 交办, or a 报请办结 sent
    back), or since the last 催办."""
    flags, limit = decision.state.flags, decision.render("{param.slow_progress_no_report}")
    since, returned = str(flags.get("yn_last_progress") or ""), str(flags.get("yn_returned_on") or "")
    start = f"报请办结于 {returned} 被退回，此后" if returned > since else f"自 {since} 起"
    if flags.get("yn_last_urge"):
        reason = f"{start}未反馈进展，{flags['yn_last_urge']} 催办后又满{limit}仍未反馈"
    else:
        reason = f"{start}满{limit}未反馈进展"
    _urge(decision, reason)


def check_lag(decision: "Decision") -> None:
    state, cal = decision.state, decision.calendar
    start, timer = _day(state.flags.get("yn_assigned_on")), state.timers.get("yn_due")
    percent = decision.data.get("percent")
    decision.note_timer("yn_due")  # the share of time used is measured against the 完成时限
    if start is None or timer is None or timer.overdue or percent is None:
        return  # after the 完成时限 the overdue item is handled by 第五条（二）（六） and 第七条（一）2., not by 催办
    total = cal.count_workdays(start, timer.last_day)
    if total <= 0:
        return
    elapsed = max(0, min(total, cal.count_workdays(start, decision.at.date())))
    elapsed_pct = 100.0 * elapsed / total
    lag = float(decision.value("param:slow_progress_lag"))
    if elapsed_pct - float(percent) > lag:
        _urge(decision, f"已用时限{elapsed_pct:.0f}%，完成{float(percent):.0f}%，落后超过{lag:g}个百分点")


# -- 完成、整改的记录（考核用） ---------------------------------------------------------------------
def record_completion(decision: "Decision") -> None:
    """报请办结: the working days past the 完成时限 (always counted from its original last day, so a
    report sent back and made again later counts all the lateness), and the watches as they stood —
    the 完成时限 and, at 约谈, the period after which 问责 is proposed — kept so that a report sent
    back puts the item back under the same periods (see ``return_completion``)."""
    state, today = decision.state, decision.at.date()
    timer = state.timers.get("yn_due")
    if timer is not None:
        if timer.last_day < today:
            state.flags["yn_overdue_wd"] = decision.calendar.count_workdays(timer.last_day, today)
        state.flags["yn_due_reported"] = timer.model_dump(mode="json")
    ladder = state.timers.get("yn_ladder")
    if ladder is not None:
        state.flags["yn_ladder_reported"] = ladder.model_dump(mode="json")
    else:
        state.flags.pop("yn_ladder_reported", None)
    grace = state.timers.pop("yn_feedback", None)
    if grace is not None and not grace.overdue:  # reported after the limit, within the grace period
        state.flags["yn_late_feedback"] = _flag(state, "yn_late_feedback") + 1
    state.flags["yn_completed_on"] = today.isoformat()
    state.flags["yn_returned"] = False


def _report_pending(state: "SubjectState") -> bool:
    """A 报请办结 is awaiting its 核查/销号 and has not been sent back yet."""
    return state.flags.get("yn_returned", True) is False


def yn_sends_back(decision: "Decision") -> bool:
    """This event sends the pending 报请办结 back (第五条（二）): 退回, or its 核查 failed (``passed`` not
    true, as the rule yn-completion-failed reads it). Only the first such event of one report counts."""
    if not _report_pending(decision.state):
        return False
    if decision.trigger == "reopened":
        return True
    return (decision.trigger == "verified" and decision.state.flags.get("yn_awaiting") == "completion"
            and not decision.data.get("passed"))


def _resume(decision: "Decision", name: str, saved: Any) -> None:
    """Put back a watch as it stood at the 报请办结, with its original last day; one whose last day has
    passed meanwhile runs out at this instant (its overdue rules fire now, not back-dated)."""
    if not saved or name in decision.state.timers:
        return
    timer = Timer.model_validate(saved)
    if not timer.overdue and timer.overdue_at < decision.at:
        timer.overdue_at = decision.at
    decision.state.timers[name] = timer


def return_completion(decision: "Decision", counter: str) -> None:
    """A 报请办结 sent back — its 核查 failed (``counter`` yn_failed_verifications) or it was 退回
    (yn_reopened): one failure of that report, counted once however many of these events the host
    sends for it (考核“办理质量”, 第七条（三）). The item is back in progress (完成一项，销号一项,
    第五条（二）): the 完成时限 watch stopped by the report runs again with its original last day, and
    at 约谈 so does the period after which 问责 is proposed (第七条（一）2.（3）). At 通报 the send-back
    itself is the 整改不到位 that calls for 约谈 (rules.yaml, yn_ladder). 催办 and 定期反馈 resume from
    the send-back (rules yn-progress-resume, yn-periodic-resume), whose date is kept for the 催办 title."""
    state = decision.state
    if not _report_pending(state):
        return  # no 报请办结 pending, or this one is already counted
    state.flags["yn_returned"] = True
    state.flags["yn_returned_on"] = decision.at.date().isoformat()
    state.flags[counter] = _flag(state, counter) + 1
    for name in ("yn_completed_on", "yn_closed_on"):
        state.flags.pop(name, None)
    _resume(decision, "yn_due", state.flags.get("yn_due_reported"))
    if _flag(state, "yn_ladder_rung") == 2:
        _resume(decision, "yn_ladder", state.flags.get("yn_ladder_reported"))


def record_rectification(decision: "Decision") -> None:
    state, today = decision.state, decision.at.date()
    timer = state.timers.get("yn_rectify")
    if timer is not None and timer.last_day < today:
        state.flags["yn_rect_overdue_wd"] = _flag(state, "yn_rect_overdue_wd") + \
            decision.calendar.count_workdays(timer.last_day, today)
    grace = state.timers.get("yn_rect_feedback")
    if grace is not None and not grace.overdue:
        state.flags["yn_late_feedback"] = _flag(state, "yn_late_feedback") + 1


# -- 第七条（一）1. 由人认定的情形 ------------------------------------------------------------------
def finding_situation(decision: "Decision") -> None:
    codes = decision.data.get("situation_code")
    texts = decision.data.get("situation")
    codes = codes if isinstance(codes, list) else [codes]
    texts = texts if isinstance(texts, list) else [texts]
    values = decision.pack.vocabulary.get("situation", {}).get("values", [])
    for code, text in zip(codes, texts):
        entry = next((v for v in values if (v.get("code") or v["text"]) == code), None)
        if entry is None or not str(code).startswith("yn-"):
            continue  # a parent pack's situation: its own rules handle it
        if code in FALSIFIED:
            decision.state.flags["yn_falsified"] = _flag(decision.state, "yn_falsified") + 1
        parent = next((v["text"] for v in values if v.get("code") == entry.get("parent")), None)
        words = f"{parent}——{text}" if parent else text
        decision.emit("situation", f"追责情形（经认定）：{words}（“{_title(decision.state)}”）", clause=entry["clause"],
                      data={"situation": code, "situation_text": text})


# -- 第五条（六）督查室汇总报告 ----------------------------------------------------------------------
def summary_report(decision: "Decision") -> None:
    items = _items(decision)
    today = decision.at.date()
    month_start = date(today.year - (today.month == 1), 12 if today.month == 1 else today.month - 1, 1)
    open_items = [s for s in items if not s.flags.get("yn_closed_on")]
    overdue = [s for s in open_items if (t := s.timers.get("yn_due")) is not None and t.overdue]
    closed = [s for s in items if (d := _day(s.flags.get("yn_closed_on"))) and month_start <= d < today]
    urged = sum(_flag(s, "yn_urged") for s in items)
    by = decision.value("param:summary_report_by")
    title = (f"{by}督查督办事项落实情况汇总（截至 {today.isoformat()}）：在办{len(open_items)}项，其中逾期{len(overdue)}项；"
             f"上月以来办结销号{len(closed)}项；累计催办{urged}次")
    decision.emit("report", title, clause="第五条（六）", to=decision.value("param:summary_report_to"),
                  data={"open": [s.subject for s in open_items], "overdue": [s.subject for s in overdue],
                        "closed": [s.subject for s in closed], "urged": urged})


# -- 第七条（三）考核 -------------------------------------------------------------------------------
def item_score(decision: "Decision", state: "SubjectState", as_of: date) -> tuple[float, list[dict[str, Any]]]:
    """A 督查事项's score (0–full) and the deductions behind it, each traced to its clause."""
    cal = decision.calendar
    rules = decision.value("param:score_deductions")
    weights = decision.value("param:score_weights")
    full = float(decision.value("param:score_full"))
    floor = float(decision.value("param:score_floor"))
    criteria = {c["code"]: c["text"] for c in decision.value("param:score_criteria")}
    overdue_wd = _flag(state, "yn_overdue_wd")
    timer = state.timers.get("yn_due")
    if timer is not None and timer.overdue and not state.flags.get("yn_completed_on"):
        overdue_wd = max(overdue_wd, cal.count_workdays(timer.last_day, as_of))
    rect_wd = _flag(state, "yn_rect_overdue_wd")
    rect = state.timers.get("yn_rectify")
    if rect is not None and rect.overdue:
        rect_wd += max(0, cal.count_workdays(rect.last_day, as_of))
    counts = {
        "overdue_working_day": overdue_wd,
        "urged": _flag(state, "yn_urged"),
        "failed_verification": _flag(state, "yn_failed_verifications"),
        "reopened": _flag(state, "yn_reopened"),
        "rectification_overdue_working_day": rect_wd,
        "failed_rectification_verification": _flag(state, "yn_failed_rect_verifications"),
        "late_feedback": _flag(state, "yn_late_feedback"),
        "falsified_report": _flag(state, "yn_falsified"),
    }
    lost: dict[str, float] = defaultdict(float)
    breakdown = []
    for name, n in counts.items():
        rule = rules.get(name)
        if not n or not rule:
            continue
        raw = float(rule["points"]) * n
        points = min(raw, max(0.0, full - floor - lost[rule["criterion"]]))  # a criterion never goes below the floor
        lost[rule["criterion"]] += points
        capped = f"（按{raw:g}分计，已扣至该项最低分）" if points < raw else ""
        breakdown.append({"item": state.subject, "criterion": criteria.get(rule["criterion"], rule["criterion"]),
                          "points": points, "weight": float(weights.get(rule["criterion"], 0)),
                          "clause": DEDUCTION_CLAUSES.get(name, "第七条（三）"),
                          "reason": f"{rule['per']}扣{rule['points']:g}分，共{n}次（个工作日），扣{points:g}分{capped}"})
    score = sum(float(w) * (full - lost[c]) for c, w in weights.items())
    return round(score, 2), breakdown


def yearly_score(decision: "Decision") -> None:
    """On the yearly schedule (1 January): each unit's score for the past calendar year — the mean of its
    items assigned by 31 December and not closed in another year; an item still open is scored as of
    31 December (默认读法: 文件未规定考核周期)."""
    year = decision.at.date().year - 1
    end = date(year, 12, 31)
    units: dict[str, list[tuple[str, float]]] = defaultdict(list)
    breakdowns: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for state in _items(decision):
        assigned, closed = _day(state.flags.get("yn_assigned_on")), _day(state.flags.get("yn_closed_on"))
        unit = state.attrs.get("lead_unit")
        if assigned is None or assigned > end or not unit or (closed is not None and closed.year != year):
            continue
        score, breakdown = item_score(decision, state, end)
        units[str(unit)].append((state.subject, score))
        breakdowns[str(unit)] += breakdown
    for unit in sorted(units):
        scores = units[unit]
        average = round(sum(s for _, s in scores) / len(scores), 2)
        detail = "；".join(f"{b['item']} {b['criterion']}扣{b['points']:g}分（{b['clause']}）"
                          for b in breakdowns[unit] if b["points"]) or "无扣分"  # a deduction capped to 0 stays in data only
        decision.emit("score", f"{year}年度督查考核：{unit} 得分 {average:g}（{len(scores)}项事项；{detail}）",
                      clause="第七条（三）", key=unit,
                      data={"unit": unit, "period": str(year), "score": average,
                            "items": {subject: s for subject, s in scores}, "breakdown": breakdowns[unit]})


# -- 第七条（二）通报表扬建议 ------------------------------------------------------------------------
def praise_check(decision: "Decision") -> None:
    state = decision.state
    if any(_flag(state, name) for name in ("yn_ladder_rung", "yn_ladder_proposed", "yn_urged", "yn_failed_verifications",
                                            "yn_reopened", "yn_failed_rect_verifications")) \
            or any(p["key"] == "yn_ladder" for p in (state.flags.get("proposals") or {}).values()):
        return  # praise is for 按时办结、未被催办、报请办结未被退回、核查（含回访核查）均通过、从未被提出通报（含撤回的）
    score, _ = item_score(decision, state, decision.at.date())
    if score >= float(decision.value("param:praise_min_score")):
        form = decision.value("param:praise_form")
        decision.emit("suggestion", f"建议{form}：{state.attrs.get('lead_unit', '')}按时高质量办结“{_title(state)}”"
                      f"（考核得分{score:g}，未被催办、核查均通过），推广经验",
                      clause="第七条（二）", stage="通报表扬", approvals=f"{decision.value('param:praise_issuer')}{form}",
                      data={"score": score})


# -- 第八条 培训 -----------------------------------------------------------------------------------
def training_check(decision: "Decision") -> None:
    today = decision.at.date()
    states = [*decision.docket.subjects(PACK), decision.state] if decision.docket is not None else [decision.state]
    held = [d for s in states if (d := _day(s.flags.get("yn_training_on")))]
    held += [d for s in states for d in map(_day, s.flags.get("yn_trainings") or []) if d]
    per_year = int(decision.value("param:training_per_year"))
    organiser = decision.value("param:training_organiser")
    month = int(decision.value("param:training_check_month"))
    if today.month == month and len({d for d in held if d.year == today.year}) < per_year:
        decision.emit("notice", f"{today.year}年尚未记录全省督查干部集中教育培训活动：{organiser}每年至少组织{per_year}次，请于年内组织",
                      clause="第八条", to=organiser, due=date(today.year, 12, 31))
    if today.month == 1 and len({d for d in held if d.year == today.year - 1}) < per_year:
        decision.emit("notice", f"{today.year - 1}年未组织全省督查干部集中教育培训活动（{organiser}每年至少{per_year}次），年度义务未履行",
                      clause="第八条", to=organiser)


def record_training(decision: "Decision") -> None:
    decision.state.flags["yn_trainings"] = list(decision.state.flags.get("yn_trainings") or []) + [decision.at.date().isoformat()]


# -- facts (``fact.<name>`` in rules.yaml) --------------------------------------------------------
def _filled(data: dict[str, Any], names: str) -> bool:
    return any(data.get(n) not in (None, "", [], {}) for n in names.split("|"))


def _missing_assignment(decision: "Decision") -> list[str]:
    """第五条（二）交办须明确的事项（参数 assignment_required）中本次交办缺少的，按文件用语。"""
    missing = []
    for entry in decision.value("param:assignment_required"):
        fields = entry["field"] if isinstance(entry["field"], list) else [entry["field"]]
        if not any(_filled(decision.data, name) for name in fields):
            missing.append(entry["text"])
    return missing


def yn_assignment_incomplete(decision: "Decision") -> bool:
    return bool(_missing_assignment(decision))


def reject_incomplete_assignment(decision: "Decision") -> None:
    required = "、".join(entry["text"] for entry in decision.value("param:assignment_required"))
    missing = _missing_assignment(decision)
    decision.reject(f"交办须明确{required}：缺少{'、'.join(missing)}", missing=missing)


def _missing_registration(decision: "Decision") -> list[str]:
    """第五条（一）立项登记须有的字段（参数 registration_required）中缺少的。“专人”（handler）记在参数
    registration_handler_field 所指的字段，在 registration_required_from 所指的事件（立项登记 registered，或交办
    assigned）时检查；交办时检查的，立项登记或交办任一报送过即可。其余字段在立项登记时检查。"""
    handler = decision.value("param:registration_handler_field")
    checked_on = decision.value("param:registration_required_from")
    missing = []
    for name in decision.value("param:registration_required"):
        if name != "handler":
            if decision.trigger == "registered" and not _filled(decision.data, name):
                missing.append(name)
        elif decision.trigger == checked_on and not (_filled(decision.data, handler)
                                                    or _filled(decision.state.attrs, handler)):
            missing.append(name)
    return missing


def yn_registration_incomplete(decision: "Decision") -> bool:
    return bool(_missing_registration(decision))


def reject_incomplete_registration(decision: "Decision", words: dict[str, str], titles: dict[str, str]) -> None:
    """Refuse the 立项登记 (or the 交办, when the 专人 is checked then), naming what is missing in the document's words."""
    missing = [words.get(name, name) for name in _missing_registration(decision)]
    decision.reject(f"{titles[decision.trigger]}：缺少{'、'.join(missing)}", missing=missing)


def yn_major(decision: "Decision") -> bool:
    """重大 (major) as of this event: ``subject.*`` facts hold only earlier events' fields."""
    return bool(decision.data.get("major", decision.state.attrs.get("major")))


def _feedback_interval(decision: "Decision") -> Any:
    """第五条（六）定期反馈的周期：交办所定（feedback_interval），否则参数 feedback_interval（默认 null：不设定期反馈）。"""
    given = decision.data.get("feedback_interval") or decision.state.attrs.get("feedback_interval")
    return given or decision.value("param:feedback_interval")


def yn_periodic_feedback(decision: "Decision") -> bool:
    return bool(_feedback_interval(decision))


def start_periodic_feedback(decision: "Decision") -> None:
    """Start the 定期反馈 period on 交办 or a progress report; when a period ran out unreported, the
    next one follows on from its last day (the periods keep their rhythm)."""
    interval = as_limit(_feedback_interval(decision))
    previous = decision.state.timers.get("yn_periodic")
    start = previous.last_day if previous is not None and previous.overdue else decision.at.date()
    decision.state.flags["yn_feedback_every"] = describe_limit(interval.model_dump(exclude_none=True))
    decision.timer("yn_periodic", start, limit=interval)


def yn_past_due(decision: "Decision") -> bool:
    """The 完成时限 (yn_due) has run out and the item is not yet reported done (an extension restarts it);
    for a 报请办结 being sent back, its original last day has passed (the watch resumes with that day)."""
    timer = decision.state.timers.get("yn_due")
    if timer is None and yn_sends_back(decision):
        saved = decision.state.flags.get("yn_due_reported")
        return bool(saved) and Timer.model_validate(saved).last_day < decision.at.date()
    return bool(timer is not None and timer.overdue)


def yn_accountability_after_notice(decision: "Decision") -> bool:
    return bool(decision.value("param:accountability_may_follow_notice"))


def yn_interview_without_notice(decision: "Decision") -> bool:
    return not decision.value("param:interview_requires_notice")


FUNCTIONS = {
    "yn_past_due": yn_past_due,
    "yn_sends_back": yn_sends_back,
    "yn_assignment_incomplete": yn_assignment_incomplete,
    "reject_incomplete_assignment": reject_incomplete_assignment,
    "urge_no_report": urge_no_report,
    "yn_periodic_feedback": yn_periodic_feedback,
    "start_periodic_feedback": start_periodic_feedback,
    "yn_accountability_after_notice": yn_accountability_after_notice,
    "yn_interview_without_notice": yn_interview_without_notice,
    "yn_major": yn_major,
    "yn_registration_incomplete": yn_registration_incomplete,
    "reject_incomplete_registration": reject_incomplete_registration,
    "check_lag": check_lag,
    "record_completion": record_completion,
    "return_completion": return_completion,
    "record_rectification": record_rectification,
    "finding_situation": finding_situation,
    "summary_report": summary_report,
    "yearly_score": yearly_score,
    "praise_check": praise_check,
    "training_check": training_check,
    "record_training": record_training,
}

__all__ = ["FUNCTIONS"]
