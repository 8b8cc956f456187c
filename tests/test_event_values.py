"""Values hosts send are checked, not trusted: vocabulary codes like words, booleans as booleans,
numbers finite and in range, texts and ids bounded; a vocabulary may be scoped to event types."""

from __future__ import annotations

import json

import pytest

from duchaplugin import ContractError, Engine
from tests.fixtures import DemoPlugin


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine([DemoPlugin()], entry_points=False)


def event(subject: str, type_: str = "registered", **data) -> dict:
    return {"id": f"{subject}-{type_}", "subject": subject, "type": type_, "at": "2025-03-03T09:00", "pack": "demo",
            "data": data}


def refused(engine: Engine, sent: dict | str) -> ContractError:
    with pytest.raises(ContractError) as error:
        engine.handle(sent)
    assert " / " in str(error.value)
    return error.value


def test_a_code_sent_alone_is_checked_and_normalised_like_a_word(engine: Engine) -> None:
    engine.handle(event("C1", category_code="key"))
    assert engine.states["C1"].attrs["category"] == "重点工作" and engine.states["C1"].attrs["category_code"] == "key"
    assert refused(engine, event("C2", category_code="dragging")).field == "data.category_code"
    assert refused(engine, event("C3", category="重点工作", category_code="other")).field == "data.category_code"
    assert "C2" not in engine.states and "C3" not in engine.states


def test_fields_a_host_resends_are_normalised_again(engine: Engine) -> None:
    engine.handle(event("C4", category="重点工作"))
    engine.handle({**event("C4", "progress_reported", category="key", category_code="key"), "id": "C4-p"})
    assert engine.states["C4"].attrs["category"] == "重点工作"


def test_a_vocabulary_scoped_to_event_types(engine: Engine) -> None:
    engine.handle(event("V1", "finding", level="严重"))
    engine.handle({**event("V1", "progress_reported", level="late"), "id": "V1-p"})
    assert engine.states["V1"].attrs["level"] == "滞后" and engine.states["V1"].attrs["level_code"] == "late"
    assert refused(engine, {**event("V1", "finding", level="滞后"), "id": "V1-f2"}).field == "data.level"
    engine.handle({**event("V1", "assigned", level="随便写", time_limit={"days": 3}), "id": "V1-a"})  # not a word here


@pytest.mark.parametrize("data, field", [
    ({"percent": 1000}, "data.percent"), ({"percent": -1}, "data.percent"), ({"percent": True}, "data.percent"),
    ({"percent": "50"}, "data.percent"), ({"percent": float("nan")}, "data.percent"),
    ({"percent": float("inf")}, "data.percent"), ({"major": "yes"}, "data.major"), ({"secret": 1}, "data.secret"),
    ({"time_limit": {"working_days": True}}, "data.time_limit"), ({"time_limit": {"days": 2.5}}, "data.time_limit"),
    ({"time_limit": {"days": 10 ** 9}}, "data.time_limit"), ({"organiser_level": 0}, "data.organiser_level"),
    ({"text": "字" * 10_001}, "data.text"), ({"extra": {"amounts": [1.0, float("-inf")]}}, "data.extra.amounts"),
])
def test_values_out_of_their_type_or_range_are_refused(engine: Engine, data: dict, field: str) -> None:
    assert refused(engine, event("N1", "assigned", **data)).field == field
    assert "N1" not in engine.states


@pytest.mark.parametrize("text", ['{"id": "1", "subject": "N2", "type": "assigned", "at": "2025-03-03", "pack": "demo", '
                                  '"data": {"percent": NaN}}',
                                  '{"id": "1", "subject": "N2", "type": "assigned", "at": "2025-03-03", "pack": "demo", '
                                  '"data": {"x": [Infinity]}}'])
def test_json_nan_and_infinity_are_refused(engine: Engine, text: str) -> None:
    assert "finite" in str(refused(engine, text))


@pytest.mark.parametrize("name, value", [("subject", "N3\u0000"), ("subject", "N\u202e3"), ("id", "x\u200b1"), ("id", "x" * 201)])
def test_ids_are_bounded_and_plain(engine: Engine, name: str, value: str) -> None:
    assert refused(engine, {**event("N3", "assigned", time_limit={"days": 3}), name: value}).field == name


def test_the_time_limit_a_host_sends_is_read_as_before(engine: Engine) -> None:
    engine.handle(event("N4", "assigned", time_limit={"working_days": 5}, percent=37.5))
    assert engine.states["N4"].attrs["percent"] == 37.5 and json.dumps(engine.states["N4"].attrs["time_limit"])
