"""Every event type and the fields of its ``data``, for the core contract and for each pack — the
source of the JSON Schemas (:mod:`duchaplugin.schemas`) and of the tables in ``docs/contract.md``.

A field's type is the one :mod:`duchaplugin.events` enforces (booleans, dates, lists, time limits,
numbers) or text; a vocabulary field (``category``, ``source``, ``situation``…) takes the words the
pack lists (its text, short code or alias), one or a list. A pack adds event types (``pack.yaml``
``event_types``), vocabularies, glossary fields, and the fields its rules read (``data.x``,
``has.x`` in a rule listening to that type). Fields not listed are allowed: the contract grows by
adding fields, never by renaming.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from duchaplugin.events import DATA_TYPES
from duchaplugin.glossary import core_fields, labels
from duchaplugin.models import CORE_EVENT_TYPES

if TYPE_CHECKING:
    from duchaplugin.packset import ResolvedPack

#: The core fields of each core event type (CONTRACT v1, "Core types").
CORE_TYPE_FIELDS: dict[str, tuple[str, ...]] = {
    "registered": ("title", "number", "category", "source", "major", "urgent", "secret", "regular", "handler"),
    "assigned": ("lead_unit", "co_units", "leader", "handler", "time_limit", "due", "signed_by"),
    "progress_reported": ("percent", "text", "sealed", "signed_by"),
    "completion_reported": ("percent", "text", "sealed", "signed_by"),
    "closed": ("approved_by",),
    "reopened": ("reason",),
    "extension_granted": ("time_limit", "due", "reason", "approved_by"),
    "action_taken": ("action", "by", "time_limit", "due"),
    "problem_found": ("problem", "time_limit", "due"),
    "rectification_planned": ("problem",),
    "rectification_reported": ("problem",),
    "verified": ("passed", "problem"),
    "finding": ("situation", "evidence", "serious"),
    "proposed": ("organiser", "in_name_of", "targets", "scope", "method", "period"),
    "approved": ("by", "kind", "reference"),
    "plan_filed": ("content", "targets", "scope"),
    "started": (),
    "ended": (),
    "conclusion_issued": ("targets", "requires_rectification", "evidence"),
    "conclusion_received": ("target", "made_by"),
    "review_requested": ("target",),
    "review_decided": ("target", "result"),
    "declassified": ("approved_by", "reference", "reason"),
    "tick": (),
}

#: What each core field means, in English (its Chinese labels come from the glossary).
FIELD_EN: dict[str, str] = {
    "title": "the item's title", "number": "the item's number (督办编号)", "category": "category, in the pack's words",
    "source": "where the item comes from, in the pack's words", "major": "a major item (重大)", "urgent": "urgent",
    "secret": "classified (涉密): its content never reaches an action", "regular": "regular (常规性) rather than ad hoc",
    "handler": "the person handling it (承办人)", "lead_unit": "the lead unit", "co_units": "the co-operating units",
    "leader": "the responsible leader", "time_limit": "a period: exactly one of working_days, days, weeks, months",
    "due": "the last day (inclusive)", "signed_by": "who signed it", "percent": "share done, 0-100",
    "text": "what was reported", "sealed": "bears the unit's seal", "approved_by": "who approved it", "reason": "why",
    "action": "the id of the action carried out", "by": "who did it", "problem": "the problem found",
    "passed": "the verification passed", "situation": "a situation judged, in the pack's words",
    "evidence": "the evidence", "serious": "serious circumstances", "organiser": "the organising body",
    "in_name_of": "in whose name (government / department)", "targets": "the units supervised",
    "target": "the unit concerned", "scope": "the scope", "content": "the content", "method": "the method",
    "period": "the period", "kind": "the kind (consent, designation, filing…)", "reference": "the document number",
    "requires_rectification": "rectification is required", "result": "the result", "made_by": "the body that made it",
    "unit": "the responsible unit",
}

#: Text fields that may also be a list of texts (several pieces of evidence).
TEXT_OR_LIST = frozenset({"evidence"})

_READ = re.compile(r"(?<![A-Za-z0-9_])(?:data|has)\.([A-Za-z0-9_]+)")


@dataclass
class FieldSpec:
    """One ``data`` field of one event type."""

    name: str
    zh: str = ""  # its Chinese labels
    en: str = ""
    vocabulary: tuple[str, ...] = ()  # the accepted words, when the pack lists them
    vocabulary_name: str = ""  # the vocabulary's name (``approval_kind`` for the field ``kind`` of ``approved``)
    read_by: list[str] = field(default_factory=list)  # rules reading it

    @property
    def adapter(self) -> Any:
        check = DATA_TYPES.get(self.name)
        return check[0] if check else None

    def description(self) -> str:
        zh = self.zh or (f"由规则读取：{'、'.join(self.read_by[:3])}" if self.read_by else "")
        en = self.en or (f"read by rules {', '.join(self.read_by[:3])}" if self.read_by else "")
        return " / ".join(filter(None, (zh, en)))


def event_fields(pack: "ResolvedPack | None" = None) -> dict[str, tuple[str, dict[str, FieldSpec]]]:
    """Event type → (its Chinese name, its data fields), for the core contract or a resolved pack."""
    names = labels(pack.glossary if pack is not None else core_fields())
    types = dict(pack.event_types) if pack is not None else dict(CORE_EVENT_TYPES)
    out: dict[str, tuple[str, dict[str, FieldSpec]]] = {}

    def spec(type_: str, name: str) -> FieldSpec:
        fields = out[type_][1]
        if name not in fields:
            fields[name] = FieldSpec(name, "、".join(names.get(name, [])), FIELD_EN.get(name, ""))
        return fields[name]

    for type_, zh in types.items():
        out[type_] = (zh, {})
        for name in CORE_TYPE_FIELDS.get(type_, ()):
            spec(type_, name)
    if pack is None:
        return out
    for entry in pack.glossary.values():  # a label naming another field on some types (督查对象: target)
        if isinstance(entry, dict):
            for type_, name in (entry.get("on") or {}).items():
                if type_ in out:
                    spec(type_, name)
    for rule in pack.rules:
        triggers = [t for t in rule.on if t in out] if "*" not in rule.on else [t for t in out if t != "tick"]
        read = set(_READ.findall(str(rule.when)) + _READ.findall(str(rule.then)))
        read -= {f"{v.get('field', name)}_code" for name, v in pack.vocabulary.items()}  # set by the engine from the word
        for type_ in triggers:
            for name in sorted(read):
                spec(type_, name).read_by.append(f"{rule.pack}:{rule.id}")
    for name, vocab in pack.vocabulary.items():
        words = tuple(dict.fromkeys(w for entry in vocab.get("values") or []
                                    for w in (entry["text"], entry.get("code"), *(entry.get("aliases") or [])) if w))
        scope = vocab.get("on")
        for type_ in ([scope] if isinstance(scope, str) else scope) if scope else [t for t in out if t != "tick"]:
            if type_ in out:
                field_spec = spec(type_, vocab.get("field", name))
                field_spec.vocabulary, field_spec.vocabulary_name = words, name
    return out


def vocabulary_enum(field_name: str, words: tuple[str, ...]) -> type[enum.Enum]:
    """A vocabulary as an Enum (one ``$defs`` entry in a JSON Schema, however many types use it)."""
    camel = "".join(part.capitalize() for part in field_name.split("_"))
    return enum.Enum(f"{camel}Words", {f"w{i}": word for i, word in enumerate(words)})  # type: ignore[return-value]
