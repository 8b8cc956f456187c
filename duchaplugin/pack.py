"""Rule packs: loading, validation and inheritance (format: ``docs/pack-format.md``).

A pack is the three layers of one document — its clauses, its numbers (parameters) and its logic
(rules) — plus metadata. Loading validates everything a rule relies on, so a pack that loads is a
pack whose every rule cites an existing clause and whose every override is labelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable, Iterator

from duchaplugin.clauses import clause_tag
from duchaplugin.errors import PackError, did_you_mean
from duchaplugin.glossary import read_fields
from duchaplugin.models import ACTION_KINDS
from duchaplugin.yamlio import display_path, line_of, load_yaml


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
    source: str = ""  # ``<pack file>:<line>``
    descriptive: bool = False
    cite: bool = False  # ``override: {cite: true}``: the rules reading it cite this parameter's clause


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
    secret: dict[str, Any] = field(default_factory=dict)  # 涉密: {clause, safe: [fields], roles: {field: 角色}}
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


#: Keys of ``pack.yaml``, and of one rule in ``rules.yaml`` (a ``use:`` template takes its own).
PACK_KEYS = ("id", "issuer", "number", "title", "issued", "issued_note", "effective", "extends", "region",
             "vocabulary", "event_types", "secret")
RULE_KEYS = ("id", "clauses", "on", "when", "then", "title", "override", "disable", "gate")


class _File:
    """One file of a pack being read: its name for messages (``<pack dir>/<file>``) and shape checks
    that fail as a :class:`PackError` naming the file and line."""

    def __init__(self, directory: Path, name: str) -> None:
        self.path = directory / name
        self.name = display_path(self.path)

    def error(self, zh: str, en: str, node: Any = None, field: str | None = None, key: Any = None) -> PackError:
        return PackError(zh, en, field=field, line=line_of(node, key) if node is not None else None, file=self.name)

    def load(self, shape: type, *, optional: bool = False) -> Any:
        if optional and not self.path.exists():
            return shape()
        value = load_yaml(self.path)
        if value is None:
            if optional:
                return shape()
            raise self.error("文件为空", "the file is empty")
        return self.expect(value, shape, None, "")

    def expect(self, value: Any, shape: type, parent: Any, field: str, key: Any = None) -> Any:
        """``value`` if it has ``shape`` (dict, list or str); ``parent``/``key`` locate it."""
        if isinstance(value, shape) and not (shape is str and isinstance(value, bool)):
            return value
        zh, en = {dict: ("映射（键: 值）", "a mapping (key: value)"), list: ("列表（- …）", "a list (- ...)"),
                  str: ("文字", "text")}[shape]
        where = value if isinstance(value, dict) else parent
        raise self.error(f"应为{zh}，实为 {type(value).__name__}", f"expected {en}, got {type(value).__name__}",
                         where, field or None, key if where is parent else None)

    def require(self, node: dict, key: str, field: str) -> Any:
        if key not in node or node[key] in (None, ""):
            raise self.error(f"缺少必填项 {key}", f"missing required key {key}", node, field)
        return node[key]

    def refuse_unknown(self, node: dict, known: tuple[str, ...], field: str) -> None:
        unknown = [k for k in node if k not in known]
        if unknown:
            key = unknown[0]
            hint_zh, hint_en = did_you_mean(str(key), known)
            raise self.error(f"未知的键 {key}{hint_zh}（可用：{'、'.join(known)}）",
                             f"unknown key {key}{hint_en} (allowed: {', '.join(known)})", node, field, key)


def _walk_clauses(file: _File, nodes: list, parent: str | None = None) -> Iterator[Clause]:
    for index, node in enumerate(nodes):
        node = file.expect(node, dict, nodes, parent or "", index)
        path = str(file.require(node, "path", "path"))
        try:
            tag = clause_tag(path)
        except ValueError as exc:
            raise file.error(str(exc).split(" / ")[0], str(exc).split(" / ")[-1], node, "path", "path") from None
        text = file.require(node, "text", path)
        reason = node.get("reason")
        if reason is not None:
            file.expect(reason, str, node, path, "reason")
        clause = Clause(path, str(text).strip(), tag, reason, parent)
        yield clause
        children = file.expect(node.get("children") or [], list, node, path, "children")
        for child in _walk_clauses(file, children, path):
            if child.parent == path:
                clause.children.append(child.path)
            yield child


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


PACK_FILES = ("pack.yaml", "clauses.yaml", "parameters.yaml", "rules.yaml", "glossary.yaml")
_LOADED: dict[tuple[Path, tuple[tuple[int, int] | None, ...]], Pack] = {}


def load_pack(directory: Path, module: ModuleType | None = None) -> Pack:
    """Read and validate the pack in ``directory`` (``pack.yaml``, ``clauses.yaml``,
    ``parameters.yaml``, ``rules.yaml``, ``glossary.yaml``). ``module`` supplies the Python functions
    its rules ``call``. Any problem is a :class:`PackError` naming the file and line.

    A pack is read once per process while its files are unchanged (every Engine, and every feature
    scenario, loads every pack): each call gets its own parameter table, the one thing
    ``Engine.set_parameter`` changes; the rest of a loaded pack is never modified."""
    directory = Path(directory).resolve()
    stamps = []
    for name in PACK_FILES:
        try:
            stat = (directory / name).stat()
            stamps.append((stat.st_mtime_ns, stat.st_size))
        except OSError:
            stamps.append(None)
    key = (directory, tuple(stamps))
    if key not in _LOADED:
        _LOADED[key] = _read_pack(directory)
    pack = replace(_LOADED[key], parameters=dict(_LOADED[key].parameters))
    pack.functions = dict(getattr(module, "FUNCTIONS", {})) if module is not None else {}
    return pack


def _read_pack(directory: Path) -> Pack:
    file = _File(directory, "pack.yaml")
    meta = file.load(dict)
    file.refuse_unknown(meta, PACK_KEYS, "")
    for key in ("vocabulary", "event_types", "secret"):
        file.expect(meta.get(key) or {}, dict, meta, key, key)
    file.refuse_unknown(meta.get("secret") or {}, ("clause", "safe", "roles"), "secret")
    for key in ("id", "issuer", "number", "title", "extends", "region", "issued_note"):
        if meta.get(key) is not None:
            file.expect(meta[key], str, meta, key, key)
    pack = Pack(
        id=file.require(meta, "id", "id"),
        issuer=file.require(meta, "issuer", "issuer"),
        number=file.require(meta, "number", "number"),
        title=file.require(meta, "title", "title"),
        issued=_as_date(file, meta, "issued"),
        effective=_as_date(file, meta, "effective"),
        directory=directory,
        extends=meta.get("extends"),
        region=meta.get("region"),
        issued_note=meta.get("issued_note") or "",
        vocabulary=_vocabulary(file, meta.get("vocabulary") or {}),
        secret=meta.get("secret") or {},
        event_types=meta.get("event_types") or {},
    )
    file = _File(directory, "clauses.yaml")
    for clause in _walk_clauses(file, file.load(list)):
        if clause.path in pack.clauses:
            raise file.error(f"条款路径重复：{clause.path}", f"duplicate clause path: {clause.path}")
        pack.clauses[clause.path] = clause
    file = _File(directory, "parameters.yaml")
    parameters = file.load(dict, optional=True)
    for name, node in parameters.items():
        pack.parameters[name] = _parameter(file, str(name), node, pack.id, line_of(parameters, name))
    glossary_path = directory / "glossary.yaml"
    if glossary_path.exists():
        pack.glossary = read_fields(glossary_path)
    _read_rules(pack, _File(directory, "rules.yaml"))
    return pack


def _vocabulary(file: _File, vocabulary: dict) -> dict[str, dict[str, Any]]:
    for name, vocab in vocabulary.items():
        vocab = file.expect(vocab, dict, vocabulary, f"vocabulary.{name}", name)
        if vocab.get("on") is not None:
            file.expect(vocab["on"], list, vocab, f"vocabulary.{name}", "on")
        values = file.expect(vocab.get("values") or [], list, vocab, f"vocabulary.{name}", "values")
        for index, entry in enumerate(values):
            entry = file.expect(entry, dict, values, f"vocabulary.{name}", index)
            file.require(entry, "text", f"vocabulary.{name}")
            file.expect(entry.get("aliases") or [], list, entry, f"vocabulary.{name}", "aliases")
    return vocabulary


def _parameter(file: _File, name: str, node: Any, pack_id: str, line: int | None) -> Parameter:
    """One entry of ``parameters.yaml``; ``line`` is its name's line."""
    if not isinstance(node, dict) or "value" not in node:
        raise PackError("参数须有 value", "a parameter needs a value", field=name, line=line, file=file.name)
    if not node.get("clause") and not node.get("default"):
        raise PackError("参数须注明条款（clause），或标明为默认值（default: true）",
                        "a parameter needs its clause, or default: true", field=name, line=line, file=file.name)
    unknown = [k for k in node if k not in PARAMETER_KEYS]
    if unknown:
        hint_zh, hint_en = did_you_mean(str(unknown[0]), PARAMETER_KEYS)
        raise file.error(f"参数的未知键：{'、'.join(map(str, unknown))}{hint_zh}（可用：{'、'.join(PARAMETER_KEYS)}）",
                         f"unknown parameter keys: {', '.join(map(str, unknown))}{hint_en} (allowed: {', '.join(PARAMETER_KEYS)})",
                         node, name, unknown[0])
    override = node.get("override")
    if override is not None and not (isinstance(override, dict) and override.get("reason")):
        raise file.error("override 应写作 {reason: 覆盖的理由}", "override is written {reason: why}", node, name, "override")
    if override and set(override) - {"reason", "cite"}:
        raise file.error("override 只有 reason 与 cite 两项", "override takes only reason and cite", override, name)
    cite = bool(override and override.get("cite"))
    if cite and not node.get("clause"):
        raise file.error("override 的 cite: true 须有本规则包的条款（clause）", "override cite: true needs the pack's own clause",
                         override, name, "cite")
    choices = node.get("choices")
    if choices is not None:
        file.expect(choices, dict, node, name, "choices")
    return Parameter(name, node["value"], pack_id, node.get("clause"), node.get("text"), bool(node.get("default")),
                     node.get("description") or "", override["reason"] if override else None, node.get("label"),
                     dict(choices) if choices else None, f"{file.name}:{line or '?'}",
                     bool(node.get("descriptive")), cite)


def _as_date(file: _File, node: dict, key: str) -> date:
    value = file.require(node, key, key)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise file.error(f"不是 ISO 日期：{value!r}", f"not an ISO date: {value!r}", node, key, key) from None


def _read_rules(pack: Pack, file: _File) -> None:
    from duchaplugin.confirmations import reminder_rule
    from duchaplugin.templates import expand_template

    doc = file.load(dict, optional=True)
    file.refuse_unknown(doc, ("flags", "schedules", "rules"), "")
    pack.flags = dict(file.expect(doc.get("flags") or {}, dict, doc, "flags", "flags"))
    schedules = file.expect(doc.get("schedules") or [], list, doc, "schedules", "schedules")
    for index, node in enumerate(schedules):
        node = file.expect(node, dict, schedules, "schedules", index)
        schedule_id = str(file.require(node, "id", "schedules"))
        where = f"schedules: {schedule_id}"
        pack.schedules.append(Schedule(schedule_id, pack.id, _as_list(file.require(node, "clauses", where)),
                                       dict(file.expect(file.require(node, "every", where), dict, node, where, "every")),
                                       node.get("shift")))
    confirmed: dict[str, tuple[list[str], int | None]] = {}  # confirm key → clauses and line of its first rule
    rules = file.expect(doc.get("rules") or [], list, doc, "rules", "rules")
    for index, node in enumerate(rules):
        node = file.expect(node, dict, rules, "rules", index)
        if "use" in node:
            try:
                nodes = expand_template(node, pack)
            except PackError as exc:
                raise PackError(exc.zh, exc.en, field=exc.field, line=exc.line, file=file.name) from None
            except (KeyError, TypeError, ValueError, AttributeError) as exc:  # an argument missing or of the wrong shape
                raise file.error(f"模板 {node['use']} 的参数有误：{exc!r}", f"template {node['use']}: bad arguments: {exc!r}",
                                 node, str(node.get("id") or "")) from None
        else:
            file.refuse_unknown(node, RULE_KEYS, str(node.get("id") or ""))
            nodes = [node]
        for raw in nodes:
            rule = _rule_from(raw, pack, file, line_of(node))
            first = next((r for r in pack.rules if r.id == rule.id), None)
            if first is not None:
                raise PackError(f"规则编号 {rule.id} 重复（{first.source} 已有）", f"duplicate rule id {rule.id} (already at {first.source})",
                                field=rule.id, line=line_of(node), file=file.name)
            pack.rules.append(rule)
            for key in _confirm_keys(rule):
                confirmed.setdefault(key, (rule.clauses, line_of(node)))
    for key, (clauses, line) in confirmed.items():  # each key's proposals get their reminder (confirmations.py)
        pack.rules.append(_rule_from(reminder_rule(key, pack.id, clauses), pack, file, line))


def _confirm_keys(rule: Rule) -> list[str]:
    """The confirmation keys of a rule's ``emit`` effects (``confirm: <key>`` or ``{key: …}``) that remind."""
    keys = []
    for effect in rule.then:
        confirm = effect.get("emit", {}).get("confirm") if isinstance(effect, dict) and isinstance(effect.get("emit"), dict) else None
        if isinstance(confirm, str):
            keys.append(confirm)
        elif isinstance(confirm, dict) and not confirm.get("assumed") and confirm.get("remind", True) is not False:
            keys.append(str(confirm["key"]))
    return keys


def _rule_from(node: dict, pack: Pack, file: _File, line: int | None) -> Rule:
    rule_id = str(file.require(node, "id", "rules"))

    def error(zh: str, en: str, at: Any = None, key: Any = None) -> PackError:
        return PackError(zh, en, field=rule_id, line=line_of(at, key) if at is not None else line, file=file.name)

    clauses = _as_list(node.get("clauses"))
    if not clauses:
        raise error("规则须注明所依据的条款（clauses）", "a rule must cite its clauses")
    disabled = bool(node.get("disable"))
    if not disabled and not node.get("then"):
        raise error("规则须有 then（效果）", "a rule needs its effects (then)")
    when = node.get("when") or {}
    if not isinstance(when, dict):
        raise error("when 应为映射（各条件均须成立；择一成立写 any: [{…}, {…}]）",
                    "when is a mapping (all must hold; alternatives as any: [{...}, {...}])", node, "when")
    then = node.get("then") or []
    if not isinstance(then, list):
        raise error("then 应为效果的列表（- emit: {…}）", "then is a list of effects (- emit: {...})", node, "then")
    for index, effect in enumerate(then):
        if not isinstance(effect, dict) or len(effect) != 1:
            raise error("每个效果应为只有一个键的映射，如 emit: {…}", "each effect is a one-key mapping such as emit: {...}",
                        effect if isinstance(effect, dict) else then, None if isinstance(effect, dict) else index)
        kind = effect["emit"].get("kind") if isinstance(effect.get("emit"), dict) else None
        if kind is not None and kind not in ACTION_KINDS:
            raise PackError(f"未知的动作类型 {kind!r}（可用：{'、'.join(ACTION_KINDS)}）",
                            f"unknown action kind {kind!r} (one of {', '.join(ACTION_KINDS)})", field=f"{rule_id}: emit.kind",
                            line=line_of(effect) or line, file=file.name)
    override = node.get("override")
    if override is not None and not (isinstance(override, dict) and override.get("reason")):
        raise error("override 应写作 {reason: 覆盖的理由}", "override is written {reason: why}", node, "override")
    gate = bool(node.get("gate")) or any("reject" in e for e in then)
    return Rule(rule_id, pack.id, [str(c) for c in clauses], tuple(str(o) for o in _as_list(node.get("on"))) or ("*",),
                dict(when), then, node.get("title") or "", override["reason"] if override else None, disabled,
                f"{file.name}:{line_of(node) or line or '?'}", gate)
