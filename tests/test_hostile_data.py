"""Event data is data, and 涉密 stays secret — in every pack, for every data field any rule reads.

The fields are not listed by hand: they are read off each pack's rules (``data.x``, ``subject.x``,
``has.x`` in conditions; ``data.x``/``subject.x`` and ``{data.x}``/``{subject.x}`` in effects) and its
functions' source (``data.get("x")``, ``attrs["x"]``…). A year of each pack's item and activity events
carries, in every such field, a hostile value — a template, a reference, a format traversal, a huge
text, NUL and bidirectional marks — or, for 涉密 subjects, a marker per field; every action produced
is then checked.
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from datetime import date, datetime, timedelta
from typing import Any, Callable

import pytest

from duchaplugin import ContractError, Engine
from duchaplugin.compiler import condition_keys
from duchaplugin.events import DATA_TYPES
from duchaplugin.limits import MAX_TEXT
from duchaplugin.models import Action
from duchaplugin.packset import ResolvedPack
from duchaplugin.titles import DATA_CAP, RECIPIENT_CAP, TITLE_CAP, _INVISIBLE

PACKS = ["cn", "cn-yn", "cn-xj-hutubi"]
PARAM_MARKER = "参数标记PARAMMARK"   # the value a descriptive parameter is set to: it must never show
REF_MARKER = "引用标记REFMARK"       # a field no rule reads: a value resolved as a reference would show it
HOSTILE = [
    "{subject.title}", "{0.__class__}", "{data.__class__.__init__.__globals__}", "{subject.marker_ref}",
    "subject.marker_ref", "data.marker_ref", "state.ladder_rung", "param:{descriptive}", "{param.{descriptive}}",
    "甲\x00乙\u202e丙\u2066丁\u200f戊\n己\t庚", "长" * MAX_TEXT,
]
#: Fields whose values are structure, not text: the action an action_taken names; a rule's own state.
STRUCTURAL = {"action", "stage", "withdrawn", "marker_ref"}
LISTS = ("targets", "co_units")


# -- what the packs read ----------------------------------------------------------------------------
def read_fields(pack: ResolvedPack) -> set[str]:
    """Every event or subject field a rule's conditions or effects, or a pack function, reads."""
    fields: set[str] = set()
    for rule in pack.rules:
        fields |= {key[2:] for key in condition_keys(rule.when) if key[:2] in ("a_", "d_", "h_")}
        fields |= set(re.findall(r"(?:data|subject)\.([A-Za-z_]\w*)", json.dumps(rule.then, ensure_ascii=False)))
        for effect in rule.then:  # core.reject_missing's fields: {name|other: 文件用语}
            args = effect.get("call", {}).get("args", {}) if isinstance(effect.get("call"), dict) else {}
            fields |= {n for key in (args.get("fields") or {}) for n in key.split("|")}
    for parameter in pack.parameters.values():  # fields a function reads by a parameter's name (registration_required…)
        fields |= {v for v in _words(parameter.value) if re.fullmatch(r"[a-z][a-z_]*", v)}
    for module in {sys.modules[f.__module__] for f in pack.functions.values()}:
        source = inspect.getsource(module)
        fields |= set(re.findall(r"""(?:data|attrs)(?:\.get\(|\[)\s*["']([A-Za-z_]\w*)["']""", source))
        fields |= set(re.findall(r"\{(?:data|subject)\.([A-Za-z_]\w*)", source))
    return fields - {"__class__"}


def _words(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [w for v in value for w in _words(v)]
    if isinstance(value, dict):
        return [w for k, v in value.items() if k == "field" for w in _words(v)]
    return []


def vocabulary_fields(pack: ResolvedPack, event_type: str) -> set[str]:
    out = set()
    for name, vocabulary in pack.vocabulary.items():
        if not vocabulary.get("on") or event_type in vocabulary["on"]:
            field = vocabulary.get("field", name)
            out |= {field, f"{field}_code"}
    return out


def test_the_fields_are_read_off_the_packs() -> None:
    engine = Engine(entry_points=False)
    fields = {p: read_fields(engine.compiled(p).pack) for p in PACKS}
    assert {"targets", "target", "title", "situation_code", "passed"} <= fields["cn"]
    assert {"lead_unit", "leader", "title", "percent", "violation", "feedback_interval", "handler"} <= fields["cn-yn"]
    assert {"lead_unit", "handler", "signed_by", "instruction", "number", "approved_by", "reason"} <= fields["cn-xj-hutubi"]


# -- a year of events --------------------------------------------------------------------------------
SITUATION = {"cn": "obstruction", "cn-yn": "yn-7-1", "cn-xj-hutubi": "dragging"}
VALID: dict[str, dict[str, Any]] = {  # what a step needs beyond free text (vocabulary words, typed values)
    "registered": {"cn": {"basis": "head_instruction"}, "cn-yn": {"category": "central_assigned"},
                   "cn-xj-hutubi": {"regular": False, "source": "online_platform"}},
    "assigned": {"*": {"time_limit": {"working_days": 10}}},
    "approved": {"*": {"kind": "consent"}},
    "progress_reported": {"*": {"percent": 10, "sealed": True}},
    "finding": {"*": {}},
    "problem_found": {"*": {"time_limit": {"days": 10}}},
    "verified": {"*": {"passed": False}},
    "extension_granted": {"*": {"due": "2025-09-30"}},
    "proposed": {"*": {"in_name_of": "government", "basis": "head_instruction", "scope": "statutory_duty",
                       "activity_type": "special", "method": "self_check"}},
    "plan_filed": {"*": {"scope": "statutory_duty"}},
    "conclusion_issued": {"*": {"requires_rectification": True}},
}
ITEM = ["registered", "assigned", "approved", "progress_reported", "finding", "problem_found", "rectification_planned",
        "verified", "completion_reported", "reopened", "extension_granted", "rectification_reported", "completion_reported",
        "closed"]
ACTIVITY = ["proposed", "approved", "plan_filed", "started", "finding", "ended", "conclusion_issued", "conclusion_received",
            "review_requested", "review_decided", "problem_found", "rectification_reported", "verified"]


def run_year(engine: Engine, pack_id: str, subject: str, value: Callable[[str], Any], **first: Any) -> list[Action]:
    """An item and an activity of ``pack_id`` through 2025 (11 days between steps, time advancing), every
    rung proposed confirmed the next day; each free field carries ``value(field)``."""
    pack = engine.compiled(pack_id).pack
    fields = read_fields(pack) - STRUCTURAL - (set(DATA_TYPES) - set(LISTS))  # lists of texts carry the value in a list
    at, actions = datetime(2025, 3, 3, 9, 0), []
    for flow, suffix in ((ITEM, "I"), (ACTIVITY, "A")):
        for n, type_ in enumerate(flow):
            valid = VALID.get(type_, {})
            data = {f: value(f) for f in fields - vocabulary_fields(pack, type_)}
            data.update(valid.get("*", valid.get(pack_id, {})))
            if type_ == "finding":
                data["situation"] = SITUATION[pack_id]
            if n == 0:
                data.update(first)
            data["marker_ref"] = REF_MARKER
            actions += send(engine, {"id": f"{subject}{suffix}-{n}", "subject": subject + suffix, "type": type_,
                                     "at": at.isoformat(), "pack": pack_id, "data": data})
            actions += confirm_all(engine, subject + suffix, at + timedelta(days=1), value)
            at += timedelta(days=11)
    return actions + engine.advance("2025-12-31")


def send(engine: Engine, event: dict) -> list[Action]:
    actions = engine.advance(event["at"])
    try:
        return actions + engine.handle(event)
    except ContractError:
        return actions  # a value the contract refuses (checked separately): nothing applied


def confirm_all(engine: Engine, subject: str, at: datetime, value: Callable[[str], Any]) -> list[Action]:
    state, actions = engine.states.get(subject), []
    for action, record in list((state.flags.get("proposals") or {}).items() if state else []):
        if record["status"] == "awaiting":
            actions += send(engine, {"id": f"c-{action}", "subject": subject, "type": "action_taken", "at": at.isoformat(),
                                     "data": {"action": action, "by": value("by")}})
    return actions


def strings(action: Action) -> list[str]:
    dumped = action.model_dump(mode="json", exclude={"basis", "id", "subject", "rule", "event"})
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
    walk(dumped)
    return out


@pytest.fixture(scope="module")
def hostile() -> tuple[Engine, list[Action]]:
    engine, actions = Engine(entry_points=False), []
    for pack_id in PACKS:
        descriptive = next(n for n, p in engine.compiled(pack_id).pack.parameters.items() if p.pack == "cn" and not p.default
                           and "仅记录文件用语" in p.description)
        engine.set_parameter(pack_id, descriptive, PARAM_MARKER)
        for k, text in enumerate(HOSTILE):
            text = text.replace("{descriptive}", descriptive)
            actions += run_year(engine, pack_id, f"H{pack_id}-{k}-",
                                lambda field, text=text: [text] if field in LISTS else text)
    return engine, actions


def test_hostile_values_are_inserted_as_text_never_read(hostile) -> None:
    _, actions = hostile
    assert len({a.subject[:12] for a in actions}) > 3 and len(actions) > 500
    for action in actions:
        for text in strings(action):
            assert PARAM_MARKER not in text and REF_MARKER not in text, (action.rule, text[:200])
            assert "<class" not in text and "__name__" not in text and "<function" not in text, (action.rule, text[:200])


def test_what_actions_show_is_one_line_without_control_characters_and_capped(hostile) -> None:
    _, actions = hostile
    for action in actions:
        assert len(action.title) <= TITLE_CAP and not _INVISIBLE.search(action.title), action.rule
        for name in (action.to or []) + (action.approvals or []):
            assert len(name) <= RECIPIENT_CAP and not _INVISIBLE.search(name), (action.rule, name[:50])
        for text in strings(action):
            assert len(text) <= max(TITLE_CAP, DATA_CAP) and not _INVISIBLE.search(text), action.rule


def test_a_hostile_value_is_shown_literally(hostile) -> None:
    """Not dropped either: a recipient built from a field shows the field's text."""
    _, actions = hostile
    assert any(name == "{subject.title}" for a in actions for name in a.to or [])
    assert any("param:" in name for a in actions for name in a.to or [])


def test_a_text_over_the_limit_is_refused_naming_its_field() -> None:
    engine = Engine(entry_points=False)
    with pytest.raises(ContractError) as error:
        engine.handle({"id": "big", "subject": "BIG", "type": "registered", "at": "2025-03-03", "pack": "cn-xj-hutubi",
                       "data": {"regular": False, "source": "online_platform", "leader": "长" * (10 * 1024 * 1024)}})
    assert error.value.field == "data.leader" and "BIG" not in engine.states


# -- 涉密 ---------------------------------------------------------------------------------------------
def marker(field: str) -> str:
    return f"密标{field}密标"


@pytest.fixture(scope="module")
def secret() -> tuple[Engine, list[Action]]:
    engine, actions = Engine(entry_points=False), []
    for pack_id in PACKS:
        actions += run_year(engine, pack_id, f"S{pack_id}-", lambda field: [marker(field)] if field in LISTS else marker(field),
                            secret=True)
    return engine, actions


def test_no_action_of_a_secret_subject_shows_anything_but_what_the_pack_lists_as_safe(secret) -> None:
    engine, actions = secret
    for pack_id in PACKS:
        pack = engine.compiled(pack_id).pack
        unsafe = [marker(f) for f in read_fields(pack) - pack.secret_safe]
        assert marker("title") in unsafe and marker("targets") in unsafe and marker("leader") in unsafe
        mine = [a for a in actions if a.subject.startswith(f"S{pack_id}-")]
        assert len(mine) > 20
        for action in actions:  # the secret subjects' own actions, and every other (the dockets' reports)
            dumped = json.dumps(action.to_json(), ensure_ascii=False)
            assert not [m for m in unsafe if m in dumped], (action.subject, action.rule, action.title)
    roles = {name for a in actions for name in a.to or []}
    assert {"承办人", "督查对象"} & roles  # a recipient named in an unsafe field shows as its role


def test_secret_stays_until_an_approved_declassification() -> None:
    engine = Engine(entry_points=False)
    send(engine, {"id": "r", "subject": "SY", "type": "registered", "at": "2025-03-03T09:00", "pack": "cn-yn",
                  "data": {"category": "central_assigned", "handler": "张三", "title": "密题", "secret": True}})
    send(engine, {"id": "a", "subject": "SY", "type": "assigned", "at": "2025-03-03T10:00",
                  "data": {"lead_unit": "省厅", "leader": "王五", "due": "2025-12-31"}})
    later = engine.handle({"id": "p", "subject": "SY", "type": "progress_reported", "at": "2025-03-10T10:00",
                           "data": {"percent": 5, "secret": False, "text": "进展"}})
    assert engine.states["SY"].attrs["secret"] is True and not any("密题" in a.title for a in later)
    with pytest.raises(ContractError) as error:
        engine.handle({"id": "d0", "subject": "SY", "type": "declassified", "at": "2025-03-11T10:00", "data": {}})
    assert error.value.field == "data.approved_by"
    notice, = engine.handle({"id": "d1", "subject": "SY", "type": "declassified", "at": "2025-03-12T10:00",
                             "data": {"approved_by": "省政府办公厅", "reference": "云政办密〔2025〕3号"}})
    assert notice.basis.article == "第二十四条" and "省政府办公厅批准解密" in notice.title
    done = engine.handle({"id": "c", "subject": "SY", "type": "completion_reported", "at": "2025-03-13T10:00"})
    assert any("密题" in a.title for a in done)


def test_the_targets_of_a_secret_activity_are_not_in_its_conclusion_review_or_rectification(secret) -> None:
    """条例 第十六条、第十七条 titles and 第十八条 recipients named the 督查对象 of a 涉密 activity."""
    _, actions = secret
    cn = [a for a in actions if a.subject == "Scn-A" and a.basis.article in ("第十六条第一款", "第十七条", "第十八条")]
    assert {a.basis.article for a in cn} == {"第十六条第一款", "第十七条", "第十八条"}
    assert all(marker("targets") not in json.dumps(a.to_json(), ensure_ascii=False) for a in cn)
    assert any(a.to == ["督查对象"] for a in cn if a.basis.article == "第十八条")


def test_dates_are_from_2025(secret) -> None:
    _, actions = secret
    assert min(a.at.date() for a in actions) >= date(2025, 3, 3)
