"""A county's pack overriding its parent's numbers: misspellings refused with the nearest name, the
file and line named, and the county's clause cited by the actions that depend on its number."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from duchaplugin import Engine, PackError
from duchaplugin.hooks import hookimpl

PACK = """\
id: cn-yn-county
issuer: 某县人民政府办公室
number: 某政办〔2025〕1号
title: 关于加强督查督办工作的通知
issued: 2025-01-01
effective: 2025-01-01
extends: cn-yn
"""
CLAUSES = """\
- path: 一、
  text: 进展迟缓的，满5个工作日未反馈进展即予催办。
"""


def _engine(tmp_path: Path, parameters: str, rules: str = "rules: []\n") -> Engine:
    directory = tmp_path / "county"
    directory.mkdir()
    for name, text in (("pack.yaml", PACK), ("clauses.yaml", CLAUSES), ("parameters.yaml", textwrap.dedent(parameters)),
                       ("rules.yaml", rules)):
        (directory / name).write_text(text, encoding="utf-8")

    class County:
        @hookimpl
        def duchaplugin_register_packs(self, register):  # type: ignore[no-untyped-def]
            register(directory)

    return Engine([County()], entry_points=False)


OVERRIDE = """\
slow_progress_no_report:
  value: {working_days: 5}
  clause: 一、
  override: {reason: 县文件规定满5个工作日未反馈即催办, cite: true}
"""


def test_an_override_citing_the_countys_clause_is_cited_by_the_actions(tmp_path: Path) -> None:
    engine = _engine(tmp_path, OVERRIDE)
    base = {"subject": "X-1", "pack": "cn-yn-county"}
    engine.handle({**base, "id": "e1", "type": "registered", "at": "2025-03-03T09:00",
                   "data": {"category": "省人民政府重大决策部署", "handler": "张三", "title": "推进某项改革"}})
    engine.handle({**base, "id": "e2", "type": "assigned", "at": "2025-03-03T10:00",
                   "data": {"lead_unit": "省发改委", "leader": "李四", "time_limit": {"working_days": 30}}})
    actions = engine.advance("2025-03-11T08:00")  # 5 working days after 03-03, not 10
    urge = next(a for a in actions if a.stage == "催办")
    assert (urge.basis.pack, urge.basis.document, urge.basis.article) == ("cn-yn-county", "某政办〔2025〕1号", "一、")
    assert "满5个工作日" in urge.basis.text
    situation = next(a for a in actions if a.kind == "situation")  # the 追责情形 is still the province's
    assert (situation.basis.pack, situation.basis.article) == ("cn-yn", "第七条（一）1.（7）")


def test_an_override_without_cite_keeps_the_parents_citation(tmp_path: Path) -> None:
    engine = _engine(tmp_path, OVERRIDE.replace(", cite: true", ""))
    compiled = engine.compiled("cn-yn-county").pack
    assert compiled.recite == {}
    assert compiled.basis("cn-yn", "第五条（三）", "yn-progress-slow").article == "第五条（三）"


@pytest.mark.parametrize("parameters, words, line", [
    (OVERRIDE.replace("slow_progress_no_report", "slow_progres_no_report"),
     "参数 slow_progres_no_report 标明 override，但上级规则包没有同名参数（是否想写 slow_progress_no_report？）", 1),
    (OVERRIDE.replace("slow_progress_no_report", "slow_progres_no_report").replace("  override: {reason: 县文件规定满5个工作日未反馈即催办, cite: true}\n", ""),
     "参数 slow_progres_no_report 不是上级规则包的参数，也没有规则读取它（是否想写 slow_progress_no_report？）", 1),
    ("remind_lead_x:\n  value: 1\n  default: true\n\n" + OVERRIDE.replace("  override: {reason: 县文件规定满5个工作日未反馈即催办, cite: true}\n", ""),
     "参数 slow_progress_no_report 覆盖了上级规则包 cn-yn 的同名参数，须以 override: {reason: …} 标明", 5),
    (OVERRIDE.replace("clause: 一、", "clause: 二、"), "参数 slow_progress_no_report 引用的条款不存在", 1),
    (OVERRIDE.replace("  clause: 一、\n", "  default: true\n"), "override 的 cite: true 须有本规则包的条款（clause）", 4),
])
def test_a_wrong_override_names_file_line_and_the_nearest_name(tmp_path: Path, parameters: str, words: str, line: int) -> None:
    with pytest.raises(PackError) as error:
        _engine(tmp_path, parameters)
    assert words in error.value.describe()
    assert error.value.file.endswith("county/parameters.yaml") and error.value.line == line
    assert f"county/parameters.yaml:{line}：" in error.value.describe()


def test_a_rule_override_of_nothing_is_refused_with_the_nearest_rule(tmp_path: Path) -> None:
    rules = "rules:\n  - id: yn-progress-slw\n    clauses: [一、]\n    override: {reason: 县里另有规定}\n    then:\n      - stop: yn_progress\n"
    with pytest.raises(PackError, match="规则 yn-progress-slw 标明 override，但上级规则包没有同名规则（是否想写 yn-progress-slow？）"):
        _engine(tmp_path, OVERRIDE, rules)


def test_a_misspelt_parameter_reference_suggests_the_name(tmp_path: Path) -> None:
    rules = "rules:\n  - id: county-urge\n    clauses: [一、]\n    on: assigned\n    then:\n      - start: {timer: c, limit: param:slow_progres_no_report}\n"
    with pytest.raises(PackError, match="没有参数 slow_progres_no_report（是否想写 slow_progress_no_report？）"):
        _engine(tmp_path, OVERRIDE, rules)
