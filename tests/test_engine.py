"""The contract behaviours of the engine: sessions, errors, threads, idempotency, determinism."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta

import durable_rules_engine
import pytest

from duchaplugin import ContractError, Engine, PackError, RuleError
from duchaplugin.calendar import BEIJING
from duchaplugin.hooks import hookimpl
from duchaplugin.runtime import Runtime
from tests.fixtures import DemoPlugin


@pytest.fixture
def engine() -> Engine:
    return Engine([DemoPlugin()], entry_points=False)


def assigned(subject: str, at: str = "2025-09-22T09:00", n: int = 5, **extra) -> dict:
    return {"id": f"{subject}-a", "subject": subject, "type": "assigned", "at": at, "pack": "demo",
            "data": {"time_limit": {"working_days": n}, "title": "修缮校舍", **extra}}


def test_deadline_counts_working_days_across_national_day(engine: Engine) -> None:
    engine.handle(assigned("X1"))
    # 2025-09-22 + 5 working days: 23,24,25,26 and 28 (Sunday, a make-up working day) → 09-28
    assert engine.states["X1"].timers["due"].last_day.isoformat() == "2025-09-28"
    actions = engine.advance("2025-10-01")
    assert [(a.kind, a.at.date().isoformat()) for a in actions] == [("notice", "2025-09-25"), ("escalation", "2025-09-29")]
    assert actions[1].basis.article == "第一条" and actions[1].basis.document == "测试〔2025〕1号"


@pytest.mark.slow
def test_one_durable_session_whatever_the_number_of_subjects(engine: Engine) -> None:
    """durable-rules raises MemoryError at its 1,025th live session; 100,000 subjects must not get near it."""
    for i in range(100_000):
        engine.handle(assigned(f"S{i}", n=3))
    assert len(engine.states) == 100_000
    actions = engine.advance("2025-10-31")
    assert len(actions) == 200_000  # one warning and one escalation each
    assert engine.runtime.facts_left(engine.compiled("demo").ruleset) == []  # every fact was retracted


def test_exception_inside_a_rule_surfaces(engine: Engine) -> None:
    engine.handle(assigned("X2"))
    with pytest.raises(RuleError, match="deliberately failing rule"):
        engine.handle({"id": "f", "subject": "X2", "type": "finding", "at": "2025-09-23", "data": {"situation": "boom"}})


@pytest.mark.parametrize("batch", [1, 3])
def test_errors_of_the_durable_rules_engine_are_raised(monkeypatch: pytest.MonkeyPatch, batch: int) -> None:
    runtime = Runtime()
    with pytest.raises(PackError, match="durable-rules refused ruleset"):
        runtime.register("bad", {"r0": {"all": [{"m": {"$bogus": {"a": 1}}}]}})
    runtime.register("t", {"r0": {"all": [{"m": {"type": "x"}}], "run": "r0"}})

    def failing(handle: int, text: str) -> None:
        raise durable_rules_engine.error("Could not assert facts, error code: 301")

    monkeypatch.setattr(durable_rules_engine, "assert_facts", failing)
    monkeypatch.setattr(durable_rules_engine, "assert_fact", failing)
    with pytest.raises(RuleError, match="error code: 301"):
        runtime.evaluate("t", [{"type": "x"}] * batch)
    assert runtime.facts_left("t") == []


def test_a_batch_reports_every_match_even_when_some_facts_match_nothing() -> None:
    """durable-rules' own Host loses these: its batched assert reports "not handled" and raises
    before dispatching the matches of the other facts."""
    runtime = Runtime()
    runtime.register("b", {"r0": {"all": [{"m": {"type": "x"}}]}, "r1": {"all": [{"m": {"$gt": {"n": 1}}}]}})
    facts = [{"type": "x", "n": 1}, {"type": "y", "n": 0}, {"type": "x", "n": 2}, {"type": "z", "n": 3}]
    assert [sorted(r) for r in runtime.evaluate("b", facts)] == [["r0"], [], ["r0", "r1"], ["r1"]]
    assert runtime.facts_left("b") == []


@pytest.mark.parametrize("batch", [1, 2])
def test_a_rule_fires_once_however_many_of_its_alternatives_hold(batch: int) -> None:
    """durable-rules matches an "$or" once per alternative that holds; effects must apply once."""
    runtime = Runtime()
    runtime.register("o", {"r0": {"all": [{"m": {"$or": [{"a": 1}, {"b": 1}]}}]}})
    assert runtime.evaluate("o", [{"a": 1, "b": 1}] * batch) == [["r0"]] * batch


def test_no_background_threads(engine: Engine) -> None:
    before = threading.active_count()
    Engine([DemoPlugin()], entry_points=False).handle(assigned("T"))
    assert threading.active_count() == before


def test_threads_give_the_same_actions_as_one_thread() -> None:
    def run(parallel: bool) -> list[tuple]:
        engine = Engine([DemoPlugin()], entry_points=False)
        chunks = [[assigned(f"P{t}-{i}", n=1 + i % 7) for i in range(300)] for t in range(4)]

        def work(chunk):
            for event in chunk:
                engine.handle(event)

        if parallel:
            threads = [threading.Thread(target=work, args=(c,)) for c in chunks]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        else:
            for c in chunks:
                work(c)
        return sorted((a.id, a.subject, a.kind, a.at) for a in engine.advance("2025-12-31"))

    assert run(parallel=True) == run(parallel=False)


def test_same_history_same_ids() -> None:
    def ids() -> list[str]:
        engine = Engine([DemoPlugin()], entry_points=False)
        engine.handle(assigned("D1"))
        return [a.id for a in engine.advance("2025-10-31")]

    assert ids() == ids() and len(set(ids())) == 2


def test_repeated_event_is_processed_once(engine: Engine) -> None:
    engine.handle(assigned("R1"))
    assert engine.handle(assigned("R1")) == []
    assert engine.states["R1"].counts["assigned"] == 1


def test_older_event_than_the_subjects_last_is_refused(engine: Engine) -> None:
    engine.handle(assigned("O1", at="2025-09-22T09:00"))
    with pytest.raises(ContractError, match="早于该主体上一事件"):
        engine.handle({"id": "late", "subject": "O1", "type": "progress_reported", "at": "2025-09-21"})


def test_extension_restarts_the_deadline(engine: Engine) -> None:
    engine.handle(assigned("E1"))
    engine.handle({"id": "x", "subject": "E1", "type": "extension_granted", "at": "2025-09-24",
                   "data": {"due": "2025-10-20", "reason": "正当理由", "approved_by": "主任"}})
    assert [a.at.date().isoformat() for a in engine.advance("2025-10-31")] == ["2025-10-16", "2025-10-21"]


def test_now_is_never_the_wall_clock(engine: Engine) -> None:
    """A 2025 history replayed today gives 2025's answers: nothing fires without advance()."""
    engine.handle(assigned("W1", at="2024-06-03T09:00"))
    assert engine.next_check("W1").year == 2024


@pytest.mark.parametrize("event, field", [
    ({"subject": "s", "type": "assigned", "at": "2025-01-02", "pack": "demo"}, "id"),
    ({"id": "1", "subject": "s", "type": "assigned", "at": "2025-13-02", "pack": "demo"}, "at"),
    ({"id": "1", "subject": "s", "type": "assigned", "at": "2025-01-02", "pack": "demo", "data": {"time_limit": {"weeks": 1, "days": 2}}}, "data.time_limit"),
    ({"id": "1", "subject": "s", "type": "assigned", "at": "2025-01-02", "pack": "demo", "data": {"major": "也许"}}, "data.major"),
    ({"id": "1", "subject": "s", "type": "registered", "at": "2025-01-02", "pack": "demo", "data": {"category": "不存在的类别"}}, "data.category"),
    ({"id": "1", "subject": "s", "type": "no_such_type", "at": "2025-01-02", "pack": "demo"}, "type"),
    ({"id": "1", "subject": "s", "type": "assigned", "at": "2025-01-02"}, "pack"),
    ({"id": "1", "subject": "s", "type": "assigned", "at": "2025-01-02", "pack": "nope"}, "pack"),
    ({"id": "1", "subject": "s", "type": "assigned", "at": "2023-01-02", "pack": "demo"}, "at"),
])
def test_bad_events_name_the_field_in_chinese_and_english(engine: Engine, event: dict, field: str) -> None:
    with pytest.raises(ContractError) as info:
        engine.handle(event)
    assert info.value.field == field
    assert " / " in str(info.value) and f"字段 {field}" in str(info.value) and f"field {field}" in str(info.value)
    assert not engine.states  # nothing half-applied


def test_vocabulary_accepts_document_words_and_codes(engine: Engine) -> None:
    engine.handle({"id": "1", "subject": "V", "type": "registered", "at": "2025-01-02", "pack": "demo", "data": {"category": "key"}})
    assert engine.states["V"].attrs["category"] == "重点工作" and engine.states["V"].attrs["category_code"] == "key"


def test_host_plugin_receives_actions_as_they_are_produced() -> None:
    received = []

    class Host:
        @hookimpl
        def duchaplugin_deliver_actions(self, actions):
            received.extend(actions)

    engine = Engine([DemoPlugin(), Host()], entry_points=False)
    result = engine.pm.hook.duchaplugin_handle_event(event=assigned("H1"), now=None)
    assert result == []
    assert [a.kind for a in engine.advance("2025-10-31")] == [a.kind for a in received] == ["notice", "escalation"]


def test_a_false_condition_holds_for_an_absent_field() -> None:
    runtime = Runtime()
    from duchaplugin.compiler import _condition

    runtime.register("f", {"r0": {"all": [{"m": {"$and": [{"type": "x"}, _condition("h_f", False, None)]}}], "run": "r0"},
                           "r1": {"all": [{"m": {"$and": [{"type": "x"}, _condition("d_g", {"!=": "a"}, None)]}}], "run": "r1"}})
    assert runtime.evaluate("f", [{"type": "x"}, {"type": "x", "h_f": True, "d_g": "a"}, {"type": "x", "h_f": False}]) == \
        [["r0", "r1"], [], ["r0", "r1"]]


def test_now_fires_time_rules_due_up_to_the_decision_instant(engine: Engine) -> None:
    actions = engine.handle(assigned("N1"), now="2025-09-26")
    assert [(a.kind, a.at.date().isoformat()) for a in actions] == [("notice", "2025-09-25")]


@pytest.mark.parametrize("shift", ["next_workday", "prev_workday"])
def test_schedule_dates_are_the_same_whether_time_advances_by_day_or_at_once(shift: str) -> None:
    """2025-11-01 is a Saturday: moved back it becomes 10-31, a day before its raw date — a daily
    advance must not lose it (nor, moved forward to 11-03, count it twice)."""
    from duchaplugin.timeline import schedule_dates
    engine = Engine(entry_points=False)
    engine.set_parameter("cn-yn", "summary_report_shift", shift)
    compiled = engine.compiled("cn-yn")
    schedule = next(s for s in compiled.pack.schedules if s.id == "yn-summary")
    start = datetime(2025, 9, 1, tzinfo=BEIJING)
    at_once = schedule_dates(compiled, schedule, start, start + timedelta(days=120))
    by_day = [d for k in range(120) for d in schedule_dates(compiled, schedule, start + timedelta(days=k), start + timedelta(days=k + 1))]
    assert by_day == at_once
    assert (date(2025, 10, 31) if shift == "prev_workday" else date(2025, 11, 3)) in at_once


def test_the_queue_holds_one_live_entry_per_subject_and_compacts_stale_ones(engine: Engine) -> None:
    """Events that leave a subject's next check where it was do not queue it again (the queue of
    a 100k docket would otherwise hold every event); events that move it leave stale entries,
    which the queue drops once they outnumber the live ones."""
    engine.handle(assigned("Q1"))
    for k in range(30):
        engine.handle({"id": f"Q1-p{k}", "subject": "Q1", "type": "progress_reported", "at": f"2025-09-22T10:{k:02d}", "data": {}})
    assert len(engine._queue) == 1 and engine._queue.entries() == 1
    for k in range(300):  # each extension moves the deadline
        engine.handle({"id": f"Q1-x{k}", "subject": "Q1", "type": "extension_granted", "at": f"2025-09-23T{k // 60:02d}:{k % 60:02d}",
                       "data": {"due": f"2025-{10 + k % 2}-{1 + k % 28:02d}", "reason": "正当理由", "approved_by": "主任"}})
    assert len(engine._queue) == 1 and engine._queue.entries() <= 2 + 64
    assert engine.next_check() == engine.next_check("Q1")


def test_calendar_data_a_host_adds_later_applies_from_the_next_decision(engine: Engine) -> None:
    from duchaplugin import calendar
    try:
        engine.handle(assigned("C1"))
        assert engine.states["C1"].timers["due"].last_day == date(2025, 9, 28)
        calendar.add_days(None, rest_days=[date(2025, 9, 23)], source="测试用的临时休息日", name="测试")
        engine.handle(assigned("C2"))
        assert engine.states["C2"].timers["due"].last_day == date(2025, 9, 29)  # 24, 25, 26, 28 (调休), 29
    finally:
        calendar.reset()


def test_every_fact_of_a_batch_has_its_own_id(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without an ``id`` durable-rules identifies a fact by a hash of its text: in the benchmark an
    "assigned" and a "timer:yn_due:overdue" fact of one 1,000-fact batch collided and the batch
    failed as "observed twice" (docs/performance.md)."""
    import json
    runtime = Runtime()
    runtime.register("ids", {"r0": {"all": [{"m": {"type": "a"}}]}})
    sent: list[str] = []
    assert_facts = durable_rules_engine.assert_facts
    monkeypatch.setattr(durable_rules_engine, "assert_facts", lambda h, text: sent.append(text) or assert_facts(h, text))
    assert runtime.evaluate("ids", [{"type": "a"}] * 3) == [["r0"]] * 3
    assert len({fact["id"] for fact in json.loads(sent[0])}) == 3


def test_a_host_ticking_only_at_next_check_gets_every_action() -> None:
    """The live-host contract (README): tick at ``next_check()``. Fixed-date schedules (each
    Monday's 《督查专报》, the 28th's urge…) must be among those instants, not only subjects' timers."""
    from pathlib import Path
    lines = (Path(__file__).parent.parent / "examples" / "hutubi-2025.jsonl").read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines if line.strip()]
    end = datetime(2026, 1, 10, tzinfo=BEIJING)

    def run(tick_at_next_check: bool) -> list[str]:
        engine, ids = Engine(entry_points=False), []
        for event in [*events, None]:
            at = datetime.fromisoformat(event["at"]).replace(tzinfo=BEIJING) if event else end
            if tick_at_next_check:  # the live host: events as they come, ticks only when asked
                while (instant := engine.next_check()) is not None and instant <= at:
                    ids += [a.id for a in engine.advance(instant)]
            else:  # replay: every instant up to the event
                ids += [a.id for a in engine.advance(at)]
            if event:
                ids += [a.id for a in engine.handle(event)]
        return ids

    ticked, replayed = run(True), run(False)
    assert len(replayed) > len(events) and sorted(ticked) == sorted(replayed)
