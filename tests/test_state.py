"""Exported state, restore, the store hook and Beijing time, as properties over random histories
of every pack (hypothesis; a few examples each by default, more with ``-m slow``)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duchaplugin import Engine
from duchaplugin.calendar import BEIJING
from duchaplugin.errors import StateError
from duchaplugin.hooks import hookimpl
from duchaplugin.schemas import HERE
from duchaplugin.state import FORMAT, SeenIds, add_seen_json, apply_changes, state_to_json
from tests.histories import EXAMPLES, ROOT, at_of, example, generated, histories, run_ops

PACKS = list(EXAMPLES)
FEW = settings(max_examples=3, deadline=None, derandomize=True,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
MORE = settings(FEW, max_examples=25)


class Worker:
    """One process that restores exported state and continues histories (tests/state_worker.py)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "tests.state_worker"], cwd=ROOT, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, encoding="utf-8")
        assert json.loads(self.process.stdout.readline()) == {"ready": True}

    def run(self, state: str, ops: list[dict[str, Any]]) -> list[str]:
        self.process.stdin.write(json.dumps({"state": state, "ops": ops}, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        assert "error" not in answer, answer["error"]
        return answer["out"]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def engine() -> Engine:
    with Engine(entry_points=False) as engine:
        yield engine


@pytest.fixture(scope="module")
def blank(engine: Engine) -> dict[str, Any]:
    return engine.export_state()


@pytest.fixture(scope="module")
def worker() -> Worker:
    worker = Worker()
    yield worker
    worker.close()


def fresh(engine: Engine, blank: dict[str, Any]) -> Engine:
    engine.restore_state(blank)
    return engine


def split_history(data: st.DataObject, engine: Engine, pack: str) -> tuple[list[dict[str, Any]], int]:
    """A random history of ``pack`` and a split point; an advance to a random instant before the
    split's next operation is inserted there (so a split also falls between schedule dates)."""
    events = example(pack) + generated(engine, pack, seed=data.draw(st.integers(0, 3), label="seed"))
    ops = data.draw(histories(events), label="history")
    split = data.draw(st.integers(0, len(ops) - 1), label="split")
    low = at_of(ops[split - 1]) if split else at_of(ops[0]) - timedelta(days=3)
    high = max(at_of(ops[split]), low)
    middle = low + (high - low) * data.draw(st.floats(0, 1), label="fraction")
    ops.insert(split, {"op": "advance", "until": middle.isoformat(timespec="minutes")})
    return ops, split + 1


def check_restore_in_a_new_process(data: st.DataObject, engine: Engine, blank: dict[str, Any], worker: Worker,
                                   pack: str) -> None:
    ops, split = split_history(data, engine, pack)
    whole = run_ops(fresh(engine, blank), ops)
    assert all(engine._queue.get(s) == state.next_check() for s, state in engine._table.items())  # nothing left unqueued
    first = run_ops(fresh(engine, blank), ops[:split])
    text = json.dumps(engine.export_state(), ensure_ascii=False)
    rest = worker.run(text, ops[split:])
    assert first + rest == whole
    assert any(not line.startswith("ERROR") for line in whole)


@pytest.mark.parametrize("pack", PACKS)
@FEW
@given(data=st.data())
def test_export_then_restore_in_a_new_process_continues_as_if_never_stopped(
        pack: str, engine: Engine, blank: dict[str, Any], worker: Worker, data: st.DataObject) -> None:
    """Every pack, random histories (with repeated ids and refused events), any split point:
    export → JSON text → restore in another process → continue == the run that never stopped."""
    check_restore_in_a_new_process(data, engine, blank, worker, pack)


@pytest.mark.slow
@pytest.mark.parametrize("pack", PACKS)
@MORE
@given(data=st.data())
def test_export_then_restore_many_histories(pack: str, engine: Engine, blank: dict[str, Any], worker: Worker,
                                            data: st.DataObject) -> None:
    check_restore_in_a_new_process(data, engine, blank, worker, pack)


# -- Beijing time ----------------------------------------------------------------------------------
NOTATIONS = ("naive", "+08:00", "Z", "+00:00", "-05:00")


def written(at: str, notation: str) -> str:
    """The same instant (``at``: Beijing time, naive) in another notation."""
    instant = datetime.fromisoformat(at).replace(tzinfo=BEIJING)
    if notation == "naive":
        return instant.replace(tzinfo=None).isoformat()
    if notation == "Z":
        return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    offset = {"+08:00": 8, "+00:00": 0, "-05:00": -5}[notation]
    return instant.astimezone(timezone(timedelta(hours=offset))).isoformat()


@pytest.mark.parametrize("pack", PACKS)
@FEW
@given(data=st.data())
def test_any_offset_gives_byte_identical_actions(pack: str, engine: Engine, blank: dict[str, Any], data: st.DataObject) -> None:
    """Java ``Instant`` and JavaScript ``toISOString()`` write ``Z``: the same history written with
    ``Z``, ``+00:00``, ``-05:00``, ``+08:00`` or no offset gives the same actions, byte for byte."""
    ops = data.draw(histories(example(pack)), label="history")
    canonical = run_ops(fresh(engine, blank), ops)
    notation = st.sampled_from(NOTATIONS)
    rewritten = []
    for op in ops:
        if op["op"] == "advance":
            rewritten.append({**op, "until": written(op["until"], data.draw(notation))})
        else:
            at = op["event"]["at"]
            at = at if len(at) == 10 else written(at, data.draw(notation))
            rewritten.append({**op, "event": {**op["event"], "at": at}})
    assert run_ops(fresh(engine, blank), rewritten) == canonical


def test_a_z_timestamp_is_the_same_beijing_day(engine: Engine, blank: dict[str, Any]) -> None:
    """Beijing 2025-03-07 05:00 written as 2025-03-06T21:00Z: the same due date, the same ids; the
    effective date is read on the Beijing date (cn-yn applies from 2018-04-16)."""
    def due(at: str) -> list[str]:
        fresh(engine, blank)
        event = {"id": "z1", "subject": "Z-1", "type": "assigned", "at": at, "pack": "cn-yn",
                 "data": {"lead_unit": "省发展改革委", "leader": "主任", "time_limit": {"working_days": 1}}}
        return [json.dumps(a.to_json(), sort_keys=True) for a in engine.handle(event)] + \
            [engine.export_state()["subjects"]["Z-1"]["timers"]["yn_due"]["last_day"]]
    assert due("2025-03-06T21:00Z") == due("2025-03-07T05:00") == due("2025-03-07T05:00+08:00")
    assert engine.export_state()["subjects"]["Z-1"]["timers"]["yn_due"]["last_day"] == "2025-03-10"
    fresh(engine, blank)
    engine.handle({"id": "y", "subject": "Y-1", "type": "registered", "at": "2018-04-15T16:30Z", "pack": "cn-yn",
                   "data": {"category": "省人民政府重大决策部署", "handler": "李娜", "title": "测试"}})
    assert engine.export_state()["subjects"]["Y-1"]["created_at"] == "2018-04-16T00:30:00+08:00"


# -- the document and the store hook ------------------------------------------------------------------
class Recorder:
    def __init__(self) -> None:
        self.stored: list[tuple[dict[str, Any], list[Any]]] = []
        self.delivered: list[list[Any]] = []
        self.fail = False

    @hookimpl
    def duchaplugin_store(self, changes, actions):
        if self.fail:
            raise ConnectionError("database is down")
        json.dumps(changes)  # plain data
        self.stored.append((changes, list(actions)))

    @hookimpl
    def duchaplugin_deliver_actions(self, actions):
        self.delivered.append(list(actions))


@pytest.mark.parametrize("pack", PACKS)
def test_changes_fold_into_the_next_export_and_come_before_delivery(pack: str) -> None:
    recorder = Recorder()
    with Engine([recorder], entry_points=False) as engine:
        snapshot = engine.export_state()
        ops = [{"op": "event", "event": e} for e in example(pack)] + [{"op": "advance", "until": "2026-01-10"}]
        for op in ops:
            run_ops(engine, [op])
            for changes, _ in recorder.stored:
                snapshot = apply_changes(snapshot, changes)
            assert snapshot == engine.export_state()
            stored = [a.id for _, actions in recorder.stored for a in actions]
            assert stored == [a.id for batch in recorder.delivered for a in batch]  # stored, then delivered
            recorder.stored.clear()
            recorder.delivered.clear()
        jsonschema.validate(snapshot, json.loads((HERE / "state.schema.json").read_text(encoding="utf-8")))


def test_a_failing_store_rolls_the_decision_back_and_delivers_nothing() -> None:
    recorder = Recorder()
    with Engine([recorder], entry_points=False) as engine:
        events = example("cn-xj-hutubi")
        for event in events[:10]:
            run_ops(engine, [{"op": "event", "event": event}])
        before, checks = engine.export_state(), engine.next_check()
        recorder.fail, recorder.delivered = True, []
        with pytest.raises(ConnectionError):
            engine.handle(events[10])
        with pytest.raises(ConnectionError):
            engine.advance("2025-12-31")
        with pytest.raises(ConnectionError):
            engine.set_parameter("cn-xj-hutubi", "annual_plan_by", "02-28")
        assert engine.export_state() == before and engine.next_check() == checks and recorder.delivered == []
        recorder.fail = False
        assert engine.handle(events[10]) == recorder.stored[-1][1]


def test_export_is_plain_json_in_a_stable_order(engine: Engine, blank: dict[str, Any]) -> None:
    ops = [{"op": "event", "event": e} for e in example("cn-yn")[:40]]
    run_ops(fresh(engine, blank), ops)
    data = engine.export_state()
    assert list(data) == ["format", "version", "calendar_version", "parameters", "clocks", "subjects", "seen"]
    assert data["format"] == FORMAT and data["version"] == 1
    assert json.loads(json.dumps(data)) == data
    state = engine._table[next(s for s in data["subjects"] if not s.startswith("@"))]
    assert state_to_json(state) == state.model_dump(mode="json")
    assert all(c.endswith("+08:00") for c in data["clocks"].values())
    assert data["seen"]["runs"]["yn25-0"] and not data["seen"]["ids"]  # yn25-001…040: runs, not a list


@pytest.mark.parametrize("change, field", [
    (lambda d: d.pop("format"), "format"),
    (lambda d: d.update(version=2), "version"),
    (lambda d: d.update(version=0), "version"),
    (lambda d: d["subjects"]["X"].update(created_at=1700000000), "subjects.X.created_at"),
    (lambda d: d["subjects"]["X"].update(pack="cn-nowhere"), "subjects.X.pack"),
    (lambda d: d.update(parameters={"cn-yn": {"no_such_parameter": 1}}), "parameters.cn-yn.no_such_parameter"),
    (lambda d: d.update(calendar_version="sha256:other"), "calendar_version"),
    (lambda d: d.update(extra=1), "extra"),
])
def test_state_that_cannot_be_restored_is_refused_whole(engine: Engine, blank: dict[str, Any], change, field: str) -> None:
    fresh(engine, blank)
    engine.handle({"id": "x1", "subject": "X", "type": "registered", "at": "2025-03-03T09:00", "pack": "cn-yn",
                   "data": {"category": "省人民政府重大决策部署", "handler": "李娜", "title": "测试"}})
    data = json.loads(json.dumps(engine.export_state()))
    before = engine.export_state()
    change(data)
    with pytest.raises(StateError) as info:
        engine.restore_state(data)
    assert info.value.field == field and " / " in str(info.value)
    assert engine.export_state() == before


def test_restore_replaces_everything_including_parameters(engine: Engine, blank: dict[str, Any]) -> None:
    fresh(engine, blank)
    engine.set_parameter("cn-yn", "summary_report_shift", "prev_workday")
    chosen = engine.export_state()
    assert chosen["parameters"] == {"cn-yn": {"summary_report_shift": "prev_workday"}}
    engine.restore_state(blank)
    assert engine.compiled("cn-yn").pack.param("summary_report_shift") != "prev_workday"
    engine.restore_state(json.loads(json.dumps(chosen)))
    assert engine.compiled("cn-yn").pack.param("summary_report_shift") == "prev_workday"
    assert engine.export_state() == chosen
    fresh(engine, blank)


def test_a_calendar_changed_since_the_export_is_named(engine: Engine, blank: dict[str, Any]) -> None:
    from datetime import date

    from duchaplugin import calendar
    data = fresh(engine, blank).export_state()
    try:
        calendar.add_days(None, rest_days=[date(2025, 9, 23)], source="测试用的临时休息日", name="测试")
        with pytest.raises(StateError, match="calendar_version"):
            engine.restore_state(data)
        engine.restore_state(data, allow_calendar_change=True)
    finally:
        calendar.reset()
    engine.restore_state(blank)


# -- processed ids ---------------------------------------------------------------------------------
def test_seen_ids_are_runs_and_a_set() -> None:
    seen = SeenIds()
    ids = [f"e{i}" for i in range(1, 20_001)] + ["DB-7-e01", "DB-7-e2", "uuid-4f2a", "e0", "x"]
    for event_id in reversed(ids):
        assert seen.add(event_id)
    assert not seen.add("e77") and "e20000" in seen and "e20001" not in seen and "e01" not in seen
    data = seen.to_json()
    assert data == {"runs": {"DB-7-e": [[2, 2]], "DB-7-e0": [[1, 1]], "e": [[0, 20_000]]}, "ids": ["uuid-4f2a", "x"]}
    again = SeenIds.from_json(data)
    assert len(again) == len(seen) == len(ids) and all(i in again for i in ids)
    assert add_seen_json(data, ["e20001", "e20003", "y"]) == {
        "runs": {"DB-7-e": [[2, 2]], "DB-7-e0": [[1, 1]], "e": [[0, 20_001], [20_003, 20_003]]}, "ids": ["uuid-4f2a", "x", "y"]}
    assert data["runs"]["e"] == [[0, 20_000]]  # not modified


# -- the command line ------------------------------------------------------------------------------
def test_replay_in_two_halves_with_a_state_file_gives_the_actions_of_one_run(tmp_path) -> None:
    from tests.test_contract import run_cli

    lines = (ROOT / "examples" / "hutubi-2025.jsonl").read_text(encoding="utf-8").splitlines()
    whole, first, second = (tmp_path / name for name in ("whole.jsonl", "first.jsonl", "second.jsonl"))
    whole.write_text("\n".join(lines), encoding="utf-8")
    first.write_text("\n".join(lines[:70]), encoding="utf-8")
    second.write_text("\n".join(lines[70:]), encoding="utf-8")
    state = tmp_path / "state.json"
    once = run_cli("replay", str(whole), "--until", "2026-01-10")
    day1 = run_cli("replay", str(first), "--state", str(state))
    saved = state.read_text(encoding="utf-8")
    day2 = run_cli("replay", str(second), "--state", str(state), "--until", "2026-01-10")
    assert once.returncode == day1.returncode == day2.returncode == 0, day2.stderr
    assert day1.stdout + day2.stdout == once.stdout and once.stdout
    assert json.loads(saved)["format"] == FORMAT and state.read_text(encoding="utf-8") != saved
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.jsonl", "second.jsonl", "state.json", "whole.jsonl"]
    state.write_text("{不是 JSON", encoding="utf-8")
    broken = run_cli("replay", str(second), "--state", str(state))
    assert broken.returncode == 2 and "状态文件" in broken.stderr and "state file" in broken.stderr
    assert state.read_text(encoding="utf-8") == "{不是 JSON"  # left as it was
