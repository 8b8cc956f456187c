"""JSON Schemas of the host contract, generated from the pydantic models and shipped here so a
host in Java or C# can generate its classes; ``tests/test_schemas.py`` keeps them in sync."""

from __future__ import annotations

import json
from pathlib import Path

from duchaplugin.models import Action, Event, SubjectState
from duchaplugin.state import StateDocument

HERE = Path(__file__).parent
MODELS = {"event": Event, "action": Action, "subject-state": SubjectState, "state": StateDocument}


def render(name: str) -> str:
    schema = MODELS[name].model_json_schema(mode="serialization" if name not in ("event", "state") else "validation")
    schema["$id"] = f"https://duchaplugin.invalid/schemas/{name}.schema.json"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(directory: Path | None = None) -> list[Path]:
    directory = directory or HERE
    paths = []
    for name in MODELS:
        path = directory / f"{name}.schema.json"
        path.write_text(render(name), encoding="utf-8")
        paths.append(path)
    return paths
