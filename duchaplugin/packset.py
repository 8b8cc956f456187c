"""A pack resolved with its ancestors (``extends``): one rule list, one parameter table.

Adding to a parent is free; replacing a parent's rule or parameter needs ``override: {reason}``
(Catala's labelled exceptions), never load order. An ``override`` that replaces nothing, and a new
parameter nobody reads whose name is close to a parent's (``slow_progres_no_report``), are refused
with the nearest name. An overriding parameter may have the actions depend on it cite the county's
own clause (``clause:`` and ``override: {reason, cite: true}``): the rules that read it then cite
that clause where they cited the clause the parent's parameter served. A parent's rules apply only from the parent's own effective date: a 2018
provincial pack extending the 2021 条例 gets the 条例's rules only for events from 2021-02-01.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from datetime import date
from typing import Any, Callable, Iterable

from duchaplugin.corefunctions import FUNCTIONS as CORE_FUNCTIONS
from duchaplugin.errors import PackError, did_you_mean
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
    #: (rule pack, rule id) → {(pack, clause) the rule cites → (pack, clause) an overriding parameter it reads cites}
    recite: dict[tuple[str, str], dict[tuple[str, str], tuple[str, str]]] = field(default_factory=dict)
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

    def basis(self, citing_pack: str, ref: str, rule: str = "", defaults: dict[str, Any] | None = None) -> Basis:
        """The :class:`Basis` an action of ``rule`` (its id, if any) carries for a clause reference —
        the county's clause when an overriding parameter the rule reads cites one — with the default
        parameters (name → value) it depends on; shared by the actions citing the same clause with the
        same defaults at their current values."""
        names = tuple(sorted(defaults)) if defaults else ()
        current = all(defaults[n] is self.parameters[n].value for n in names) if defaults else True
        key = (citing_pack, ref, rule, names)
        basis = self._citations.get(key) if current else None
        if basis is None:
            pack, clause = self.resolve_clause(citing_pack, ref)
            county = self.recite.get((citing_pack, rule), {}).get((pack.id, clause.path))
            if county is not None:
                pack, clause = self.resolve_clause(*county)
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
            zh, en = did_you_mean(name, self.parameters)
            raise PackError(f"规则包 {self.id} 没有参数 {name}{zh}", f"pack {self.id} has no parameter {name}{en}") from None


#: How close (difflib ratio) a new parameter's name must be to an inherited one to be taken for a
#: misspelling of it: ``slow_progres_no_report`` is 0.98 from ``slow_progress_no_report``, while
#: ``accountability_target`` (a real new parameter) is 0.80 from ``accountability_approvals``.
MISSPELT = 0.9

_PARAM_READ = re.compile(r"""param:([A-Za-z0-9_]+)|\{param\.([A-Za-z0-9_]+)|\.param\(\s*["']([A-Za-z0-9_]+)["']""")
_TIMER_READ = re.compile(r"timer[:.]([A-Za-z0-9_]+)")


def _names(pattern: re.Pattern[str], value: Any) -> set[str]:
    """Names ``pattern`` finds in every string (keys included) of a YAML value."""
    if isinstance(value, str):
        return {next(g for g in m.groups() if g) for m in pattern.finditer(value)}
    if isinstance(value, dict):
        return set().union(*(_names(pattern, k) | _names(pattern, v) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return set().union(*(_names(pattern, v) for v in value))
    return set()


_FUNCTION_READS: dict[Callable[..., Any], frozenset[str]] = {}


_TOP_LEVEL = re.compile(r"^(?:@|def |async def |class |[A-Za-z_])")


@lru_cache(maxsize=None)
def _module_lines(filename: str) -> tuple[str, ...]:
    try:
        return tuple(Path(filename).read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def _source(function: Callable[..., Any]) -> str:
    """A module-level function's source: from its first line to the next top-level statement (read
    once per module; ``inspect.getsource`` tokenizes every function, 0.2 s for the built-in packs)."""
    code = getattr(function, "__code__", None)
    if code is None or code.co_name == "<lambda>":
        return ""
    lines = _module_lines(code.co_filename)
    start = code.co_firstlineno - 1
    end = next((i for i in range(start + 1, len(lines)) if _TOP_LEVEL.match(lines[i])
                and not lines[i - 1].startswith("@")), len(lines))
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1  # the blank lines and section comments before the next statement
    return "\n".join(lines[start:end])


def _function_reads(function: Callable[..., Any], seen: set[Any]) -> set[str]:
    """Parameters a pack function names in its source, or in the functions of its module it calls."""
    seen.add(function)
    names = _names(_PARAM_READ, _source(function))
    for name in getattr(getattr(function, "__code__", None), "co_names", ()):
        called = getattr(function, "__globals__", {}).get(name)
        if inspect.isfunction(called) and called.__module__ == function.__module__ and called not in seen:
            names |= _function_reads(called, seen)
    return names


@dataclass(frozen=True)
class _RuleText:
    """What a rule's text names: parameters, timers it reads, timers it starts (with the
    parameters they are started with) and the pack functions it calls."""

    params: frozenset[str]
    timers: frozenset[str]
    starts: tuple[tuple[str, frozenset[str]], ...]
    calls: tuple[str, ...]


_RULE_TEXTS: dict[int, tuple[Rule, _RuleText]] = {}  # by id(rule): a loaded pack's rules are shared (pack.load_pack)


def _rule_text(rule: Rule) -> _RuleText:
    cached = _RULE_TEXTS.get(id(rule))
    if cached is not None and cached[0] is rule:
        return cached[1]
    starts, calls = [], []
    for effect in rule.then:
        start, call = (effect.get("start"), effect.get("call")) if isinstance(effect, dict) else (None, None)
        if isinstance(start, dict) and start.get("timer"):
            starts.append((str(start["timer"]), frozenset(_names(_PARAM_READ, start))))
        if call:
            calls.append(call if isinstance(call, str) else str((call or {}).get("function", "")))
    text = _RuleText(frozenset(_names(_PARAM_READ, [rule.when, rule.then])),
                     frozenset(_names(_TIMER_READ, [list(rule.on), rule.when, rule.then])), tuple(starts), tuple(calls))
    _RULE_TEXTS[id(rule)] = (rule, text)
    return text


def parameters_read(rules: list[Rule], functions: dict[str, Callable[..., Any]]) -> dict[tuple[str, str], set[str]]:
    """(rule pack, rule id) → the parameters the rule depends on, read from its text: ``param:x``,
    ``{param.x}``, those of the pack functions it calls, and those that set the timers it listens
    to or reads (``timer:<t>:overdue``, ``timer:<t>``, ``{timer.t}``)."""
    timers: dict[str, set[str]] = {}
    for rule in rules:
        for timer, names in _rule_text(rule).starts:
            timers.setdefault(timer, set()).update(names)
    reads: dict[tuple[str, str], set[str]] = {}
    for rule in rules:
        text = _rule_text(rule)
        names = set(text.params)
        for timer in text.timers:
            names |= timers.get(timer, set())
        for call in text.calls:
            function = functions.get(call)
            if function is not None:
                if function not in _FUNCTION_READS:
                    _FUNCTION_READS[function] = frozenset(_function_reads(function, set()))
                names |= _FUNCTION_READS[function]
        reads[(rule.pack, rule.id)] = names
    return reads


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
                                field=name, **_at(param.source))
            if name not in resolved.parameters and param.override:
                zh, en = did_you_mean(name, resolved.parameters)
                raise PackError(f"参数 {name} 标明 override，但上级规则包没有同名参数{zh}",
                                f"parameter {name} is marked override, but no parent pack has it{en}", field=name, **_at(param.source))
            resolved.parameters[name] = param
        for rule in pack.rules:
            if rule.id in rule_index:
                if not rule.override:
                    raise PackError(f"规则 {rule.id} 覆盖了上级规则包的同名规则，须以 override: {{reason: …}} 标明",
                                    f"rule {rule.id} overrides a parent's rule without override: {{reason}}",
                                    field=rule.id, **_at(rule.source))
                resolved.rules[rule_index[rule.id]] = rule
            else:
                if rule.override:
                    zh, en = did_you_mean(rule.id, rule_index)
                    raise PackError(f"规则 {rule.id} 标明 override，但上级规则包没有同名规则{zh}",
                                    f"rule {rule.id} is marked override, but no parent pack has it{en}", field=rule.id, **_at(rule.source))
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
                                field=rule.id, **_at(rule.source)) from None
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
                                    field=param.name, **_at(param.source)) from None
    _check_overrides(resolved)
    return resolved


def _at(source: str) -> dict[str, Any]:
    """``file``/``line`` keywords of a :class:`PackError` from a ``<pack dir>/<file>:<line>`` source."""
    file, _, line = source.rpartition(":")
    return {"file": file, "line": int(line)} if line.isdigit() else {"file": source or None}


def _check_overrides(resolved: ResolvedPack) -> None:
    """A parameter a pack adds that no rule or function of its chain reads, whose name is one or two
    letters off an inherited one, is a misspelt override: refused, naming the inherited name.
    A parameter overridden with ``cite: true`` makes the rules reading it cite the overriding clause
    where they cited the clause the parent's parameter served (``resolved.recite``)."""
    if len(resolved.chain) < 2:
        return
    reads = parameters_read(resolved.rules, resolved.functions)
    read = set().union(*reads.values())
    inherited = {name for pack in resolved.chain[1:] for name in pack.parameters}
    for name, param in resolved.pack.parameters.items():
        if name in inherited or name in read or param.descriptive:
            continue
        zh, en = did_you_mean(name, inherited, MISSPELT)
        if zh:
            raise PackError(f"参数 {name} 不是上级规则包的参数，也没有规则读取它{zh}",
                            f"parameter {name} is not a parent pack's parameter and no rule reads it{en}",
                            field=name, **_at(param.source))
    ids = [pack.id for pack in resolved.chain]
    for name, param in resolved.parameters.items():
        if not (param.override and param.cite):
            continue
        parent = next((p.parameters[name] for p in resolved.chain[ids.index(param.pack) + 1:] if name in p.parameters), None)
        if parent is None or not parent.clause:
            continue
        old, new = resolved.resolve_clause(parent.pack, parent.clause), resolved.resolve_clause(param.pack, param.clause)
        for rule_key, names in reads.items():
            if name in names:
                resolved.recite.setdefault(rule_key, {})[(old[0].id, old[1].path)] = (new[0].id, new[1].path)
