"""Clause coverage: every clause of a pack's document → the rules and scenarios implementing it,
or the recorded reason it needs none. From any clause a reader reaches its rules and scenarios.

Scenarios are read from the repository's ``features/`` and from each pack's own ``features/``
directory (a third-party pack ships its features as package data). A clause cited by one of the
pack's parameters counts as implemented by it: a county's clause that only sets another number for
its parent's rule (an ``override`` citing the county's clause) is implemented by that rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from duchaplugin.pack import Pack

STATUS_ZH = {"implemented": "已实现", "reason": "无需规则", "children": "由下级条款覆盖", "parent": "随上级条款实现",
             "rules_only": "有规则缺场景", "missing": "未覆盖"}
_SCENARIO = re.compile(r"^\s*(?:场景|场景大纲|剧本|剧本大纲|Scenario|Scenario Outline)\s*[:：]\s*(.+)$")
_FEATURE = re.compile(r"^\s*(?:功能|Feature)\s*[:：]")


@dataclass
class ClauseCoverage:
    path: str
    tag: str
    status: str
    rules: list[str] = field(default_factory=list)
    scenarios: list[str] = field(default_factory=list)
    reason: str | None = None

    @property
    def accounted(self) -> bool:
        """Implemented with scenarios, given a reason, or covered through its parent or children."""
        return self.status not in ("missing", "rules_only")

    def to_json(self) -> dict:
        return {"path": self.path, "tag": self.tag, "status": self.status, "status_zh": STATUS_ZH[self.status],
                "rules": self.rules, "scenarios": self.scenarios, "reason": self.reason}


def feature_scenarios(features_dir: Path) -> dict[str, list[tuple[str, frozenset[str]]]]:
    """Tag → scenarios (``file: name``, all their tags) carrying it, feature-level tags included."""
    by_tag: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for path in sorted(features_dir.rglob("*.feature")):
        feature_tags: list[str] = []
        pending: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith("@"):
                pending += [t[1:] for t in stripped.split() if t.startswith("@")]
            elif _FEATURE.match(line):
                feature_tags, pending = pending, []
            elif match := _SCENARIO.match(line):
                name = f"{path.relative_to(features_dir)}: {match.group(1).strip()}"
                tags = frozenset(feature_tags + pending)
                for tag in tags:
                    by_tag.setdefault(tag, []).append((name, tags))
                pending = []
            elif stripped and not stripped.startswith("#"):
                pending = [] if not stripped.startswith(("规则", "Rule")) else pending
    return by_tag


def pack_coverage(pack: Pack, all_packs: Iterable[Pack],
                  scenarios: dict[str, list[tuple[str, frozenset[str]]]]) -> list[ClauseCoverage]:
    """Coverage of every clause of ``pack``'s document, in document order; a scenario counts for a
    clause when it carries both the clause's tag and the pack's."""
    rules: dict[str, list[str]] = {}
    for other in all_packs:
        for rule in other.rules:
            for ref in rule.clauses:
                owner, _, path = ref.rpartition(":")
                if (owner or other.id) == pack.id:
                    rules.setdefault(path, []).append(f"{other.id}:{rule.id}")
        if other.id == pack.id:  # the rules reading a parameter implement the clause it cites
            for name, parameter in other.parameters.items():
                owner, _, path = (parameter.clause or "").rpartition(":")
                if path and (owner or other.id) == pack.id and not parameter.descriptive:
                    rules.setdefault(path, []).append(f"{other.id}:parameters.{name}")
        if other.id == pack.id:  # a vocabulary is enforced on every event: unknown words are errors
            for field_name, vocab in other.vocabulary.items():
                for ref in [vocab.get("clause")] + [v.get("clause") for v in vocab.get("values") or []]:
                    if ref:
                        rules.setdefault(ref, []).append(f"{other.id}:vocabulary.{field_name}")
    result: dict[str, ClauseCoverage] = {}

    def visit(path: str, parent_implemented: bool) -> ClauseCoverage:
        clause = pack.clauses[path]
        entry = ClauseCoverage(path, clause.tag, "missing", sorted(set(rules.get(path, []))),
                               [name for name, tags in scenarios.get(clause.tag, []) if pack.id in tags], clause.reason)
        implemented = bool(entry.rules and entry.scenarios)
        children = [visit(child, implemented or parent_implemented) for child in clause.children]
        if implemented:
            entry.status = "implemented"
        elif clause.reason:
            entry.status = "reason"
        elif children and all(c.accounted for c in children):
            entry.status = "children"
        elif parent_implemented:
            entry.status = "parent"
        elif entry.rules:
            entry.status = "rules_only"
        result[path] = entry
        return entry

    for path, clause in pack.clauses.items():
        if clause.parent is None:
            visit(path, False)
    return [result[path] for path in pack.clauses]


def all_scenarios(packs: Iterable[Pack], extra: Path | None = None) -> dict[str, list[tuple[str, frozenset[str]]]]:
    """Scenarios of the repository's ``features/``, of every pack's own ``features/`` and of ``extra``."""
    directories = [default_features_dir(), *(pack.directory / "features" for pack in packs)]
    if extra is not None:
        directories.append(extra)
    merged: dict[str, list[tuple[str, frozenset[str]]]] = {}
    seen: set[Path] = set()
    for directory in directories:
        if directory.is_dir() and directory.resolve() not in seen:
            seen.add(directory.resolve())
            for tag, found in feature_scenarios(directory).items():
                merged.setdefault(tag, []).extend(found)
    return merged


def default_features_dir() -> Path:
    """``features/`` beside the package (a source checkout), else in the working directory."""
    beside = Path(__file__).resolve().parent.parent / "features"
    return beside if beside.is_dir() else Path.cwd() / "features"
