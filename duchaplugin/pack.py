"""Rule packs: loading, validation and inheritance (format: ``docs/pack-format.md``).

A pack is the three layers of one document — its clauses, its numbers (parameters) and its logic
(rules) — plus metadata. Loading validates everything a rule relies on, so a pack that loads is a
pack whose every rule cites an existing clause and whose every override is labelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterator

from duchaplugin.clauses import clause_tag
from duchaplugin.errors import PackError
from duchaplugin.glossary import read_fields
from duchaplugin.models import ACTION_KINDS
from duchaplugin.yamlio import line_of, load_yaml


@dataclass
class Clause:
    path: str
    text: str
    tag: str
    reason: str | None = None
    parent: str | None = None
    children: list[str] = field(default_factory=list)


@dataclass
class Parameter:
    name: str
    value: Any
    pack: str
    clause: str | None = None
    text: str | None = None
    default: bool = False
    description: str = ""
    override: str | None = None
    label: str | None = None  # its name in Chinese, as features and the specification write it
    choices: dict[str, str] | None = None  # value → its wording in Chinese, for a parameter of set values


#: Keys a parameter may have; ``descriptive: true`` marks one that only records the document's wording
#: (docs/pack-format.md; checked by tests/test_parameters_used.py).
PARAMETER_KEYS = ("value", "default", "clause", "text", "description", "override", "descriptive", "label", "choices")


@dataclass
class Rule:
    """One rule as data: when an event of a type in ``on`` satisfies ``when``, apply ``then``."""

    id: str
    pack: str
    clauses: list[str]
    on: tuple[str, ...]
    when: dict[str, Any]
    then: list[dict[str, Any]]
    title: str = ""
    override: str | None = None
    disabled: bool = False
    source: str = ""
    gate: bool = False


@dataclass
class Schedule:
    """A fixed-date schedule of a pack (每月28日, 每周一…); its firings are events ``schedule:<id>``."""

    id: str
    pack: str
    clauses: list[str]
    every: dict[str, Any]
    shift: Any = None


@dataclass
class Pack:
    id: str
    issuer: str
    number: str
    title: str
    issued: date
    effective: date
    directory: Path
    extends: str | None = None
    region: str | None = None
    issued_note: str = ""
    vocabulary: dict[str, dict[str, Any]] = field(default_factory=dict)
    clauses: dict[str, Clause] = field(default_factory=dict)
    parameters: dict[str, Parameter] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)
    flags: dict[str, Any] = field(default_factory=dict)
    event_types: dict[str, str] = field(default_factory=dict)
    functions: dict[str, Callable[..., Any]] = field(default_factory=dict)
    glossary: dict[str, Any] = field(default_factory=dict)  # Chinese label → data field (glossary.yaml)

    @property
    def document(self) -> str:
        return self.number

    def clause(self, path: str) -> Clause:
        try:
            return self.clauses[path]
        except KeyError:
            raise PackError(f"规则包 {self.id} 没有条款 {path}", f"pack {self.id} has no clause {path}") from None


def _require(node: dict, key: str, where: str) -> Any:
    if key not in node or node[key] in (None, ""):
        raise PackError(f"缺少必填项 {key}", f"missing required key {key}", field=where, line=line_of(node))
    return node[key]


def _walk_clauses(nodes: list, source: str, parent: str | None = None) -> Iterator[Clause]:
    for node in nodes or []:
        path = str(_require(node, "path", source))
        try:
            tag = clause_tag(path)
        except ValueError as exc:
            raise PackError(str(exc), str(exc), field=f"{source}: path", line=line_of(node)) from None
        clause = Clause(path, str(_require(node, "text", f"{source}: {path}")).strip(), tag,
                        node.get("reason"), parent)
        yield clause
        for child in _walk_clauses(node.get("children") or [], source, path):
            if child.parent == path:
                clause.children.append(child.path)
            yield child


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def load_pack(directory: Path, module: ModuleType | None = None) -> Pack:
    """Read and validate the pack in ``directory`` (``pack.yaml``, ``clauses.yaml``,
    ``parameters.yaml``, ``rules.yaml``). ``module`` supplies the Python functions its rules ``call``."""
    directory = Path(directory)
    meta = load_yaml(directory / "pack.yaml")
    pack_id = str(_require(meta, "id", "pack.yaml"))
    pack = Pack(
        id=pack_id,
        issuer=_require(meta, "issuer", "pack.yaml"),
        number=_require(meta, "number", "pack.yaml"),
        title=_require(meta, "title", "pack.yaml"),
        issued=_as_date(_require(meta, "issued", "pack.yaml"), "pack.yaml: issued", meta),
        effective=_as_date(_require(meta, "effective", "pack.yaml"), "pack.yaml: effective", meta),
        directory=directory,
        extends=meta.get("extends"),
        region=meta.get("region"),
        issued_note=meta.get("issued_note") or "",
        vocabulary=meta.get("vocabulary") or {},
        event_types=meta.get("event_types") or {},
    )
    for clause in _walk_clauses(load_yaml(directory / "clauses.yaml"), "clauses.yaml"):
        if clause.path in pack.clauses:
            raise PackError(f"条款路径重复：{clause.path}", f"duplicate clause path: {clause.path}", field="clauses.yaml")
        pack.clauses[clause.path] = clause
    params_path = directory / "parameters.yaml"
    for name, node in (load_yaml(params_path) if params_path.exists() else {}).items():
        where = f"parameters.yaml: {name}"
        if not isinstance(node, dict) or "value" not in node:
            raise PackError("参数须有 value", "a parameter needs a value", field=where, line=line_of(node))
        if not node.get("clause") and not node.get("default"):
            raise PackError("参数须注明条款（clause），或标明为默认值（default: true）",
                            "a parameter needs its clause, or default: true", field=where, line=line_of(node))
        unknown = [k for k in node if k not in PARAMETER_KEYS]
        if unknown:
            raise PackError(f"参数的未知键：{'、'.join(map(str, unknown))}（可用：{'、'.join(PARAMETER_KEYS)}）",
                            f"unknown parameter keys: {', '.join(map(str, unknown))} (allowed: {', '.join(PARAMETER_KEYS)})",
                            field=where, line=line_of(node, unknown[0]))
        pack.parameters[name] = Parameter(name, node["value"], pack_id, node.get("clause"), node.get("text"),
                                          bool(node.get("default")), node.get("description") or "",
                                          (node.get("override") or {}).get("reason"), node.get("label"),
                                          dict(node["choices"]) if node.get("choices") else None)
    glossary_path = directory / "glossary.yaml"
    if glossary_path.exists():
        pack.glossary = read_fields(glossary_path)
    if module is not None:
        pack.functions = dict(getattr(module, "FUNCTIONS", {}))
    rules_path = directory / "rules.yaml"
    if rules_path.exists():
        _read_rules(pack, load_yaml(rules_path) or {})
    return pack


def _as_date(value: Any, where: str, node: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise PackError(f"不是 ISO 日期：{value!r}", f"not an ISO date: {value!r}", field=where, line=line_of(node)) from None


def _read_rules(pack: Pack, doc: dict) -> None:
    from duchaplugin.templates import expand_template

    pack.flags = dict(doc.get("flags") or {})
    for node in doc.get("schedules") or []:
        pack.schedules.append(Schedule(str(_require(node, "id", "rules.yaml: schedules")), pack.id,
                                       _as_list(_require(node, "clauses", f"rules.yaml: schedules {node.get('id')}")),
                                       dict(_require(node, "every", f"rules.yaml: schedules {node.get('id')}")),
                                       node.get("shift")))
    for node in doc.get("rules") or []:
        nodes = expand_template(node, pack) if "use" in node else [node]
        for raw in nodes:
            pack.rules.append(_rule_from(raw, pack, line_of(node)))


def _rule_from(node: dict, pack: Pack, line: int | None) -> Rule:
    rule_id = str(_require(node, "id", "rules.yaml: rules"))
    where = f"rules.yaml: {rule_id}"
    clauses = _as_list(node.get("clauses"))
    if not clauses:
        raise PackError("规则须注明所依据的条款（clauses）", "a rule must cite its clauses", field=where, line=line)
    disabled = bool(node.get("disable"))
    if not disabled and not node.get("then"):
        raise PackError("规则须有 then（效果）", "a rule needs its effects (then)", field=where, line=line)
    then = list(node.get("then") or [])
    for effect in then:
        kind = effect.get("emit", {}).get("kind") if isinstance(effect, dict) and isinstance(effect.get("emit"), dict) else None
        if kind is not None and kind not in ACTION_KINDS:
            raise PackError(f"未知的动作类型 {kind!r}（可用：{'、'.join(ACTION_KINDS)}）",
                            f"unknown action kind {kind!r} (one of {', '.join(ACTION_KINDS)})", field=f"{where}: emit.kind",
                            line=line_of(effect) or line)
    gate = bool(node.get("gate")) or any(isinstance(e, dict) and "reject" in e for e in then)
    return Rule(rule_id, pack.id, [str(c) for c in clauses], tuple(_as_list(node.get("on"))) or ("*",),
                dict(node.get("when") or {}), then, node.get("title") or "",
                (node.get("override") or {}).get("reason"), disabled,
                f"{pack.directory.name}/rules.yaml:{line_of(node) or line or '?'}", gate)
