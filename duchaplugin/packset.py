"""A pack resolved with its ancestors (``extends``): one rule list, one parameter table.

Adding to a parent is free; replacing a parent's rule or parameter needs ``override: {reason}``
(Catala's labelled exceptions), never load order. A parent's rules apply only from the parent's
own effective date: a 2018 provincial pack extending the 2021 条例 gets the 条例's rules only for
events from 2021-02-01.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from typing import Any, Callable

from duchaplugin.corefunctions import FUNCTIONS as CORE_FUNCTIONS
from duchaplugin.errors import PackError
from duchaplugin.glossary import core_fields
from duchaplugin.models import CORE_EVENT_TYPES, LIMIT_UNITS, Basis, DefaultUsed, construct
from duchaplugin.pack import Clause, Pack, Parameter, Rule, Schedule
from duchaplugin.titles import describe_limit


@dataclass
class ResolvedPack:
    """A pack and its ancestors, merged. ``chain[0]`` is the pack itself."""

    chain: list[Pack]
    parameters: dict[str, Parameter] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)
    vocabulary: dict[str, dict[str, Any]] = field(default_factory=dict)
    secret: dict[str, Any] = field(default_factory=dict)
    flags: dict[str, Any] = field(default_factory=dict)
    event_types: dict[str, str] = field(default_factory=dict)
    functions: dict[str, Callable[..., Any]] = field(default_factory=dict)
    effective_from: dict[str, date] = field(default_factory=dict)
    glossary: dict[str, Any] = field(default_factory=dict)  # Chinese label → field, the pack's own over its ancestors'
    _citations: dict[tuple[Any, ...], Basis] = field(default_factory=dict, repr=False)

    @property
    def pack(self) -> Pack:
        return self.chain[0]

    @property
    def id(self) -> str:
        return self.pack.id

    def by_id(self, pack_id: str) -> Pack:
        for pack in self.chain:
            if pack.id == pack_id:
                return pack
        raise PackError(f"{self.id} 的继承链中没有规则包 {pack_id}", f"no pack {pack_id} in the chain of {self.id}")

    def resolve_clause(self, citing_pack: str, ref: str) -> tuple[Pack, Clause]:
        """A clause reference as written in a rule: ``第十七条`` (the citing pack's document) or ``cn:第十七条``."""
        pack_id, _, path = ref.rpartition(":")
        pack = self.by_id(pack_id or citing_pack)
        return pack, pack.clause(path)

    def basis(self, citing_pack: str, ref: str, defaults: dict[str, Any] | None = None) -> Basis:
        """The :class:`Basis` an action carries for a clause reference, with the default parameters
        (name → value) it depends on; shared by the actions citing the same clause with the same
        defaults at their current values."""
        names = tuple(sorted(defaults)) if defaults else ()
        current = all(defaults[n] is self.parameters[n].value for n in names) if names else True
        key = (citing_pack, ref, names)
        basis = self._citations.get(key) if current else None
        if basis is None:
            pack, clause = self.resolve_clause(citing_pack, ref)
            used = [self.default_used(n, defaults[n]) for n in names] if defaults else None
            basis = construct(Basis, {"pack": pack.id, "document": pack.number, "article": clause.path,
                                      "text": clause.text, "defaults": used})
            if current:
                self._citations[key] = basis
        return basis

    @cached_property
    def secret_safe(self) -> frozenset[str]:
        """Fields a 涉密 subject's actions may show: those the pack lists as safe (编号, units, dates),
        and the fields of its vocabularies, whose values are the document's own words (and their codes)."""
        fields = {v.get("field", name) for name, v in self.vocabulary.items()}
        return frozenset({*self.secret.get("safe", ("number", "due", "time_limit")), *fields, *(f + "_code" for f in fields),
                          "secret"})

    @cached_property
    def secret_roles(self) -> dict[str, str]:
        """For a field that names a person or a unit under inspection, the role a 涉密 subject's actions show instead."""
        return dict(self.secret.get("roles") or {})

    @cached_property
    def default_names(self) -> frozenset[str]:
        """The parameters marked ``default: true`` (the document does not give them)."""
        return frozenset(name for name, p in self.parameters.items() if p.default)

    def default_used(self, name: str, value: Any) -> DefaultUsed:
        """A default as an action carries it; ``note`` says which and what, in words (``整改期限30日``)."""
        parameter = self.parameters[name]
        what = parameter.label or re.split(r"[，。；：（(]", parameter.description.strip() or name, maxsplit=1)[0]
        return construct(DefaultUsed, {"parameter": name, "value": value, "note": f"{what}{_in_words(value, parameter)}",
                                       "label": parameter.label or None})

    @cached_property
    def param_values(self) -> dict[str, Any]:
        """Every parameter's value by name (for title templates)."""
        return {name: p.value for name, p in self.parameters.items()}

    @cached_property
    def vocabulary_index(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Per vocabulary field: each accepted word (text, code, alias) → its entry; the first
        entry listing a word wins."""
        index: dict[str, dict[str, dict[str, Any]]] = {}
        for name, vocab in self.vocabulary.items():
            words = index[name] = {}
            for entry in vocab.get("values", []):
                for word in (entry["text"], entry.get("code"), *(entry.get("aliases") or [])):
                    if word is not None:
                        words.setdefault(word, entry)
        return index

    def param(self, name: str) -> Any:
        try:
            return self.parameters[name].value
        except KeyError:
            raise PackError(f"规则包 {self.id} 没有参数 {name}", f"pack {self.id} has no parameter {name}") from None


def _in_words(value: Any, parameter: Parameter) -> str:
    """A parameter's value as a note shows it: a period in words, a choice by its wording."""
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in LIMIT_UNITS:
        return describe_limit(value)
    if parameter.choices and str(value) in parameter.choices:
        return f"：{parameter.choices[str(value)]}"
    if isinstance(value, bool):
        return "：是" if value else "：否"
    if isinstance(value, list):
        return "：" + "、".join(map(str, value))
    return f"：{value}" if value is not None else "：未设"


def _check_vocabularies(resolved: ResolvedPack) -> None:
    """Two vocabularies may name the same event field only for different event types (``on:``)."""
    seen: dict[str, list[tuple[str, set[str] | None]]] = {}
    for name, vocabulary in resolved.vocabulary.items():
        field_name, on = vocabulary.get("field", name), vocabulary.get("on")
        types = set(on) if on else None
        for other, other_types in seen.get(field_name, []):
            if types is None or other_types is None or types & other_types:
                raise PackError(f"词表 {name} 与 {other} 都适用于字段 {field_name} 的同一事件类型，须以 on: 区分",
                                f"vocabularies {name} and {other} both apply to field {field_name} on the same event types; "
                                "scope them with on:", field=f"{resolved.id} pack.yaml: vocabulary.{name}")
        seen.setdefault(field_name, []).append((name, types))


def resolve(pack_id: str, packs: dict[str, Pack]) -> ResolvedPack:
    """Merge ``pack_id`` with its ancestors and validate every citation and override."""
    chain: list[Pack] = []
    current: str | None = pack_id
    while current:
        if current not in packs:
            raise PackError(f"找不到规则包 {current}（被 {chain[-1].id if chain else pack_id} 继承）",
                            f"pack {current} not found (extended by {chain[-1].id if chain else pack_id})")
        if any(p.id == current for p in chain):
            raise PackError(f"规则包继承成环：{current}", f"pack inheritance cycle at {current}")
        chain.append(packs[current])
        current = packs[current].extends
    resolved = ResolvedPack(chain)
    resolved.event_types = dict(CORE_EVENT_TYPES)
    resolved.functions.update(CORE_FUNCTIONS)
    resolved.glossary.update(core_fields())
    rule_index: dict[str, int] = {}
    for pack in reversed(chain):  # ancestors first; descendants add or (labelled) override
        resolved.effective_from[pack.id] = pack.effective
        for field_name, vocab in pack.vocabulary.items():  # words add up; the pack's own come first
            inherited = resolved.vocabulary.get(field_name, {}).get("values", [])
            resolved.vocabulary[field_name] = {**vocab, "values": list(vocab.get("values") or []) + inherited}
        if pack.secret:  # a pack's own safe list replaces its parent's; roles add up, the pack's own winning
            resolved.secret = {**resolved.secret, **pack.secret,
                               "roles": {**resolved.secret.get("roles", {}), **(pack.secret.get("roles") or {})}}
        resolved.flags.update(pack.flags)
        resolved.glossary.update(pack.glossary)
        resolved.event_types.update(pack.event_types)
        resolved.functions.update(pack.functions)
        resolved.schedules.extend(pack.schedules)
        for name, param in pack.parameters.items():
            if name in resolved.parameters and not param.override:
                raise PackError(f"参数 {name} 覆盖了上级规则包 {resolved.parameters[name].pack} 的同名参数，须以 override: {{reason: …}} 标明",
                                f"parameter {name} overrides {resolved.parameters[name].pack}'s without override: {{reason}}",
                                field=f"{pack.id} parameters.yaml: {name}")
            resolved.parameters[name] = param
        for rule in pack.rules:
            if rule.id in rule_index:
                if not rule.override:
                    raise PackError(f"规则 {rule.id} 覆盖了上级规则包的同名规则，须以 override: {{reason: …}} 标明",
                                    f"rule {rule.id} overrides a parent's rule without override: {{reason}}",
                                    field=f"{pack.id} {rule.source}")
                resolved.rules[rule_index[rule.id]] = rule
            else:
                rule_index[rule.id] = len(resolved.rules)
                resolved.rules.append(rule)
    _check_vocabularies(resolved)
    resolved.rules = [r for r in resolved.rules if not r.disabled]
    for rule in resolved.rules:
        for ref in rule.clauses:
            try:
                resolved.resolve_clause(rule.pack, ref)
            except PackError as exc:
                raise PackError(f"规则 {rule.id} 引用的条款不存在：{exc.zh}", f"rule {rule.id} cites an unknown clause: {exc.en}",
                                field=f"{rule.pack} {rule.source}") from None
    for pack in chain:
        if pack.secret.get("clause"):
            try:
                resolved.resolve_clause(pack.id, pack.secret["clause"])
            except PackError as exc:
                raise PackError(f"涉密规定（secret）引用的条款不存在：{exc.zh}", f"secret cites an unknown clause: {exc.en}",
                                field=f"{pack.id} pack.yaml: secret") from None
        for param in pack.parameters.values():
            if param.clause:
                try:
                    resolved.resolve_clause(pack.id, param.clause)
                except PackError as exc:
                    raise PackError(f"参数 {param.name} 引用的条款不存在：{exc.zh}", f"parameter {param.name} cites an unknown clause: {exc.en}",
                                    field=f"{pack.id} parameters.yaml: {param.name}") from None
    return resolved
