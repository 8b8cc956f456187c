"""The shipped JSON Schemas: generated from the models, discriminated by event type, with each pack's
fields and vocabularies; every line of every example docket validates against its pack's schema,
and what the engine refuses for its shape the schema refuses too."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import pytest

from duchaplugin import Engine
from duchaplugin.schemas import HERE, render, schema_names

ROOT = Path(__file__).resolve().parent.parent
ENGINE = Engine(entry_points=False)
PACKS = {pack_id: ENGINE.compiled(pack_id).pack for pack_id in ENGINE.packs}
NAMES = schema_names(PACKS)


@pytest.mark.parametrize("name", NAMES)
def test_shipped_schemas_match_the_models(name: str) -> None:
    assert (HERE / f"{name}.schema.json").read_text(encoding="utf-8") == render(name, NAMES[name]), \
        "schemas out of date: run `duchaplugin schema duchaplugin/schemas`"


def _validator(name: str):  # type: ignore[no-untyped-def]
    """A validator of a shipped schema (jsonschema-rs: the meta-schema checked, formats too)."""
    schema = json.loads((HERE / f"{name}.schema.json").read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema, validate_formats=True)


def _errors(validator, event: dict) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{'/'.join(map(str, e.instance_path))}: {e.message[:300]}" for e in validator.iter_errors(event)]


@pytest.mark.parametrize("example", sorted(p.name for p in (ROOT / "examples").glob("*.jsonl")))
def test_every_example_event_validates_against_its_packs_schema(example: str) -> None:
    validators: dict[str, object] = {}
    subjects: dict[str, str] = {}
    lines = (ROOT / "examples" / example).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        event = json.loads(line)
        pack = subjects.setdefault(event["subject"], event.get("pack") or "")
        assert pack or event["type"] == "tick", f"{example}:{number}: no pack for {event['subject']}"
        name = f"event-{pack}" if pack else "event"  # a tick needs no pack
        validator = validators.setdefault(name, _validator(name))
        assert not (errors := _errors(validator, event)), f"{example}:{number}: {errors}"
    assert len(lines) > 10


EVENT = {"id": "e1", "subject": "S1", "type": "registered", "at": "2025-03-03T09:00", "pack": "cn-yn",
         "data": {"category": "省人民政府重大决策部署", "title": "推进某项改革", "major": True}}


@pytest.mark.parametrize("change", [
    {"type": "registerd"}, {"data": {"category": "很多"}}, {"data": {"major": "是"}},
    {"type": "assigned", "data": {"time_limit": {"working_days": 5, "days": 3}}},
    {"type": "assigned", "data": {"due": "2025-13-45"}}, {"id": ""}, {"at": "tomorrow"},
])
def test_the_schema_refuses_what_the_engine_refuses(change: dict) -> None:
    from duchaplugin.errors import ContractError

    event = {**EVENT, **change}
    assert _errors(_validator("event-cn-yn"), event), f"the schema accepts {event}"
    with pytest.raises(ContractError):
        Engine(entry_points=False).handle(event)


def test_the_core_schema_lists_every_core_type_with_its_fields() -> None:
    schema = json.loads((HERE / "event.schema.json").read_text(encoding="utf-8"))
    mapping = schema["discriminator"]["mapping"]
    assert {"registered", "assigned", "action_taken", "review_requested", "tick"} <= set(mapping)
    assigned = schema["$defs"]["AssignedData"]["properties"]
    assert {"lead_unit", "co_units", "time_limit", "due"} <= set(assigned)
    assert "牵头单位" in assigned["lead_unit"]["description"]
    yn = json.loads((HERE / "event-cn-yn.schema.json").read_text(encoding="utf-8"))
    assert "training_held" in yn["discriminator"]["mapping"]
    assert "省人民政府重大决策部署" in yn["$defs"]["CategoryWords"]["enum"]
