"""A pack resolved with its ancestors (``extends``): one rule list, one parameter table.

Adding to a parent is free; replacing a parent's rule or parameter needs ``override: {reason}``
(Catala's labelled exceptions), never load order. A parent's rules apply only from the parent's
own effective date: a 2018 provincial pack extending the 2021 条例 gets the 条例's rules only for
events from 2021-02-01.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from typing import Any, Callable

from duchaplugin.corefunctions import FUNCTIONS as CORE_FUNCTIONS
from duchaplugin.errors import PackError
from duchaplugin.glossary import core_fields
from duchaplugin.models import CORE_EVENT_TYPES, Basis, construct
from duchaplugin.pack import Clause, Pack, Parameter, Rule, Schedule


@dataclass
class ResolvedPack:
    """A pack and its ancestors, merged. ``chain[0]`` is the pack itself."""

    chain: list[Pack]
    parameters: dict[str, Parameter] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)
    vocabulary: dict[str, dict[str, Any]] = field(default_factory=dict)
    flags: dict[str, Any] = field(default_factory=dict)
    event_types: dict[str, str] = field(default_factory=dict)
    functions: dict[str, Callable[..., Any]] = field(default_factory=dict)
    effective_from: dict[str, date] = field(default_factory=dict)
    glossary: dict[str, Any] = field(default_factory=dict)  # Chinese label → field, the pack's own over its ancestors'
    _citations: dict[tuple[str, str], Basis] = field(default_factory=dict, repr=False)

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

    def basis(self, citing_pack: str, ref: str) -> Basis:
        """The :class:`Basis` an action carries for a clause reference (resolved once per clause)."""
        basis = self._citations.get((citing_pack, ref))
        if basis is None:
            pack, clause = self.resolve_clause(citing_pack, ref)
            basis = self._citations[(citing_pack, ref)] = construct(Basis, {
                "pack": pack.id, "document": pack.number, "article": clause.path, "text": clause.text})
        return basis

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
    resolved.rules = [r for r in resolved.rules if not r.disabled]
    for rule in resolved.rules:
        for ref in rule.clauses:
            try:
                resolved.resolve_clause(rule.pack, ref)
            except PackError as exc:
                raise PackError(f"规则 {rule.id} 引用的条款不存在：{exc.zh}", f"rule {rule.id} cites an unknown clause: {exc.en}",
                                field=f"{rule.pack} {rule.source}") from None
    for pack in chain:
        for param in pack.parameters.values():
            if param.clause:
                try:
                    resolved.resolve_clause(pack.id, param.clause)
                except PackError as exc:
                    raise PackError(f"参数 {param.name} 引用的条款不存在：{exc.zh}", f"parameter {param.name} cites an unknown clause: {exc.en}",
                                    field=f"{pack.id} parameters.yaml: {param.name}") from None
    return resolved
