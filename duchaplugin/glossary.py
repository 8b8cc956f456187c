"""The glossary: the Chinese labels a 督查室 reader writes (牵头单位、办理时限) ↔ the contract's fields.

Features and the published specification speak in these labels; events carry the fields. The core
labels (``duchaplugin/glossary.yaml``) hold for every pack; a pack adds or re-labels its own fields in
its ``glossary.yaml``, and a label may name another field on some event types (督查对象 is ``targets``
on a plan and ``target`` on a 复核 request).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from duchaplugin.errors import PackError
from duchaplugin.yamlio import display_path, line_of, load_yaml

CORE_PATH = Path(__file__).with_name("glossary.yaml")


@lru_cache(maxsize=1)
def core_fields() -> dict[str, Any]:
    """The core labels (read once)."""
    return read_fields(CORE_PATH)


def read_fields(path: Path) -> dict[str, Any]:
    """A glossary file's ``fields`` mapping, each entry checked: ``label: field`` or
    ``label: {field: f, on: {event_type: other_field}}``."""
    doc = load_yaml(path) or {}
    fields = doc.get("fields") if isinstance(doc, dict) else None
    if not isinstance(fields, dict):
        raise PackError("术语表须有 fields 映射（中文标签: 字段）", "a glossary needs a fields mapping (label: field)",
                        file=display_path(path), line=line_of(doc))
    for label, entry in fields.items():
        ok = isinstance(entry, str) or (isinstance(entry, dict) and isinstance(entry.get("field"), str)
                                        and isinstance(entry.get("on") or {}, dict))
        if not ok:
            raise PackError(f"术语 {label} 应写作“标签: 字段”或“标签: {{field: 字段, on: {{事件类型: 字段}}}}”",
                            f"glossary entry {label} must be 'label: field' or 'label: {{field, on}}'",
                            file=display_path(path), line=line_of(fields, label))
    return dict(fields)


def field_for(glossary: Mapping[str, Any], label: str, event_type: str | None = None) -> str | None:
    """The field a label names (on ``event_type``), or None for an unknown label."""
    entry = glossary.get(label.strip())
    if entry is None:
        return None
    if isinstance(entry, str):
        return entry
    return (entry.get("on") or {}).get(event_type, entry["field"])


def labels(glossary: Mapping[str, Any]) -> dict[str, list[str]]:
    """Field → its labels, in glossary order (for the specification's glossary table)."""
    out: dict[str, list[str]] = {}
    for label, entry in glossary.items():
        names = [entry] if isinstance(entry, str) else [entry["field"], *(entry.get("on") or {}).values()]
        for name in dict.fromkeys(names):
            out.setdefault(name, []).append(label)
    return out
