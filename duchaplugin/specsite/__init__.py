"""The published specification: ``duchaplugin spec [PACK] --html DIR`` writes a static site, one page
per pack and an index, for legal staff to read and sign.

Each page is the document clause by clause in its own text; beside each clause, its rules in words
(当…时 → 产生…, generated from the rule data by :mod:`.words`), the parameters they use (the value in
words; the clause it comes from, or 默认值（文件未规定） with the reason and the other readings), and its
scenarios with the result of the latest test run (:mod:`.results`); a clause no rule implements shows
its reason. Then the coverage summary (:mod:`duchaplugin.coverage`), the pack's glossary and a
sign-off block. Pages are self-contained: CSS inline, no fonts or scripts fetched, a print stylesheet
for A4. Rendered with Jinja2 (autoescaped): the pages quote document text and event vocabularies,
which must never become markup.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from duchaplugin.coverage import STATUS_ZH, ClauseCoverage, default_features_dir, feature_scenarios, pack_coverage
from duchaplugin.glossary import CORE_PATH, core_fields
from duchaplugin.pack import Pack, Parameter
from duchaplugin.specsite.results import STATUS_ZH as RESULT_ZH, Results, read_results
from duchaplugin.specsite.words import RuleWords, Words, parameters_read
from duchaplugin.yamlio import load_yaml

DEFAULT_WORDS = "默认值（文件未规定）"


@dataclass
class ParameterView:
    pack: str
    key: str
    label: str
    value: str
    clause: str | None
    default: bool
    reason: str
    text: str
    others: list[str]
    descriptive: bool = False


@dataclass
class ScenarioView:
    name: str
    file: str
    status: str

    @property
    def status_zh(self) -> str:
        return RESULT_ZH[self.status]


@dataclass
class ClauseView:
    path: str
    tag: str
    text: str
    depth: int
    coverage: ClauseCoverage
    rules: list[RuleWords] = field(default_factory=list)
    parameters: list[ParameterView] = field(default_factory=list)
    scenarios: list[ScenarioView] = field(default_factory=list)

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.coverage.status]


@dataclass
class PageView:
    pack: Pack
    clauses: list[ClauseView]
    loose_parameters: list[ParameterView]
    glossary: list[tuple[str, str]]
    core_glossary: list[tuple[str, str]]
    untranslated: list[str]
    coverage: Counter
    scenarios: Counter

    @property
    def accounted(self) -> int:
        return sum(c.coverage.accounted for c in self.clauses)

    @property
    def without_rule(self) -> list[ClauseView]:
        return [c for c in self.clauses if c.coverage.status == "reason"]


def _names(directory: Path | None) -> dict[str, str]:
    """A glossary's ``names:`` (internal names of flags, timers, functions → words), if any."""
    if directory is None:
        return {}
    path = directory if directory.suffix == ".yaml" else directory / "glossary.yaml"
    doc = load_yaml(path) if path.exists() else None
    names = doc.get("names") if isinstance(doc, dict) else None
    return {str(k): str(v) for k, v in (names or {}).items()}


class SiteBuilder:
    """Builds the pages of the installed packs from an engine's packs."""

    def __init__(self, engine: Any, results: Results, features_dir: Path | None = None) -> None:
        self.engine = engine
        self.results = results
        self.scenarios = feature_scenarios(features_dir or default_features_dir())
        self._words: dict[str, Words] = {}
        self.env = Environment(loader=PackageLoader("duchaplugin.specsite", "templates"),
                               autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)

    def words(self, pack_id: str) -> Words:
        if pack_id not in self._words:
            resolved = self.engine.compiled(pack_id).pack
            names = _names(CORE_PATH)
            for pack in reversed(resolved.chain):
                names.update(_names(pack.directory))
            self._words[pack_id] = Words(resolved, names)
        return self._words[pack_id]

    def parameter(self, param: Parameter) -> ParameterView:
        words = self.words(param.pack)
        value = words.parameter_value(param)
        others = [f"{v}" for k, v in (param.choices or {}).items() if str(k) != str(param.value)]
        return ParameterView(param.pack, param.name, param.label or words.name(param.name), value,
                             param.clause, param.default, param.description.strip(), (param.text or "").strip(),
                             others, "仅记录文件用语" in param.description)

    def page(self, pack: Pack) -> PageView:
        packs = list(self.engine.packs.values())
        for known in self._words.values():
            known.untranslated.clear()  # collected anew for this page
        coverage = pack_coverage(pack, packs, self.scenarios)
        views: dict[str, ClauseView] = {}
        for entry in coverage:
            clause = pack.clauses[entry.path]
            depth, parent = 0, clause.parent
            while parent:
                depth, parent = depth + 1, pack.clauses[parent].parent
            views[entry.path] = ClauseView(entry.path, entry.tag, clause.text, depth, entry, scenarios=[
                ScenarioView(name.split(": ", 1)[-1], name.split(": ", 1)[0], self.results.status(name))
                for name in entry.scenarios])
        shown: dict[str, set[tuple[str, str]]] = {path: set() for path in views}
        for owner in packs:
            for rule in owner.rules:
                cited = [ref.rpartition(":") for ref in rule.clauses]
                paths = [path for pid, _, path in cited if (pid or owner.id) == pack.id and path in views]
                if not paths or rule.disabled:
                    continue
                words = self.words(owner.id).rule(rule)
                for path in paths:
                    views[path].rules.append(words)
                    for key in parameters_read(rule):
                        param = self.engine.compiled(owner.id).pack.parameters.get(key)
                        if param is not None and (param.pack, key) not in shown[path]:
                            shown[path].add((param.pack, key))
                            views[path].parameters.append(self.parameter(param))
        loose = []
        for owner in packs:
            for param in owner.parameters.values():
                pid, _, path = (param.clause or "").rpartition(":")
                if param.clause and (pid or owner.id) == pack.id and path in views:
                    if (param.pack, param.name) not in shown[path]:
                        shown[path].add((param.pack, param.name))
                        views[path].parameters.append(self.parameter(param))
                elif owner.id == pack.id and not param.clause:
                    loose.append(self.parameter(param))
        self.words(pack.id)
        core = core_fields()
        return PageView(
            pack, list(views.values()), loose,
            glossary=[(label, entry if isinstance(entry, str) else entry["field"]) for label, entry in pack.glossary.items()],
            core_glossary=[(label, entry if isinstance(entry, str) else entry["field"]) for label, entry in core.items()
                           if label not in pack.glossary],
            untranslated=sorted({name for known in self._words.values() for name in known.untranslated}),
            coverage=Counter(c.coverage.status for c in views.values()),
            scenarios=Counter(s.status for c in views.values() for s in c.scenarios),
        )

    def build(self, out: Path, only: str | None = None) -> list[Path]:
        """Write ``index.html`` and one ``<pack>.html`` per pack (or only ``only``) into ``out``."""
        out.mkdir(parents=True, exist_ok=True)
        style = self.env.get_template("style.css").render()
        common = {"style": style, "run": self.results, "status_zh": STATUS_ZH, "result_zh": RESULT_ZH,
                  "default_words": DEFAULT_WORDS}
        pages = [self.page(p) for p in sorted(self.engine.packs.values(), key=lambda p: p.id)
                 if only is None or p.id == only]
        written = []
        for page in pages:
            path = out / f"{page.pack.id}.html"
            path.write_text(self.env.get_template("pack.html").render(page=page, **common), encoding="utf-8")
            written.append(path)
        index = out / "index.html"
        index.write_text(self.env.get_template("index.html").render(pages=pages, **common), encoding="utf-8")
        return [index, *written]


def build_site(engine: Any, out: str | Path, pack: str | None = None, results: str | Path | None = None,
               features_dir: str | Path | None = None) -> list[Path]:
    """Write the specification site; returns the files written (the index first)."""
    builder = SiteBuilder(engine, read_results(results), Path(features_dir) if features_dir else None)
    return builder.build(Path(out), pack)
