"""A pack author's mistakes are refused at load time, in Chinese and English, with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from duchaplugin import PackError
from duchaplugin.pack import load_pack

DEMO = Path(__file__).parent / "fixtures" / "demo"


def _pack_with_rules(tmp_path: Path, rules: str) -> Path:
    directory = tmp_path / "demo"
    shutil.copytree(DEMO, directory)
    (directory / "rules.yaml").write_text(rules, encoding="utf-8")
    return directory


@pytest.mark.parametrize("rules, zh, en, line", [
    ("rules:\n  - id: a\n    clauses: [第一条]\n    on: assigned\n    then:\n      - emit: {kind: warning, title: 提醒}\n",
     "未知的动作类型 'warning'", "unknown action kind 'warning'", 6),
    ("rules:\n  - id: a\n    on: assigned\n    then:\n      - emit: {kind: notice, title: 提醒}\n",
     "规则须注明所依据的条款", "a rule must cite its clauses", 2),
    ("rules:\n  - id: a\n    clauses: [第一条]\n    on: assigned\n",
     "规则须有 then", "a rule needs its effects", 2),
])
def test_a_bad_rule_is_refused_with_its_line(tmp_path: Path, rules: str, zh: str, en: str, line: int) -> None:
    with pytest.raises(PackError) as error:
        load_pack(_pack_with_rules(tmp_path, rules))
    text = error.value.describe()
    assert zh in text and en in text
    assert error.value.line == line and error.value.file.endswith("/demo/rules.yaml")


def test_an_unknown_parameter_key_is_refused(tmp_path: Path) -> None:
    directory = tmp_path / "demo"
    shutil.copytree(DEMO, directory)
    (directory / "parameters.yaml").write_text(
        "remind_lead:\n  value: {working_days: 3}\n  default: true\n  clause: 第一条\n  descripton: 拼错了\n", encoding="utf-8")
    with pytest.raises(PackError) as error:
        load_pack(directory)
    assert "参数的未知键：descripton" in error.value.describe() and "unknown parameter keys: descripton" in error.value.describe()
    assert error.value.line == 5 and error.value.file.endswith("/demo/parameters.yaml") and error.value.field == "remind_lead"  # the misspelt key's line


@pytest.mark.parametrize("effect, words", [
    ("emit: {kind: notice, title: '提醒 {subject.title'}", "effect emit is malformed"),
    ("emit: {kind: notice}", "effect emit is malformed"),
    ("call: no_such_function", "the pack defines no function no_such_function"),
    ("notify: 提醒", "unknown effect notify"),
])
def test_a_bad_effect_is_refused_when_the_pack_is_built(tmp_path: Path, effect: str, words: str) -> None:
    from duchaplugin import Engine
    from duchaplugin.hooks import hookimpl

    directory = _pack_with_rules(tmp_path, f"rules:\n  - id: a\n    clauses: [第一条]\n    on: assigned\n    then:\n      - {effect}\n")

    class Host:
        @hookimpl
        def duchaplugin_register_packs(self, register) -> None:  # type: ignore[no-untyped-def]
            register(directory)

    with pytest.raises(PackError) as error:
        Engine([Host()], entry_points=False)
    assert words in error.value.describe() and "demo/rules.yaml:2" in str(error.value.field)


@pytest.mark.parametrize("rules, words, line", [
    ("rules:\n  - id: a\n    clauses: [第一条]\n    then: [{stop: t}]\n  - id: a\n    clauses: [第一条]\n    then: [{stop: u}]\n",
     "规则编号 a 重复", 5),
    ("rules:\n  - id: a\n    clauses: [第一条]\n    then: [{stop: t}]\n    then: [{stop: u}]\n", "键 'then' 重复（第4行已有）", 5),
    ("rules:\n  - id: a\n    clause: [第一条]\n    then: [{stop: t}]\n", "未知的键 clause（是否想写 clauses？）", 3),
    ("rules:\n  - id: a\n    clauses: [第一条]\n    when: [{data.x: 1}]\n    then: [{stop: t}]\n", "when 应为映射", 4),
    ("rules:\n  - id: a\n    clauses: [第一条]\n    then: {stop: t}\n", "then 应为效果的列表", 4),
    ("rules:\n  - use: deadline_watch\n    id: d\n    clauses: [第一条]\n", "模板 deadline_watch 的参数有误", 2),
    ("rulez: []\n", "未知的键 rulez（是否想写 rules？）", 1),
    ("rules:\n  - 42\n", "应为映射（键: 值）", 2),
])
def test_a_wrong_shape_is_a_pack_error_with_file_and_line(tmp_path: Path, rules: str, words: str, line: int) -> None:
    with pytest.raises(PackError) as error:
        load_pack(_pack_with_rules(tmp_path, rules))
    assert words in error.value.describe() and error.value.line == line, error.value.describe()
    assert f"demo/rules.yaml:{line}：" in error.value.describe()


@pytest.mark.parametrize("file, text, words", [
    ("pack.yaml", "", "pack.yaml：文件为空"),
    ("pack.yaml", "id: demo\nextend: cn\n", "未知的键 extend（是否想写 extends？）"),
    ("clauses.yaml", "- path: 第一条\n", "缺少必填项 text"),
    ("clauses.yaml", "path: 第一条\n", "应为列表"),
    ("parameters.yaml", "- x\n", "应为映射"),
])
def test_a_wrong_shape_in_the_other_files_is_a_pack_error(tmp_path: Path, file: str, text: str, words: str) -> None:
    directory = tmp_path / "demo"
    shutil.copytree(DEMO, directory)
    (directory / file).write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as error:
        load_pack(directory)
    assert words in error.value.describe()


def test_a_billion_laughs_file_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
    directory = tmp_path / "demo"
    shutil.copytree(DEMO, directory)
    (directory / "rules.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PackError, match="展开别名后节点超过 100000 个"):
        load_pack(directory)  # 9**9 nodes: expanded, this would not finish


def test_a_pack_without_its_data_files_says_they_must_be_package_data(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="须把 YAML 文件作为包数据安装"):
        load_pack(tmp_path)
