"""examples/yn-2025.jsonl: a year of the 云南省人民政府督查室's docket under 云政办函〔2018〕49号.

What the example is there to show, asserted on the engine's actions: every operational article of
the document acts (by ``basis.article``), the 通报 → 约谈 → 问责 ladder with its approvals on one unit,
one unit's yearly 考核 score traced to each item and clause, and the script regenerating the file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from duchaplugin.calendar import BEIJING
from duchaplugin.engine import Engine
from duchaplugin.models import Action
from duchaplugin.replay import replay

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "yn-2025.jsonl"
SCRIPT = ROOT / "examples" / "make_yn.py"
DOCUMENT = "云政办函〔2018〕49号"


@pytest.fixture(scope="module")
def run() -> tuple[Engine, list[Action]]:
    engine, actions = Engine(entry_points=False), []
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    result = replay(lines, engine, actions.extend)
    assert result.errors == [], result.errors
    assert result.events == len(lines)  # every event accepted (refusals are rejection actions)
    return engine, actions


def yn(actions: list[Action], article: str, subject: str | None = None, kind: str | None = None) -> list[Action]:
    return [a for a in actions if a.basis.pack == "cn-yn" and a.basis.article == article
            and (subject is None or a.subject == subject) and (kind is None or a.kind == kind)]


def test_the_script_regenerates_the_file_byte_for_byte(tmp_path: Path) -> None:
    shutil.copy(SCRIPT, tmp_path / SCRIPT.name)
    subprocess.run([sys.executable, str(tmp_path / SCRIPT.name)], check=True, cwd=tmp_path)
    assert (tmp_path / EXAMPLE.name).read_bytes() == EXAMPLE.read_bytes(), "run `python examples/make_yn.py`"


def test_every_operational_article_acts(run) -> None:
    _, actions = run
    articles = {a.basis.article for a in actions if a.basis.pack == "cn-yn"}
    assert {"第五条（一）", "第五条（二）", "第五条（三）", "第五条（四）", "第五条（五）", "第五条（六）",
            "第六条（五）",
            "第七条（一）1.（1）", "第七条（一）1.（2）", "第七条（一）1.（3）", "第七条（一）1.（4）", "第七条（一）1.（5）",
            "第七条（一）1.（6）", "第七条（一）1.（7）",
            "第七条（一）2.（1）", "第七条（一）2.（2）", "第七条（一）2.（3）",
            "第七条（二）", "第七条（三）", "第八条"} <= articles
    assert all(a.basis.document == DOCUMENT for a in actions if a.basis.pack == "cn-yn")


def test_the_five_priority_categories_and_the_complaint_source(run) -> None:
    engine, _ = run
    items = [s for s in engine.states.values() if s.pack == "cn-yn" and not s.subject.startswith("@") and s.attrs.get("category_code")]
    assert {s.attrs["category_code"] for s in items} >= {  # 第四条（一）—（五）
        "central_assigned", "provincial_major_decision", "work_report", "meeting_decisions", "leader_instructions",
        "difficulties_and_hotspots"}
    complaint = engine.states["YNDB-2025-005"]  # 第六条（四）
    assert complaint.attrs["source_code"] == "complaint" and complaint.flags["yn_from_complaint"] is True
    for item in items:  # what the ledger (台账) shows: 事项、类别、责任单位、责任领导
        assert item.attrs["title"] and item.attrs["lead_unit"] and item.attrs["leader"], item.subject


def test_refused_registration_and_assignment_name_what_is_missing(run) -> None:
    _, actions = run
    rejections = [a for a in actions if a.kind == "rejection"]
    assert [(a.subject, a.basis.article, a.title) for a in rejections] == [
        ("YNDB-2025-006", "第五条（一）", "立项登记须明确督查重点类别并安排专人负责：缺少负责的专人"),
        ("YNDB-2025-006", "第五条（二）", "交办须明确牵头部门和单位、责任领导、完成时限：缺少责任领导、完成时限"),
    ]
    late = yn(actions, "第五条（二）", "YNDB-2025-006", "notice")  # 及时交办
    assert [(a.at.date(), a.to) for a in late] == [(date(2025, 6, 10), ["省政府督查室"])]


def test_slow_progress_is_urged_before_the_deadline_only(run) -> None:
    _, actions = run
    urges = [a for a in yn(actions, "第五条（三）", "YNDB-2025-003") if a.stage == "催办"]
    assert [a.at.date() for a in urges] == [date(2025, 4, 10), date(2025, 5, 12), date(2025, 5, 23),
                                            date(2025, 6, 6), date(2025, 6, 19)]
    assert all(a.at.date() <= date(2025, 6, 30) for a in urges)  # 完成时限 2025-06-30
    assert urges[0].approvals == ["省政府督查室"] and urges[0].to == ["省住房城乡建设厅"]
    assert "满10个工作日未反馈进展" in urges[0].title and "落后超过20个百分点" in urges[1].title


def test_rectification_chain_and_revisit_of_a_major_item(run) -> None:
    _, actions = run
    chain = yn(actions, "第五条（四）", "YNDB-2025-002")
    assert [(a.kind, a.due) for a in chain] == [("requirement", date(2025, 4, 24)),  # 整改方案
                                                ("requirement", date(2025, 5, 30))]  # 限期解决
    revisits = yn(actions, "第五条（五）", "YNDB-2025-002")
    assert [(a.kind, a.at.date()) for a in revisits] == [
        ("requirement", date(2025, 5, 26)), ("notice", date(2025, 6, 10)), ("requirement", date(2025, 7, 8))]
    assert revisits[0].to == ["省政府督查室"] and "回头看" in revisits[0].title


def test_feedback_periods_and_the_monthly_summary_to_the_provinces_leaders(run) -> None:
    _, actions = run
    periodic = [a for a in yn(actions, "第五条（六）", kind="notice") if "定期反馈" in a.title]
    assert [(a.subject, a.at.date()) for a in periodic] == [("YNDB-2025-006", date(2025, 9, 9))]
    late = [a for a in yn(actions, "第五条（六）", kind="notice") if "规定期限" in a.title]
    # YNDB-2025-004: its 报请办结 failed the 核查 on the 完成时限's last day (2025-06-06), so the item was overdue
    # from 06-07 with no result reported within 5 working days
    assert [(a.subject, a.at.date()) for a in late] == [("YNDB-2025-004", date(2025, 6, 14)),
                                                        ("YNDB-2025-003", date(2025, 7, 9)),
                                                        ("YNDB-2025-009", date(2025, 12, 20))]
    reports = yn(actions, "第五条（六）", kind="report")
    assert [a.at.date().month for a in reports] == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1]
    assert all(a.to == ["省人民政府领导"] for a in reports)
    july = next(a for a in reports if a.at.date() == date(2025, 7, 1))
    assert "在办6项，其中逾期1项" in july.title and july.data["overdue"] == ["YNDB-2025-003"]


def test_media_exposure_is_proposed_with_approvals(run) -> None:
    _, actions = run
    exposures = yn(actions, "第六条（五）")
    assert [(a.subject, a.data["exposure"]) for a in exposures] == [("YNDB-2025-005", "inaction"),
                                                                    ("YNDB-2025-004", "misreport")]
    assert all(a.kind == "suggestion" and a.approvals == ["省政府督查室提出", "省政府办公厅审定"] for a in exposures)


def test_situations_automatic_and_found(run) -> None:
    _, actions = run
    found = {(a.subject, a.data["situation"]) for a in actions if a.kind == "situation" and a.basis.pack == "cn-yn"}
    assert {
        ("YNDB-2025-003", "yn-7-2-overdue"),          # （2）《政府工作报告》目标任务逾期（自动）
        ("YNDB-2025-010", "yn-7-3"),                  # （3）中央领导同志批办事项未按照时限办结（自动）
        ("YNDB-2025-004", "yn-7-3"),                  # （3）省长批示事项：报请办结核查未通过，原完成时限已过（自动）
        ("YNDB-2025-009", "yn-7-4-not-implemented"),  # （4）调研考察时的指示逾期（自动）
        ("YNDC-2025-01", "yn-7-5-not-conducted"),     # （5）重大督查活动未按计划（自动）
        ("YNDB-2025-003", "yn-7-7-slow"),             # （7）进展迟缓（自动）
        ("YNDB-2025-004", "yn-7-7-misreport"),        # （7）报请办结核查未通过（自动）与认定
        ("YNDB-2025-008", "yn-7-1-measures"),         # （1）认定措施不得力
        ("YNDB-2025-005", "yn-7-6"),                  # （6）认定不作为造成严重社会影响
    } <= found
    misreport = [a for a in yn(actions, "第七条（一）1.（7）", "YNDB-2025-004") if a.event is not None]
    assert [a.rule for a in misreport] == ["cn-yn:yn-completion-failed", "cn-yn:yn-sit-finding"]


def test_the_ladder_on_one_unit_with_its_approvals(run) -> None:
    _, actions = run
    ladder = [a for a in actions if a.subject == "YNDB-2025-003" and a.stage in ("通报", "约谈", "问责")]
    assert [(a.stage, a.kind, a.basis.article, a.at.date(), a.due, a.approvals, a.to) for a in ladder] == [
        ("通报", "escalation", "第七条（一）2.（1）", date(2025, 7, 1), date(2025, 7, 22),
         ["省政府办公厅或省政府督查室通报"], ["省住房城乡建设厅"]),
        ("约谈", "escalation", "第七条（一）2.（2）", date(2025, 7, 23), date(2025, 8, 13),
         ["省政府督查室约谈"], ["省住房城乡建设厅"]),
        ("问责", "suggestion", "第七条（一）2.（3）", date(2025, 8, 14), None,
         ["省政府督查室提出", "按《云南省党政领导干部问责办法（试行）》确定的有权机关决定"], None),
    ]
    assert "约谈责任地区或责任部门领导（省住房城乡建设厅厅长 刘海涛）" in ladder[1].title
    referral = [a for a in actions if a.stage == "移送"]
    assert [(a.subject, a.basis.article, a.to) for a in referral] == [("YNDB-2025-003", "第七条（一）2.（3）", ["纪检监察机关"])]
    # 通报 after a finding, rectified within its period: no 约谈 (YNDB-2025-008)
    assert [a.stage for a in actions if a.subject == "YNDB-2025-008" and a.kind == "escalation"] == ["通报"]


def test_praise_for_items_done_on_time_and_well(run) -> None:
    _, actions = run
    praised = [a.subject for a in yn(actions, "第七条（二）")]
    assert praised == ["YNDB-2025-001", "YNDB-2025-007", "YNDB-2025-006"]
    assert "YNDB-2025-002" not in praised  # 回访核查未通过过


def test_one_units_yearly_score_traced_to_items_and_clauses(run) -> None:
    _, actions = run
    scores = {a.data["unit"]: a for a in yn(actions, "第七条（三）", kind="score")}
    assert all(a.at.date() == date(2026, 1, 1) and a.data["period"] == "2025" for a in scores.values())
    unit = scores["省住房城乡建设厅"]
    # YNDB-2025-003: 办理时限 100−100 (逾期, capped), 办理质量 100, 整改质量 100, 反馈质量 100−10
    #   → 0.4×0 + 0.2×100 + 0.2×100 + 0.2×90 = 58;  YNDB-2025-007: 100;  unit (58 + 100) / 2 = 79
    assert unit.data["items"] == {"YNDB-2025-003": 58.0, "YNDB-2025-007": 100.0}
    assert unit.data["score"] == 79.0
    assert [(b["item"], b["criterion"], b["points"], b["clause"]) for b in unit.data["breakdown"]] == [
        ("YNDB-2025-003", "办理时限", 100.0, "第五条（二）"),  # 逾期工作日，每日5分，扣至最低分
        ("YNDB-2025-003", "办理时限", 0.0, "第五条（三）"),    # 被催办5次，该项已扣至最低分
        ("YNDB-2025-003", "反馈质量", 10.0, "第五条（六）"),   # 完成时限届满后未按期反馈
    ]
    assert unit.title == ("2025年度督查考核：省住房城乡建设厅 得分 79（2项事项；YNDB-2025-003 办理时限扣100分（第五条（二））；"
                          "YNDB-2025-003 反馈质量扣10分（第五条（六）））")
    assert {u: a.data["score"] for u, a in scores.items()} == {
        "省人力资源社会保障厅": 100.0, "省发展改革委": 96.0, "省住房城乡建设厅": 79.0, "昆明市人民政府": 46.0,
        "曲靖市人民政府": 100.0, "省农业农村厅": 98.0, "省生态环境厅": 100.0, "怒江傈僳族自治州人民政府": 70.0,
        "省交通运输厅": 54.0}


def test_a_report_sent_back_keeps_the_original_time_limit(run) -> None:
    """YNDB-2025-004: 完成时限 2025-06-06 (40 working days from 04-08); reported done 05-30, the 核查 of 06-06
    failed, reported again 06-27. Lateness counts from the original last day: 06-09…06-27, 15 working days × 5;
    the failed 核查 is one 办理质量 deduction; the 虚报瞒报 finding and the feedback overdue on 06-14 take the
    反馈质量 to 0. Score 0.4×25 + 0.2×80 + 0.2×100 + 0.2×0 = 46."""
    _, actions = run
    score = next(a for a in yn(actions, "第七条（三）", kind="score") if a.data["unit"] == "昆明市人民政府")
    assert [(b["criterion"], b["points"], b["clause"]) for b in score.data["breakdown"]] == [
        ("办理时限", 75.0, "第五条（二）"), ("办理质量", 20.0, "第七条（一）1.（7）"),
        ("反馈质量", 10.0, "第五条（六）"), ("反馈质量", 90.0, "第七条（一）1.（7）")]
    assert score.data["items"] == {"YNDB-2025-004": 46.0}
    overdue = [(a.kind, a.stage, a.at.date()) for a in actions
               if a.subject == "YNDB-2025-004" and a.rule in ("cn-yn:yn_due-overdue", "cn-yn:yn_ladder-1")]
    assert overdue == [("notice", None, date(2025, 6, 7)), ("escalation", "通报", date(2025, 6, 7))]


def test_a_leaders_item_late_then_sent_back_after_the_notice(run) -> None:
    """YNDB-2025-010, a 批办事项 of a 中央领导同志 (第四条（一）): not done by its 完成时限 2025-08-29, so 追责情形
    （3） and 通报 on 08-30 (限期 09-19); reported done 09-03 and 退回 09-10 — the rectification the 通报 ordered
    is not in place (整改不到位), so 约谈 at once; reported again 09-26, verified and closed, no 问责."""
    _, actions = run
    situation = yn(actions, "第七条（一）1.（3）", "YNDB-2025-010", "situation")
    assert [(a.at.date(), a.data["situation"]) for a in situation] == [(date(2025, 8, 30), "yn-7-3")]
    assert "党中央、国务院和省委交办的重要批办事项未按照时限办结" in situation[0].title
    ladder = [a for a in actions if a.subject == "YNDB-2025-010" and a.stage in ("通报", "约谈", "问责")]
    assert [(a.stage, a.basis.article, a.at, a.due) for a in ladder] == [
        ("通报", "第七条（一）2.（1）", datetime(2025, 8, 30, tzinfo=BEIJING), date(2025, 9, 19)),
        ("约谈", "第七条（一）2.（2）", datetime(2025, 9, 10, 11, 0, tzinfo=BEIJING), date(2025, 9, 30))]
    assert ladder[1].event is not None and "约谈责任地区或责任部门领导（省交通运输厅厅长 段建华）" in ladder[1].title
    score = next(a for a in yn(actions, "第七条（三）", kind="score") if a.data["unit"] == "省交通运输厅")
    # re-reported 09-26: 20 working days after 08-29 (capped at 100); the 退回 is one 办理质量 deduction; the
    # first report came after the 完成时限, within the 5 working days' grace: 反馈不及时
    assert [(b["criterion"], b["points"], b["clause"]) for b in score.data["breakdown"]] == [
        ("办理时限", 100.0, "第五条（二）"), ("办理质量", 20.0, "第五条（二）"), ("反馈质量", 10.0, "第五条（六）")]


def test_training_obligation(run) -> None:
    _, actions = run
    training = yn(actions, "第八条")
    assert [(a.at.date(), a.due, a.to) for a in training] == [(date(2025, 12, 1), date(2025, 12, 31), ["省政府督查室"])]


def test_the_parent_regulation_applies_from_2021(run) -> None:
    _, actions = run
    parent = Counter(a.basis.article for a in actions if a.basis.pack == "cn")
    assert {"第十六条第一款", "第十七条", "第十八条"} <= set(parent)
    review = next(a for a in actions if a.basis.pack == "cn" and a.basis.article == "第十七条")
    assert (review.subject, review.due) == ("YNDC-2025-01", date(2025, 12, 22))  # 收到申请之日起30日
