"""Confirmed actions (duchaplugin/confirmations.py) and confirmed rungs (escalation_ladder ``confirm``):
a proposal is a fact only once the host confirms it, and the next rung counts from that day."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from duchaplugin import ContractError, Engine, PackError
from duchaplugin.hooks import hookimpl
from duchaplugin.models import Action
from tests.fixtures import LadderPlugin

LADDER = Path(__file__).parent / "fixtures" / "ladder"


@pytest.fixture
def engine() -> Engine:
    return Engine([LadderPlugin()], entry_points=False)


def start(engine: Engine, subject: str = "L1") -> None:
    engine.handle({"id": f"{subject}-a", "subject": subject, "type": "assigned", "at": "2025-03-03T10:00", "pack": "ladder",
                   "data": {"due": "2025-03-14", "lead_unit": "甲局"}})


def confirm(engine: Engine, action: Action, at: str, **data) -> list[Action]:
    return engine.handle({"id": f"c-{action.id}-{at}", "subject": action.subject, "type": "action_taken", "at": at,
                          "data": {"action": action.id, **data}})


def rows(actions: list[Action]) -> list[tuple]:
    return [(a.at.date().isoformat(), a.kind, a.stage, (a.data or {}).get("confirmation")) for a in actions]


def test_required_a_rung_waits_for_the_confirmation_of_the_one_before(engine: Engine) -> None:
    start(engine)
    proposed = engine.advance("2025-06-30")
    # 通报 proposed when the due passed (03-15); unconfirmed, one reminder after 3 working days; nothing else
    assert rows(proposed) == [("2025-03-15", "escalation", "通报", "required"), ("2025-03-20", "notice", None, None)]
    notice, reminder = proposed
    assert notice.due.isoformat() == "2025-03-21" and notice.to == ["甲局"]
    assert reminder.to == ["督查室"] and notice.id in reminder.title and "尚未收到" in reminder.title
    assert reminder.basis.article == "第二条" and reminder.data == {"confirms": notice.id}
    assert engine.states["L1"].flags.get("steps_rung", 0) == 0 and engine.states["L1"].flags["steps_proposed"] == 1


def test_the_next_rung_counts_from_the_day_the_confirmed_one_was_issued() -> None:
    engine = Engine([LadderPlugin()], entry_points=False)
    start(engine)
    notice, = engine.advance("2025-03-16")
    assert confirm(engine, notice, "2025-03-17T09:00") == []  # issued on 03-17: 5 working days → 03-24
    assert engine.states["L1"].flags["steps_rung"] == 1
    interview, = engine.advance("2025-03-26")  # no reminder: the 通报 was confirmed before it was due
    assert rows([interview]) == [("2025-03-25", "escalation", "约谈", "required")]
    confirm(engine, interview, "2025-03-27T15:00")  # 10 working days after 03-27 (清明 04-04 is a rest day) → 04-11
    suggestion, = engine.advance("2025-05-01")
    assert rows([suggestion]) == [("2025-04-12", "suggestion", "问责", "required")]
    assert "经通报、约谈后" in suggestion.title


def test_a_confirmation_giving_a_period_sets_it_from_the_day_issued(engine: Engine) -> None:
    start(engine)
    notice, = engine.advance("2025-03-16")
    confirm(engine, notice, "2025-03-18T09:00", time_limit={"days": 3})
    assert engine.states["L1"].timers["steps"].last_day.isoformat() == "2025-03-21"
    assert rows(engine.advance("2025-03-23")) == [("2025-03-22", "escalation", "约谈", "required")]


def test_assumed_rungs_climb_from_the_proposal_and_say_so(engine: Engine) -> None:
    engine.set_parameter("ladder", "ladder_confirmation", "assumed")
    start(engine)
    actions = engine.advance("2025-05-01")
    assert rows(actions) == [("2025-03-15", "escalation", "通报", "assumed"), ("2025-03-22", "escalation", "约谈", "assumed"),
                             ("2025-04-08", "suggestion", "问责", "assumed")]
    assert "视为已实施，未经确认" in actions[-1].title


def test_assumed_a_confirmation_with_a_period_restarts_it_from_the_day_issued(engine: Engine) -> None:
    engine.set_parameter("ladder", "ladder_confirmation", "assumed")
    start(engine)
    notice, = engine.advance("2025-03-16")
    confirm(engine, notice, "2025-03-19T09:00", due="2025-03-28")
    assert rows(engine.advance("2025-03-30")) == [("2025-03-29", "escalation", "约谈", "assumed")]


def test_completion_withdraws_a_pending_proposal_and_a_late_confirmation_is_only_recorded(engine: Engine) -> None:
    start(engine)
    notice, = engine.advance("2025-03-16")
    engine.handle({"id": "done", "subject": "L1", "type": "completion_reported", "at": "2025-03-17T09:00"})
    assert engine.states["L1"].flags["proposals"][notice.id]["status"] == "withdrawn"
    assert engine.advance("2025-04-30") == []  # no reminder for a withdrawn proposal
    assert confirm(engine, notice, "2025-05-06T09:00") == []
    state = engine.states["L1"]
    assert state.flags["steps_rung"] == 1 and "steps" not in state.timers  # the 通报 happened; no period runs
    assert state.flags["proposals"][notice.id] | {"status": "confirmed", "issued": "2025-05-06"} == state.flags["proposals"][notice.id]


@pytest.mark.parametrize("data, words", [
    ({}, "须注明所执行的动作编号"),
    ({"action": 7}, "动作编号应为文字"),
    ({"action": "A0000"}, "没有须确认的动作 A0000"),
])
def test_a_confirmation_must_name_an_action_of_its_subject(engine: Engine, data: dict, words: str) -> None:
    start(engine)
    engine.advance("2025-03-16")
    before = engine.states["L1"].model_dump()
    with pytest.raises(ContractError) as error:
        engine.handle({"id": "x", "subject": "L1", "type": "action_taken", "at": "2025-03-17", "data": data})
    assert error.value.field == "data.action" and words in str(error.value) and " / " in str(error.value)
    assert engine.states["L1"].model_dump() == before  # nothing applied


def test_a_confirmation_naming_another_subjects_action_names_that_subject(engine: Engine) -> None:
    start(engine, "L1")
    start(engine, "L2")
    notice = next(a for a in engine.advance("2025-03-16") if a.subject == "L1")
    with pytest.raises(ContractError, match="是事项 L1 的动作") as error:
        engine.handle({"id": "x", "subject": "L2", "type": "action_taken", "at": "2025-03-17", "data": {"action": notice.id}})
    assert error.value.field == "data.action"


def test_an_extension_suspends_the_ladder_and_withdraws_the_pending_rung(engine: Engine) -> None:
    start(engine)
    notice, = engine.advance("2025-03-16")
    engine.handle({"id": "ext", "subject": "L1", "type": "extension_granted", "at": "2025-03-17T09:00",
                   "data": {"due": "2025-04-30", "reason": "正当理由", "approved_by": "主任"}})
    actions = engine.advance("2025-05-10")  # the new limit runs out: the 通报 is proposed again
    assert rows(actions) == [("2025-05-01", "escalation", "通报", "required"), ("2025-05-09", "notice", None, None)]
    assert engine.states["L1"].flags["proposals"][notice.id]["status"] == "withdrawn"


def _copy(tmp_path: Path, **files: str) -> Path:
    directory = tmp_path / "ladder"
    shutil.copytree(LADDER, directory)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def _engine_for(directory: Path) -> Engine:
    class Host:
        @hookimpl
        def duchaplugin_register_packs(self, register) -> None:  # type: ignore[no-untyped-def]
            register(directory)

    return Engine([Host()], entry_points=False)


def test_a_confirmed_action_needs_the_reminder_parameters(tmp_path: Path) -> None:
    text = (LADDER / "parameters.yaml").read_text(encoding="utf-8")
    kept = text.split("confirmation_reminder:")[0] + "notice_limit:" + text.split("notice_limit:")[1]
    directory = _copy(tmp_path, **{"parameters.yaml": kept})
    with pytest.raises(PackError) as error:
        _engine_for(directory)
    assert "confirmation_reminder" in str(error.value)


def test_a_template_argument_it_does_not_take_is_refused_with_its_line(tmp_path: Path) -> None:
    rules = (LADDER / "rules.yaml").read_text(encoding="utf-8").replace("    confirm: true\n",
                                                                        "    confirm: true\n    limit_set_on: action_taken\n")
    with pytest.raises(PackError) as error:
        _engine_for(_copy(tmp_path, **{"rules.yaml": rules}))
    assert "limit_set_on" in str(error.value) and error.value.line == 13


def test_a_parameter_condition_is_decided_when_the_pack_is_built(engine: Engine) -> None:
    compiled = engine.compiled("ladder")
    fired = {r.id for r in compiled.pack.rules if r.id.startswith("steps-1")}
    assert {"steps-1-required", "steps-1-assumed"} <= fired
    from duchaplugin.compiler import NEVER, compile_rule
    rule = next(r for r in compiled.pack.rules if r.id == "steps-1-assumed")
    assert NEVER in compile_rule(rule, compiled.pack)["all"][0]["m"]["$and"]
