"""Rule conditions as data → durable-rules ruleset definitions (JSON).

A condition names a fact key: ``type``, or ``<space>.<name>`` where space is ``subject`` (the
subject's recorded fields), ``data`` (this event's data), ``has`` (this event's data has a
non-empty field), ``state`` (flags set by rules), ``count`` (events of a type so far), ``timer``
(``running``/``overdue`` or absent), ``fact`` (a value computed by a pack function). Values are
literals, ``param:<name>``, or ``{op: value}`` with op in ``== != < <= > >= in exists``.

``param.<name>`` compares a parameter of the pack (one of its readings) and is decided when the pack
is built, not per fact: a rule whose ``param.`` condition does not hold never fires; one that holds
adds nothing to the match (``Engine.set_parameter`` rebuilds the pack).
"""

from __future__ import annotations

from typing import Any

from duchaplugin.errors import PackError
from duchaplugin.packset import ResolvedPack
from duchaplugin.pack import Rule

SPACES = {"subject": "a_", "data": "d_", "has": "h_", "state": "s_", "count": "c_", "timer": "t_", "fact": "f_"}
_OPS = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_COMPARE = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b, ">=": lambda a, b: a >= b, "in": lambda a, b: a in b,
            "exists": lambda a, b: (a is not None) == bool(b)}
NEVER = {"$ex": {"never_": 1}}  # no fact carries this key: the term of a parameter condition that does not hold


def fact_key(name: str) -> str:
    """``subject.major`` → ``a_major``; ``type`` stays ``type``."""
    if name == "type":
        return "type"
    space, _, field = name.partition(".")
    if space not in SPACES or not field:
        raise ValueError(f"条件键应为 type 或 {'/'.join(SPACES)}.<名称>：{name!r} / a condition key is type or <space>.<name>: {name!r}")
    return SPACES[space] + field


def _value(value: Any, pack: ResolvedPack) -> Any:
    if isinstance(value, str) and value.startswith("param:"):
        return pack.param(value[6:])
    return value


def _condition(key: str, spec: Any, pack: ResolvedPack) -> dict:
    if not isinstance(spec, dict):
        value = _value(spec, pack)
        if value is False or value is None:  # an absent field reads as false
            return {"$or": [{key: False}, {key: None}, {"$nex": {key: 1}}]}
        return {key: value}
    (op, raw), = spec.items()
    value = _value(raw, pack)
    if op == "==":
        return _condition(key, value, pack)
    if op == "!=":
        return {"$or": [{"$neq": {key: value}}, {key: None}, {"$nex": {key: 1}}]}
    if op in _OPS:
        return {_OPS[op]: {key: value}}
    if op == "in":
        return {"$or": [{key: v} for v in value]}
    if op == "exists":
        return {"$ex": {key: 1}} if value else {"$or": [{"$nex": {key: 1}}, {key: None}]}
    raise ValueError(f"未知的比较符 {op!r} / unknown operator {op!r}")


def parameter_holds(name: str, spec: Any, pack: ResolvedPack) -> bool:
    """A ``param.<name>`` condition, decided on the pack's current value of the parameter."""
    actual = pack.param(name)
    if not isinstance(spec, dict):
        spec = {"==": spec}
    (op, raw), = spec.items()
    if op not in _COMPARE:
        raise ValueError(f"未知的比较符 {op!r} / unknown operator {op!r}")
    expected = _value(raw, pack)
    if op == "==" and expected is False:  # as for facts, false also holds for an absent (null) value
        return actual in (False, None)
    try:
        return bool(_COMPARE[op](actual, expected))
    except TypeError:
        return False


def _conditions(when: dict[str, Any], pack: ResolvedPack) -> list[dict]:
    """All conditions of a mapping; the key ``any`` holds a list of mappings of which one must hold.
    Parameter conditions are decided here: one that holds adds no term, one that does not adds
    :data:`NEVER`."""
    terms = []
    for name, spec in when.items():
        if name == "any":
            alternatives = [_conditions(alt, pack) for alt in spec]
            alternatives = [alt for alt in alternatives if NEVER not in alt]
            if any(not alt for alt in alternatives):
                continue  # an alternative holds whatever the fact
            terms.append({"$or": [alt[0] if len(alt) == 1 else {"$and": alt} for alt in alternatives]} if alternatives
                         else NEVER)
        elif name.startswith("param."):
            if not parameter_holds(name[6:], spec, pack):
                terms.append(NEVER)
        else:
            terms.append(_condition(fact_key(name), spec, pack))
    return terms


def condition_keys(when: dict[str, Any]) -> set[str]:
    """The fact keys a ``when`` mapping reads (parameter conditions read none)."""
    keys: set[str] = set()
    for name, spec in when.items():
        if name == "any":
            for alt in spec:
                keys |= condition_keys(alt)
        elif not name.startswith("param."):
            keys.add(fact_key(name))
    return keys


def condition_parameters(when: dict[str, Any]) -> set[str]:
    """The parameters a ``when`` mapping reads: ``param.<name>`` keys and ``param:<name>`` values."""
    names: set[str] = set()
    for name, spec in when.items():
        if name == "any":
            for alt in spec:
                names |= condition_parameters(alt)
            continue
        if name.startswith("param."):
            names.add(name[6:])
        for value in (spec.values() if isinstance(spec, dict) else [spec]):
            if isinstance(value, str) and value.startswith("param:"):
                names.add(value[6:])
    return names


def compile_rule(rule: Rule, pack: ResolvedPack) -> dict:
    """The durable-rules definition of one rule (single-fact, so every matching rule fires)."""
    terms: list[dict] = []
    types = [t for t in rule.on if t != "*"]
    if types:
        terms.append({"type": types[0]} if len(types) == 1 else {"$or": [{"type": t} for t in types]})
    try:
        terms += _conditions(rule.when, pack)
    except (ValueError, PackError) as exc:
        raise PackError(f"规则 {rule.id} 的条件有误：{exc}", f"bad condition in rule {rule.id}: {exc}",
                        field=f"{rule.pack} {rule.source}") from None
    if not terms:
        terms.append({"$ex": {"type": 1}})
    match = terms[0] if len(terms) == 1 else {"$and": terms}
    return {"all": [{"m": match}], "run": rule.id}


def compile_ruleset(pack: ResolvedPack) -> dict[str, dict]:
    return {f"r{i}": compile_rule(rule, pack) | {"run": f"r{i}"} for i, rule in enumerate(pack.rules)}
