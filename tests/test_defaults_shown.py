"""Defaults shown: an action whose date, threshold, rung or trigger comes from a parameter the document
does not give (``default: true``) says so in ``basis.defaults``; the timeline marks its date."""

from __future__ import annotations

import pytest

from duchaplugin import Engine
from duchaplugin.models import Action
from duchaplugin.ledger import due_text


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(entry_points=False)


def defaults(action: Action) -> dict:
    return {d.parameter: d.value for d in action.basis.defaults or []}


def conclusion(engine: Engine, subject: str, **data) -> list[Action]:
    return engine.handle({"id": f"{subject}-c", "subject": subject, "type": "conclusion_issued", "at": "2025-06-02T10:00",
                          "pack": "cn", "data": {"requires_rectification": True, "evidence": "检查记录", **data}})


def test_a_period_the_document_does_not_give_is_marked_and_one_the_host_gave_is_not(engine: Engine) -> None:
    required, = [a for a in conclusion(engine, "D1") if a.basis.article == "第十八条"]
    assert defaults(required) == {"rectification_limit": {"days": 30}}
    assert required.basis.defaults[0].note == "督查结论要求整改而未给出期限时的整改期限30日"
    assert due_text(required) == "2025-07-02（默认值，文件未规定：督查结论要求整改而未给出期限时的整改期限30日）"  # timeline, ledger
    given, = [a for a in conclusion(engine, "D2", due="2025-07-15") if a.basis.article == "第十八条"]
    assert given.basis.defaults is None and due_text(given) == "2025-07-15"


def test_the_overdue_notice_carries_the_defaults_of_the_timer_that_fired_it(engine: Engine) -> None:
    conclusion(engine, "D3")
    overdue = [a for a in engine.advance("2025-07-05") if a.subject == "D3" and "届满" in a.title]
    assert [(a.at.date().isoformat(), set(defaults(a))) for a in overdue] == [
        ("2025-07-03", {"rectification_limit", "verification_limit"})]


def yn_item(engine: Engine, subject: str) -> None:
    engine.handle({"id": f"{subject}-r", "subject": subject, "type": "registered", "at": "2025-03-03T09:00", "pack": "cn-yn",
                   "data": {"category": "省人民政府主要领导批示指示和交办重要工作", "handler": "张三"}})
    engine.handle({"id": f"{subject}-a", "subject": subject, "type": "assigned", "at": "2025-03-03T10:00",
                   "data": {"lead_unit": "省交通厅", "leader": "王五", "due": "2025-03-14"}})


def test_a_rung_carries_the_reading_and_the_period_it_came_from() -> None:
    engine = Engine(entry_points=False)
    for subject, period in (("Y1", {}), ("Y2", {"time_limit": {"working_days": 5}})):
        yn_item(engine, subject)
        notice = next(a for a in engine.advance("2025-03-16") if a.subject == subject and a.stage == "通报")
        assert set(defaults(notice)) >= {"ladder_confirmation", "notice_rectify_limit"}  # the reading; its own due
        engine.handle({"id": f"{subject}-t", "subject": subject, "type": "action_taken", "at": "2025-03-17T10:00",
                       "data": {"action": notice.id, **period}})
    interviews = {a.subject: a for a in engine.advance("2025-04-30") if a.stage == "约谈"}
    # Y1's 约谈 came when the 通报's default period ran out; Y2's when the period the 通报 set did
    assert "notice_rectify_limit" in defaults(interviews["Y1"])
    assert "notice_rectify_limit" not in defaults(interviews["Y2"])
    assert {"ladder_confirmation", "accountability_may_follow_notice"} <= set(defaults(interviews["Y2"]))


def test_a_threshold_a_pack_function_reads_is_shown(engine: Engine) -> None:
    yn_item(engine, "Y3")
    urged = engine.handle({"id": "Y3-p", "subject": "Y3", "type": "progress_reported", "at": "2025-03-12T10:00",
                           "data": {"percent": 5}})
    urge = next(a for a in urged if a.stage == "催办")
    assert defaults(urge)["slow_progress_lag"] == 20 and defaults(urge)["urge_reply_limit"] == {"working_days": 5}


def test_what_a_document_gives_is_not_a_default(engine: Engine) -> None:
    engine.handle({"id": "R1-c", "subject": "R1", "type": "conclusion_received", "at": "2025-06-02T10:00", "pack": "cn",
                   "data": {"target": "甲县人民政府"}})
    decision, = engine.handle({"id": "R1-r", "subject": "R1", "type": "review_requested", "at": "2025-06-10T10:00",
                               "data": {"target": "甲县人民政府"}})
    assert decision.basis.article == "第十七条" and decision.basis.defaults is None  # 30日: the 条例's own number
