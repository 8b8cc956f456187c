"""Decision units: all or nothing (a failure injected into every effect type), the calendar's
range, event ids, threads, advancing in batches, and the engine's life cycle."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta
from typing import Any, Callable

import durable_rules_engine
import pytest

from duchaplugin import ContractError, Engine, RuleError
from duchaplugin import effects
from duchaplugin.calendar import BEIJING
from duchaplugin.hooks import hookimpl
from tests.fixtures import DemoPlugin
from tests.histories import END, example, run_ops

# -- all or nothing -----------------------------------------------------------------------------------


class Fault:
    """Raise right after the next effect of kind ``verb`` has applied (so the decision is half done)."""

    verb: str | None = None
    fired: set[str] = set()


def _faulty(verb: str, make: Callable[..., Callable]) -> Callable[..., Callable]:
    def factory(spec: Any, pack: Any, rule: Any) -> Callable:
        effect = make(spec, pack, rule)

        def faulty(decision: Any) -> None:
            effect(decision)
            if Fault.verb == verb:
                raise ZeroDivisionError(f"injected after a {verb} effect")
        return faulty
    return factory


@pytest.fixture(scope="module")
def faulty_engine() -> Engine:
    patch = pytest.MonkeyPatch()
    for verb, make in list(effects.VERBS.items()):
        patch.setitem(effects.VERBS, verb, _faulty(verb, make))
    with Engine(entry_points=False) as engine:  # packs compiled with the faulty effects
        yield engine
    patch.undo()


def _snapshot(engine: Engine) -> tuple:
    return engine.export_state(), dict(engine._queue._next), engine.next_check(), len(engine._seen)


def _calls(ops: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    calls: list[tuple[str, Any]] = []
    for op in ops:
        if op["op"] == "advance":
            calls.append(("advance", op["until"]))
        else:
            calls += [("advance", op["event"]["at"]), ("handle", op["event"])]
    return calls


@pytest.mark.parametrize("pack", ["cn", "cn-yn", "cn-xj-hutubi"])
def test_a_failure_after_any_effect_leaves_no_trace_and_a_retry_continues(faulty_engine: Engine, pack: str) -> None:
    """Each effect type in turn (emit, reject, set, start, stop, call) fails right after applying:
    the event or advance raises naming subject, event and rule; states, processed ids, the queue,
    schedule clocks and docket indexes are exactly as before; the retry then gives the actions of
    a run that never failed."""
    engine, blank = faulty_engine, faulty_engine.export_state()
    ops = [{"op": "event", "event": e} for e in example(pack)[:70]] + [{"op": "advance", "until": END}]
    Fault.verb = None
    reference = run_ops(engine, ops)
    engine.restore_state(blank)
    verbs = [v for v in effects.VERBS]
    out: list[str] = []
    for kind, arg in _calls(ops):
        Fault.verb = verbs[0] if verbs else None
        call = (lambda: engine.advance(arg)) if kind == "advance" else (lambda: engine.handle(json.loads(json.dumps(arg))))
        before = _snapshot(engine)
        try:
            actions = call()
        except RuleError as exc:
            assert "injected" in str(exc) and exc.subject and exc.rule
            assert kind == "advance" or exc.event == arg["id"]
            assert _snapshot(engine) == before
            Fault.fired.add(verbs.pop(0))
            Fault.verb = None
            actions = call()
        except ContractError as exc:
            out.append(f"ERROR {exc}")
            continue
        out += [json.dumps(a.to_json(), ensure_ascii=False, sort_keys=True) for a in actions]
    Fault.verb = None
    assert out == reference
    engine.restore_state(blank)


def test_every_effect_type_was_failed_somewhere() -> None:
    assert Fault.fired == set(effects.VERBS)


def test_a_durable_rules_error_is_reported_as_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = Engine([DemoPlugin()], entry_points=False)
    engine.handle(_assigned("D1"))
    before = engine.export_state()

    def failing(handle: int, text: str) -> None:
        raise durable_rules_engine.error("Could not assert facts, error code: 301")

    monkeypatch.setattr(durable_rules_engine, "assert_fact", failing)
    with pytest.raises(RuleError) as info:
        engine.handle({"id": "D1-p", "subject": "D1", "type": "progress_reported", "at": "2025-09-23", "data": {}})
    assert "error code: 301" in str(info.value) and "retract" not in str(info.value) and "撤回" not in str(info.value)
    assert info.value.subject == "D1" and info.value.event == "D1-p"
    assert engine.export_state() == before


def test_a_failing_pack_function_names_subject_event_rule_function_and_cause() -> None:
    engine = Engine([DemoPlugin()], entry_points=False)
    engine.handle(_assigned("F1"))
    before = engine.export_state()
    with pytest.raises(RuleError) as info:
        engine.handle({"id": "F1-f", "subject": "F1", "type": "finding", "at": "2025-09-23", "data": {"situation": "boom"}})
    message = str(info.value)
    for part in ("F1", "F1-f", "demo:boom", "explode", "ZeroDivisionError", "deliberately failing rule"):
        assert part in message
    assert engine.export_state() == before


# -- the calendar's range ------------------------------------------------------------------------------
def _assigned(subject: str, at: str = "2025-09-22T09:00", **data: Any) -> dict[str, Any]:
    return {"id": f"{subject}-a", "subject": subject, "type": "assigned", "at": at, "pack": "demo",
            "data": {"time_limit": {"working_days": 5}, "title": "修缮校舍", **data}}


@pytest.mark.parametrize("event, field", [
    (_assigned("R1", at="2041-01-02T09:00"), "at"),
    (_assigned("R1", at="9999-12-31T09:00"), "at"),
    (_assigned("R1", at="1999-12-31T09:00"), "at"),
    ({**_assigned("R1"), "at": 1758502800}, "at"),
    (_assigned("R1", due="2041-03-01", time_limit=None), "data.due"),
    (_assigned("R1", at="2040-12-20T09:00", time_limit={"working_days": 30}), "data.time_limit"),
    (_assigned("R1", at="2040-12-20T09:00", time_limit={"months": 2}), "data.time_limit"),
])
def test_instants_outside_the_calendar_are_refused_per_event(event: dict[str, Any], field: str) -> None:
    """An event dated 2041 used to stop next_check/advance for every subject; now it is refused
    alone, naming the field, in Chinese and English, and nothing reaches any state."""
    engine = Engine([DemoPlugin()], entry_points=False)
    engine.handle(_assigned("OK"))
    before = engine.export_state()
    with pytest.raises(ContractError) as info:
        engine.handle(event)
    assert info.value.field == field and " / " in str(info.value)
    assert engine.export_state() == before
    assert [a.subject for a in engine.advance("2025-10-31")] == ["OK", "OK"]  # the others go on


def test_advance_past_the_calendar_refuses_without_change() -> None:
    engine = Engine([DemoPlugin()], entry_points=False)
    engine.handle(_assigned("A1"))
    before = engine.export_state()
    for until in ("2041-01-01", "2041-01-01T00:00+08:00", "9999-01-01"):
        with pytest.raises(ContractError) as info:
            engine.advance(until)
        assert info.value.field == "until"
    with pytest.raises(ContractError):
        engine.handle({"id": "t", "type": "tick", "at": "2041-02-01"})
    assert engine.export_state() == before
    assert engine.advance("2040-12-31T23:59")  # the last instant the calendar covers
    assert engine.next_check() is None or engine.next_check() < datetime(2041, 1, 1, tzinfo=BEIJING)


# -- ids -------------------------------------------------------------------------------------------
def test_an_event_id_is_unique_across_the_host() -> None:
    engine = Engine([DemoPlugin()], entry_points=False)
    engine.handle(_assigned("I1"))
    assert engine.handle({**_assigned("I2"), "id": "I1-a"}) == []  # the same id, another subject: processed once
    assert "I2" not in engine.states and engine.is_processed("I1-a")


def test_a_refused_event_does_not_use_up_its_id() -> None:
    engine = Engine([DemoPlugin()], entry_points=False)
    with pytest.raises(ContractError):
        engine.handle({**_assigned("V1"), "data": {"category": "不存在的类别"}, "type": "registered"})
    assert not engine.is_processed("V1-a") and "V1" not in engine.states
    engine.handle(_assigned("V1"))  # the corrected resend, same id
    assert engine.states["V1"].counts == {"assigned": 1}


def test_a_rejected_first_event_leaves_no_subject_and_its_id_free() -> None:
    engine = Engine(entry_points=False)
    registration = {"id": "yn-1", "subject": "YN-1", "type": "registered", "at": "2025-06-02T09:00", "pack": "cn-yn",
                    "data": {"category": "省人民政府重大决策部署", "title": "推进示范县建设"}}  # no 承办人 (handler)
    actions = engine.handle(registration)
    assert [a.kind for a in actions] == ["rejection"]
    assert "YN-1" not in engine.states and not engine.is_processed("yn-1") and not engine._schedules.clocks
    again = engine.handle({**registration, "data": {**registration["data"], "handler": "督查一处 李娜"}})
    assert "rejection" not in [a.kind for a in again] and engine.states["YN-1"].counts == {"registered": 1}


def test_a_tick_without_subject_advances_everyone() -> None:
    engine = Engine([DemoPlugin()], entry_points=False)
    engine.handle(_assigned("K1"))
    engine.handle(_assigned("K2"))
    actions = engine.handle({"id": "tick-1", "type": "tick", "at": "2025-10-31"})
    assert sorted(a.subject for a in actions) == ["K1", "K1", "K2", "K2"]


# -- batches, threads, life cycle ----------------------------------------------------------------------
def test_a_subject_firing_again_and_again_in_one_advance_stays_queued() -> None:
    """Within one unit a subject fires several times (warning, overdue, a new period …): after each
    firing it is queued at its next check, not only after the first."""
    engine = Engine(entry_points=False)
    engine.handle({"id": "q1", "subject": "YN-541", "type": "registered", "at": "2025-03-03T09:00", "pack": "cn-yn",
                   "data": {"category": "省人民政府重大决策部署", "handler": "张三"}})
    for k, (kind, at, data) in enumerate([
            ("assigned", "2025-03-03T10:00", {"lead_unit": "省发改委", "leader": "李四", "time_limit": {"working_days": 60}}),
            ("problem_found", "2025-03-04T10:00", {"problem": "项目审批超时"}),
            ("rectification_planned", "2025-03-14T10:00", {"problem": "项目审批超时"})]):
        engine.handle({"id": f"q{k + 2}", "subject": "YN-541", "type": kind, "at": at, "data": data})
    fired = [a.at.date().isoformat() for a in engine.advance("2025-04-05") if a.subject == "YN-541"]
    assert fired.count("2025-03-18") and fired.count("2025-04-02") and fired.count("2025-04-04")
    assert engine._queue.get("YN-541") == engine._table["YN-541"].next_check()


def test_a_long_advance_is_decided_stored_and_delivered_in_bounded_batches() -> None:
    stored: list[int] = []

    class Store:
        @hookimpl
        def duchaplugin_store(self, changes, actions):
            stored.append(len(actions))

    def run(batch_size: int) -> tuple[list[str], list[list[str]]]:
        engine = Engine([DemoPlugin(), Store()], entry_points=False)
        engine.batch_size = batch_size
        for i in range(30):
            engine.handle(_assigned(f"B{i:02d}", n=1))
        stored.clear()
        batches = [[a.id for a in batch] for batch in engine.advance_iter("2025-12-31")]
        return [i for b in batches for i in b], batches

    whole, one = run(10_000)
    split, batches = run(7)
    assert split == whole and len(one) == 1 and len(batches) == len(stored) > 4
    assert all(len(b) <= 7 + 1 for b in batches)  # a subject's firings at one instant stay together


def test_threads_decide_export_and_read_safely_and_deliver_in_decision_order() -> None:
    """handle, advance, export_state and reading states from several threads at once: no error,
    deliveries never overlap, they come in the order the units were stored, each in time order."""
    log: list[tuple[str, tuple[str, ...]]] = []
    delivering = threading.Lock()
    errors: list[BaseException] = []

    class Host:
        @hookimpl
        def duchaplugin_store(self, changes, actions):
            log.append(("store", tuple(a.id for a in actions)))

        @hookimpl
        def duchaplugin_deliver_actions(self, actions):
            assert delivering.acquire(blocking=False), "two deliveries at once"
            try:
                assert [a.at for a in actions] == sorted(a.at for a in actions)
                log.append(("deliver", tuple(a.id for a in actions)))
            finally:
                delivering.release()

    engine = Engine([DemoPlugin(), Host()], entry_points=False)
    start = datetime(2025, 9, 1, 9, tzinfo=BEIJING)

    def guarded(work: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                work()
            except BaseException as exc:  # reported below
                errors.append(exc)
        return run

    def handler(t: int) -> None:
        for i in range(60):
            engine.handle(_assigned(f"T{t}-{i}", at=(start + timedelta(hours=i)).isoformat(), n=1 + i % 5))

    def advancer() -> None:
        for day in range(40):
            engine.advance(start + timedelta(days=day))

    def reader() -> None:
        for _ in range(30):
            json.dumps(engine.export_state())
            for subject, state in engine.states.items():
                assert state.subject == subject

    threads = [threading.Thread(target=guarded(lambda t=t: handler(t))) for t in range(3)]
    threads += [threading.Thread(target=guarded(advancer)), threading.Thread(target=guarded(reader))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stored = [ids for kind, ids in log if kind == "store" and ids]
    assert stored == [ids for kind, ids in log if kind == "deliver"] and stored


def test_close_frees_the_rulesets_and_set_parameter_the_generation_it_replaces() -> None:
    engine = Engine(entry_points=False)
    packs = len(engine.runtime)
    for k in range(5):
        engine.set_parameter("cn-yn", "summary_report_shift", ["prev_workday", "next_workday"][k % 2])
        engine.compiled("cn-yn")
    assert len(engine.runtime) <= packs
    with engine:
        pass
    assert len(engine.runtime) == 0
    with pytest.raises(RuntimeError, match="closed"):
        engine.handle(_assigned("C1"))
