"""JSON Schemas of the host contract, generated from the pydantic models and shipped here so a
host in Java or C# can generate its classes; ``tests/test_schemas.py`` keeps them in sync and
validates every example docket against them.

- ``event.schema.json``: the core contract — one variant per core event type, discriminated by
  ``type``, each with its ``data`` fields;
- ``event-<pack>.schema.json``: the same for one pack — its own event types, the fields its rules
  read, and its vocabularies as enumerations (the document's words, codes and aliases);
- ``action.schema.json``, ``subject-state.schema.json``, ``state.schema.json`` (``Engine.export_state``):
  the models as they are.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import ConfigDict, Field, TypeAdapter, WithJsonSchema, create_model

from duchaplugin.eventdata import TEXT_OR_LIST, FieldSpec, event_fields, vocabulary_enum
from duchaplugin.models import Action, Event, SubjectState
from duchaplugin.state import StateDocument

if TYPE_CHECKING:
    from duchaplugin.packset import ResolvedPack

HERE = Path(__file__).parent
MODELS = {"action": Action, "subject-state": SubjectState, "state": StateDocument}
ID_BASE = "https://duchaplugin.invalid/schemas/"
#: An event's ``at`` as the contract reads it (``models.parse_instant``): a date, or a date and time with
#: or without seconds and offset (no offset: Beijing time). RFC 3339 ``date-time`` would refuse
#: ``2025-09-28T09:00`` and ``2025-09-28``, which hosts send.
INSTANT = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$",
           "description": "ISO-8601 日期或日期时间；无时区按北京时间，仅日期为当日0时 / an ISO-8601 date or date-time;"
                          " without an offset Beijing time, a bare date 00:00 that day"}


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("-", "_").split("_"))


def event_schema(pack: "ResolvedPack | None" = None) -> dict[str, Any]:
    """The events of the core contract (``pack`` None) or of one resolved pack, as one JSON Schema:
    a variant per event type (``oneOf``, discriminated by ``type``), each with its ``data``."""
    enums: dict[tuple[str, tuple[str, ...]], Any] = {}

    def annotation(spec: FieldSpec) -> Any:
        if spec.vocabulary:
            name = spec.vocabulary_name or spec.name
            words = enums.setdefault((name, spec.vocabulary), vocabulary_enum(name, spec.vocabulary))
            return Union[words, list[words]]  # type: ignore[valid-type]
        adapter = spec.adapter  # the type events.py enforces
        if adapter is not None:
            return Annotated[Any, WithJsonSchema(adapter.json_schema())]
        if spec.name in TEXT_OR_LIST:
            return Union[str, list[str]]
        return str if spec.en or spec.zh else Any

    variants = []
    for type_, (zh, fields) in event_fields(pack).items():
        data = create_model(  # type: ignore[call-overload]
            f"{_camel(type_)}Data", __config__=ConfigDict(extra="allow"),
            **{name: (annotation(spec) | None, Field(None, description=spec.description() or None))
               for name, spec in fields.items()})
        variants.append(create_model(  # type: ignore[call-overload]
            f"{_camel(type_)}Event", __base__=Event,
            type=(Literal[type_], Field(description=f"{zh} / {type_}")),
            at=(Annotated[Any, WithJsonSchema(INSTANT)], Field(description=Event.model_fields["at"].description)),
            data=(data, Field(default_factory=dict, description="类型相关字段 / type-specific fields"))))
    schema = TypeAdapter(Annotated[Union[tuple(variants)], Field(discriminator="type")]).json_schema()
    schema["title"] = f"{pack.id} 事件 / events of pack {pack.id}" if pack else "事件 / events (core contract)"
    schema["description"] = (f"{pack.pack.number}《{pack.pack.title}》" if pack else Event.__doc__ or "")
    return schema


def render(name: str, pack: "ResolvedPack | None" = None) -> str:
    """A schema file's text: ``event``, ``event-<pack>`` (with its resolved ``pack``) or a model's."""
    if name == "event" or name.startswith("event-"):
        schema = event_schema(pack)
    else:
        schema = MODELS[name].model_json_schema(mode="validation" if name == "state" else "serialization")
    schema["$id"] = f"{ID_BASE}{name}.schema.json"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def schema_names(packs: dict[str, "ResolvedPack"]) -> dict[str, "ResolvedPack | None"]:
    """Every schema's name → the pack it describes (None for the core ones)."""
    return {"event": None, **{f"event-{pack_id}": pack for pack_id, pack in packs.items()}, **dict.fromkeys(MODELS)}


def write_schemas(directory: Path, packs: dict[str, "ResolvedPack"]) -> list[Path]:
    """Write the core schemas and one event schema per pack into ``directory`` (which must exist)."""
    paths = []
    for name, pack in schema_names(packs).items():
        path = directory / f"{name}.schema.json"
        path.write_text(render(name, pack), encoding="utf-8")
        paths.append(path)
    return paths
