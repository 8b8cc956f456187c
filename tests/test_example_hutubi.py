"""The 呼图壁县 example year (examples/hutubi-2025.jsonl) shows what 呼县政办〔2023〕38号 asks for.

Each test states one thing the example is there to show, with the concrete dates a 督查科 clerk
would check in the ledger.
"""

from __future__ import annotations

import importlib.util
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from duchaplugin import Engine
from duchaplugin.calendar import get_calendar
from duchaplugin.models import Action
from duchaplugin.replay import replay

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "hutubi-2025.jsonl"
SCRIPT = ROOT / "examples" / "make_hutubi.py"


@pytest.fixture(scope="module")
def replayed() -> tuple[Engine, list[dict], list[Action], object]:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    actions: list[Action] = []
    engine = Engine(entry_points=False)
    result = replay(lines, engine, actions.extend)
    return engine, [json.loads(line) for line in lines], actions, result


@pytest.fixture(scope="module")
def history(replayed) -> tuple[list[dict], list[Action], object]:
    _, events, actions, result = replayed
    return events, actions, result


def of(actions: list[Action], subject: str, kind: str | None = None) -> list[Action]:
    return [a for a in actions if a.subject == subject and (kind is None or a.kind == kind)]


def test_every_event_is_accepted(history) -> None:
    events, actions, result = history
    assert result.errors == [] and result.notes == []
    assert result.events == len(events)
    assert {e["pack"] for e in events if "pack" in e} == {"cn-xj-hutubi"}
    assert events[-1]["type"] == "tick" and events[-1]["at"] == "2025-12-31T23:59"  # time rules run to the year's end
    assert max(a.at for a in actions).date() == date(2025, 12, 29)  # the last 《督查专报》 of the year


def test_regeneration_script_reproduces_the_file(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_hutubi", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.OUT = tmp_path / "hutubi-2025.jsonl"
    module.write()
    assert module.OUT.read_bytes() == EXAMPLE.read_bytes(), "run `python examples/make_hutubi.py`"


def test_annual_plan_is_required_at_the_start_of_the_year_and_approved(history) -> None:
    _, actions, _ = history
    plan = [a for a in of(actions, "@cn-xj-hutubi", "requirement") if "年度督查计划" in a.title]
    assert [(a.at.date(), a.due, a.approvals) for a in plan] == [
        (date(2025, 1, 2), date(2025, 1, 31), ["县政府办督查科制定", "县人民政府会议审定"])]
    assert [a.title for a in of(actions, "JH-2025")] == [
        "年度督查计划已经县人民政府会议审定（2025-01-22），印发实施，并按一、（一）2.（2）分解责任"]
    assert not [a for a in actions if "未见2025年度督查计划" in a.title]


def test_monthly_cycle_urge_report_summary_meeting(history) -> None:
    _, actions, _ = history
    urges = [a for a in of(actions, "@cn-xj-hutubi", "notice") if a.title.startswith("请梳理承办事项推进情况")]
    # the 28 January urge falls in 春节 and moves to 5 February; its report day is 1 February, moved to 5 February too
    first = [a for a in urges if a.at.date() == date(2025, 2, 5)]
    assert {a.due for a in first} == {date(2025, 2, 5)} and len(first) == 5
    assert {a.to[0] for a in first} == {"呼图壁县住房和城乡建设局", "呼图壁县工业和信息化局", "呼图壁县教育局",
                                        "大丰镇人民政府", "呼图壁县农业农村局"}
    # every month has its urge until the last 常规性 item is closed (26 December); 国庆 moves the 1 October report day
    assert sorted({a.at.month for a in urges}) == list(range(2, 12))
    assert {a.due for a in urges if a.at.date() == date(2025, 9, 28)} == {date(2025, 10, 9)}
    summaries = [a for a in of(actions, "@cn-xj-hutubi", "report") if "督查事项办理推进情况（" in a.title]
    assert all(a.approvals == ["县政府办副主任审核", "县政府办主任审核"] and a.to == ["县长", "副县长"] for a in summaries)
    assert date(2025, 6, 5) in {a.due for a in summaries}
    meetings = [a for a in of(actions, "@cn-xj-hutubi", "requirement") if "列入县长办公会议" in a.title]
    assert len(meetings) == 12
    half_year = [a.at.date() for a in meetings if "政协委员提案" in a.title]
    assert half_year == [date(2025, 1, 2), date(2025, 7, 1)]


def test_site_checks_fall_in_the_29th_to_3rd_window(history) -> None:
    _, actions, _ = history
    checks = [(a.subject, a.due) for a in actions if a.title.startswith("实地核实")]
    assert checks == [("CG-2025-01", date(2025, 7, 3)), ("CG-2025-04", date(2025, 8, 4)), ("CG-2025-05", date(2025, 9, 3))]
    assert "于2025-07-29至2025-08-04开展" in next(a.title for a in actions if a.subject == "CG-2025-04" and a.title.startswith("实地核实"))


def test_rejected_reports_and_transfer_name_what_they_lack(history) -> None:
    _, actions, _ = history
    rejections = [(a.subject, a.at.date(), a.basis.article, a.title) for a in actions if a.kind == "rejection"]
    assert rejections == [
        ("LS-2025-007", date(2025, 3, 11), "一、（二）2.（2）", "《督办单》未经分管副县长签批，不得转交承办单位"),
        ("CG-2025-04", date(2025, 6, 3), "一、（一）2.（3）",
         "月报应以函头形式加盖公章并由单位行政主要负责人签字（事项 CG-2025-04）：未加盖公章，退回重报"),
        ("CG-2025-03", date(2025, 9, 1), "一、（一）2.（3）",
         "月报应以函头形式加盖公章并由单位行政主要负责人签字（事项 CG-2025-03）：无单位行政主要负责人签字，退回重报"),
    ]
    # 大丰镇 resent the sealed report the same day: on time; 教育局 resent it the next day: late
    criticism = [a.title for a in actions if a.kind == "suggestion" and a.title.startswith("建议通报批评")]
    assert "建议通报批评呼图壁县教育局（推进缓慢、落实不力）：CG-2025-03（未按时报送月报）" in criticism
    assert not [t for t in criticism if "大丰镇" in t and "未按时报送月报" in t]


def test_a_late_monthly_report_enters_the_reminder_rung_and_the_report_settles_it(history) -> None:
    _, actions, _ = history
    # 教育局's September report, due 1 September, came back unsigned and was resent on 2 September
    rungs = [(a.stage, a.at.date(), a.basis.article) for a in of(actions, "CG-2025-03", "escalation")]
    assert rungs == [("提醒", date(2025, 9, 2), "二、（一）")]
    letter = of(actions, "CG-2025-03", "escalation")[0]
    assert "未按要求反馈落实情况（月报报送日 2025-09-01 已过，未报送）" in letter.title
    assert letter.to == ["呼图壁县教育局"]
    assert not [a for a in actions if a.kind == "escalation" and a.subject.startswith("CG-") and a.subject != "CG-2025-03"]


def test_instructions_are_relayed_to_the_heads_of_the_items_units(history) -> None:
    _, actions, _ = history
    relays = [(a.subject, a.at.date(), a.due, a.to) for a in actions if "批示、指示要求直接反馈" in a.title]
    assert relays == [
        ("LS-2025-015", date(2025, 4, 14), date(2025, 4, 15), ["呼图壁县应急管理局主要负责人"]),
        ("LS-2025-018", date(2025, 7, 14), date(2025, 7, 15),
         ["呼图壁县人力资源和社会保障局主要负责人", "呼图壁县住房和城乡建设局主要负责人"]),
    ]


def test_transfer_is_signed_by_the_leader_and_sent_to_the_units(history) -> None:
    _, actions, _ = history
    transfer = next(a for a in of(actions, "LS-2025-021", "notice") if "《督办单》" in a.title)
    assert "县人民政府副县长王某" in transfer.title
    assert transfer.to == ["呼图壁县自然资源局", "雀尔沟镇人民政府"]
    late = [a for a in of(actions, "LS-2025-007", "notice") if "及时组织承办单位研究" in a.title]
    assert [(a.at.date(), a.to) for a in late] == [(date(2025, 3, 15), ["县人民政府副县长王某"])]


def test_one_item_climbs_all_three_rungs_with_their_approvals(history) -> None:
    _, actions, _ = history
    rungs = [(a.stage, a.at.date(), a.approvals, a.to, a.basis.article) for a in of(actions, "LS-2025-021", "escalation")]
    assert rungs == [
        ("提醒", date(2025, 6, 5), ["县政府办督查科提出督办意见", "县政府办副主任审核", "县政府办主任签发"],
         ["呼图壁县自然资源局", "县自然资源局矿管股股长陈某"], "二、（一）"),
        ("约谈", date(2025, 6, 18), ["县政府办督查科提出督办意见", "县政府办主任签批同意"], ["呼图壁县自然资源局"], "二、（二）"),
        ("问责", date(2025, 6, 27), ["县政府办督查科提出问责建议", "县长同意"], ["县长"], "二、（三）"),
    ]
    # the 《催办函》 and 《督查通报》 limits run across 古尔邦节 (6月6日至10日)
    assert [a.due for a in of(actions, "LS-2025-021", "escalation")][:2] == [date(2025, 6, 17), date(2025, 6, 25)]
    rollup = [a for a in actions if a.kind == "report" and "下达《督查通报》汇总" in a.title]
    assert [(a.at.date(), a.to) for a in rollup] == [(date(2025, 7, 7), ["县人民政府副县长王某"])]
    assert "LS-2025-021（呼图壁县自然资源局）" in rollup[0].title


def test_each_rung_waits_for_the_confirmation_of_the_one_before(replayed) -> None:
    """二、（二）“对提醒后……”, 二、（三）“对约谈后……”: the 督查科 reports (“已执行”) the day each 《催办函》 and
    《督查通报》 went out; a rung is proposed (data.confirmation required) and the monthly roll-up lists only
    the 《督查通报》 confirmed as issued."""
    engine, _, actions, _ = replayed
    rungs = of(actions, "LS-2025-021", "escalation")
    assert [(a.data or {}).get("confirmation") for a in rungs] == ["required"] * 3
    proposals = engine.states["LS-2025-021"].flags["proposals"]
    assert [(p["stage"], p["status"], p.get("issued")) for p in proposals.values()] == [
        ("提醒", "confirmed", "2025-06-05"), ("约谈", "confirmed", "2025-06-18"), ("问责", "awaiting", None)]
    # CG-2025-03's 《催办函》 for a late report was never confirmed: the report sent that day made it moot
    letter, = engine.states["CG-2025-03"].flags["proposals"].values()
    assert letter["status"] == "withdrawn"
    assert not [a for a in actions if "尚未收到印发或实施的确认" in a.title]


def test_approved_extension_suspends_the_ladder_and_the_item_completes_in_time(history) -> None:
    _, actions, _ = history
    item = of(actions, "LS-2025-026")
    assert [(a.stage, a.at.date()) for a in item if a.kind == "escalation"] == [("提醒", date(2025, 8, 30))]
    extension = [a for a in item if "批准延期" in a.title]
    assert len(extension) == 1 and extension[0].basis.article == "二、"
    assert "经县长批准延期" in extension[0].title and "办结时限延至 2025-09-26" in extension[0].title
    archive = [a for a in item if "立卷存档" in a.title]
    assert [a.at.date() for a in archive] == [date(2025, 9, 25)]


@pytest.mark.parametrize("subject, due, without_holiday", [
    ("LS-2025-012", date(2025, 6, 16), date(2025, 6, 11)),   # 5个工作日，古尔邦节（新疆）
    ("LS-2025-031", date(2025, 10, 10), date(2025, 10, 3)),  # 5个工作日，国庆节、中秋节
    ("LS-2025-032", date(2025, 10, 9), date(2025, 10, 4)),   # 10日，届满日在国庆假期内，顺延（民法典第二百零三条）
])
def test_holidays_shift_the_due_dates(history, subject: str, due: date, without_holiday: date) -> None:
    events, actions, _ = history
    undertake = [a for a in of(actions, subject, "requirement") if a.title.startswith("承办：")]
    assert [a.due for a in undertake] == [due]
    assigned = next(e for e in events if e["subject"] == subject and e["type"] == "assigned")
    start, limit = date.fromisoformat(assigned["at"][:10]), assigned["data"]["time_limit"]
    if "working_days" in limit:  # the national calendar alone (without 古尔邦节) or plain weekdays (without 国庆)
        national = get_calendar().add_workdays(start, limit["working_days"])
        weekdays, day = 0, start
        while weekdays < limit["working_days"]:
            day += timedelta(days=1)
            weekdays += day.weekday() < 5
        assert without_holiday in (national, day) and without_holiday != due
    else:
        assert start + timedelta(days=limit["days"]) == without_holiday != due


def test_secret_item_title_never_appears_in_an_action(history) -> None:
    events, actions, _ = history
    registered = next(e for e in events if e["subject"] == "LS-2025-027" and e["type"] == "registered")
    assert registered["data"]["secret"] is True
    secrets = [registered["data"]["title"], registered["data"]["requirement"], "军事管理区", "违建拆除", "征地补偿"]
    assert of(actions, "LS-2025-027")  # it is in the ledger
    for action in actions:
        text = json.dumps(action.to_json(), ensure_ascii=False)
        assert not [s for s in secrets if s in text], action.title


def test_weekly_reports_cover_the_year_without_gaps(history) -> None:
    _, actions, _ = history
    weekly = [a for a in actions if a.title.startswith("《督查专报》")]
    assert all(a.approvals == ["县政府办主任审核签发"] and a.to == ["县长", "副县长"] for a in weekly)
    periods = [tuple(date.fromisoformat(d) for d in a.title[7:28].split("至")) for a in weekly]
    assert all(b[0] == a[1] + timedelta(days=1) for a, b in zip(periods, periods[1:]))
    assert periods[0][0] == date(2024, 12, 30) and periods[-1][1] == date(2025, 12, 28)
    # 国庆: the report of Monday 6 October goes out on 9 October and covers 29 September to 8 October
    assert (date(2025, 9, 29), date(2025, 10, 8)) in periods
    assert weekly[-1].title.startswith("《督查专报》（2025-12-22至2025-12-28）：在办1件")
