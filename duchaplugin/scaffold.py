"""``duchaplugin new-pack ID --extends PARENT``: a third-party pack that installs, tests and reports
coverage as written, for a county's pack author to fill in with the county's document.

The package holds the pack's files as package data (the YAML files and ``features/`` — a plain
``pip install`` leaves out what is not declared), registers the pack in the entry-point group
``duchaplugin``, and runs its features through duchaplugin's step library (the pytest plugin
``duchaplugin.bdd.steps``, installed with duchaplugin). Its example — one clause implemented by a
rule and two scenarios, one clause with the reason it needs no rule — works on any parent: it uses
an event type of its own, so no parent's gate or vocabulary applies to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from string import Template
from typing import Any

from duchaplugin.errors import DuchaError, did_you_mean

PACK_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


class ScaffoldError(DuchaError):
    """The pack cannot be written (a bad id, an unknown parent, a directory in use)."""


@dataclass
class _Parent:
    id: str
    number: str
    region: str | None
    effective: date
    override_example: str  # a commented parameter override, with one of the parent's real numbers


def write_pack(pack_id: str, parent_id: str, directory: Path | None = None) -> Path:
    """Write the package of pack ``pack_id`` extending ``parent_id`` into ``directory`` (default
    ``./duchaplugin-<pack_id>``, which must not exist or be empty); return the directory."""
    if not PACK_ID.fullmatch(pack_id):
        raise ScaffoldError(f"规则包编号 {pack_id!r} 应为小写字母、数字，以“-”分隔，如 cn-xj-manas",
                            f"pack id {pack_id!r} must be lowercase letters and digits separated by '-', e.g. cn-xj-manas",
                            field="ID")
    parent = _parent(pack_id, parent_id)
    directory = Path(directory) if directory is not None else Path.cwd() / f"duchaplugin-{pack_id}"
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ScaffoldError(f"目录 {directory} 已存在且不为空：不覆盖", f"{directory} exists and is not empty: not overwritten",
                            field="--dir")
    package = pack_id.replace("-", "_")
    values = {"id": pack_id, "package": package, "parent": parent.id, "parent_number": parent.number,
              "region": parent.region or "null", "effective": max(parent.effective, date(2025, 1, 1)).isoformat(),
              "override_example": parent.override_example}
    try:
        for relative, template in FILES.items():
            path = directory / Template(relative).substitute(values)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(Template(template).substitute(values), encoding="utf-8")
    except OSError as exc:
        raise ScaffoldError(f"无法写入 {directory}：{exc.strerror or exc}", f"cannot write into {directory}: {exc.strerror or exc}",
                            field="--dir") from None
    return directory


def _parent(pack_id: str, parent_id: str) -> _Parent:
    import warnings

    from duchaplugin.engine import Engine
    from duchaplugin.hooks.manager import BrokenPackWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BrokenPackWarning)
        engine = Engine()
    if pack_id in engine.packs:
        raise ScaffoldError(f"规则包 {pack_id} 已经安装", f"pack {pack_id} is already installed", field="ID")
    if parent_id not in engine.packs:
        zh, en = did_you_mean(parent_id, engine.packs)
        raise ScaffoldError(f"未安装上级规则包 {parent_id}{zh}（已安装：{'、'.join(engine.packs)}）",
                            f"parent pack {parent_id} is not installed{en} (installed: {', '.join(engine.packs)})",
                            field="--extends")
    resolved = engine.compiled(parent_id).pack
    return _Parent(parent_id, resolved.pack.number, resolved.pack.region, resolved.pack.effective,
                   _override_example(parent_id, resolved.parameters))


def _override_example(parent_id: str, parameters: dict[str, Any]) -> str:
    """A commented override of one of the parent's numbers: its own periods first, then any period."""
    periods = [p for p in parameters.values() if isinstance(p.value, dict) and len(p.value) == 1]
    periods.sort(key=lambda p: (p.pack != parent_id, not p.label))
    if not periods:
        return "# （上级规则包没有期限类参数）"
    chosen = periods[0]
    (unit, amount), = chosen.value.items()
    what = chosen.label or re.split(r"[，。（：]", chosen.description or chosen.name)[0]
    return (f"# {chosen.name}:        # 上级规则包 {chosen.pack} 的参数：{what}\n"
            f"#   value: {{{unit}: {amount}}}\n"
            f"#   clause: 一、        # 本县文件规定该数值的条款\n"
            f"#   override: {{reason: 本县文件另有规定（写明理由）, cite: true}}   # cite: true：依赖该数值的动作改引本县条款")


FILES: dict[str, str] = {
    "pyproject.toml": '''\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "duchaplugin-$id"
version = "0.1.0"
description = "duchaplugin 规则包 $id（继承 $parent）"
readme = "README.md"
requires-python = ">=3.11,<3.13"
dependencies = ["duchaplugin"]

[project.optional-dependencies]
test = ["pytest>=8", "pytest-bdd>=8"]

# 规则包通过入口点组 duchaplugin 注册；名称即规则包编号（DUCHAPLUGIN_PLUGINS=$id 可单独选用）
[project.entry-points.duchaplugin]
$id = "$package"

[tool.setuptools]
packages = ["$package"]

# 规则包的 YAML 文件与 features/ 必须作为包数据安装，否则 pip install 后找不到
[tool.setuptools.package-data]
$package = ["*.yaml", "features/*.feature"]

[tool.pytest.ini_options]
testpaths = ["tests"]
addopts = "-p no:cacheprovider"
''',
    "README.md": '''\
# 规则包 $id（继承 $parent）

按本县（市、区）印发的文件编写的 duchaplugin 规则包。格式见 duchaplugin 的 `docs/pack-format.md`，
契约（事件、动作）见 `docs/contract.md`。

| 文件 | 内容 |
|---|---|
| `$package/pack.yaml` | 文件信息：发文机关、文号、标题、日期；继承 `$parent`；本包增加的事件类型与词表 |
| `$package/clauses.yaml` | 文件的每一条款（原文）；无需规则的条款写明理由（`reason`） |
| `$package/parameters.yaml` | 文件中的数值（期限、提前量……），各注条款，文件未规定的标明默认值 |
| `$package/rules.yaml` | 规则：条件与效果，各注所依据的条款 |
| `$package/glossary.yaml` | 本包字段的中文标签（特征文件的表格使用） |
| `$package/features/*.feature` | 规格说明（中文 Gherkin），每条（节）一个文件，标签为规则包与条款 |

示例内容（“一、”“二、”两条及其规则、场景）演示写法，请替换为文件原文。

```sh
pip install -e ".[test]"          # 安装（含测试依赖）
python -m pytest                  # 运行本包的特征文件（句式由 duchaplugin 提供）
duchaplugin packs                 # 本包应列出，条款覆盖 n/n
duchaplugin coverage $id          # 每一条款 → 规则与场景；全部覆盖时退出码为 0
```
''',
    "$package/__init__.py": '''\
"""duchaplugin 规则包 $id（继承 $parent）：通过入口点组 duchaplugin 注册。"""

from pathlib import Path

from duchaplugin.hooks import hookimpl

from $package import logic


@hookimpl
def duchaplugin_register_packs(register):
    register(Path(__file__).parent, module=logic)
''',
    "$package/logic.py": '''\
"""规则用 ``call:`` 调用的函数（数据写不出的逻辑才写在这里）：``FUNCTIONS = {"名称": 函数}``，
函数接收 ``decision``（``.state``、``.data``、``.at``、``.emit(...)``、``.value("param:x")``……，见 docs/pack-format.md）。"""

FUNCTIONS: dict = {}
''',
    "$package/pack.yaml": '''\
# 文件信息（示例值：请改为本县文件的发文机关、文号、标题与日期）
id: $id
issuer: 某县人民政府办公室
number: 某政办〔2025〕1号
title: 关于进一步加强督查督办工作的通知
issued: $effective
effective: $effective
extends: $parent                # 上级规则包（$parent_number）
region: $region                 # 日历：与上级规则包相同（新疆各地为 xj）
event_types:                    # 本文件增加的事件类型：类型代码: 中文名称
  briefing_requested: 要求报送专项情况
  briefing_submitted: 报送专项情况
vocabulary: {}                  # 文件列举的类别、来源、情形等（写法见 docs/pack-format.md）
''',
    "$package/clauses.yaml": '''\
# 文件的每一条款，路径按文件写法（一、（一）1.（1）），原文照录。以下为示例，请替换。
- path: 一、
  text: 交办报送专项情况的，承办单位应当在规定时限内报送；到期前提醒，逾期提示。
- path: 二、
  text: 各单位要高度重视，切实加强组织领导。
  reason: 原则性要求，不设定可由系统判断的义务、期限或情形。
''',
    "$package/parameters.yaml": '''\
# 文件中的数值：各注条款（clause）；文件未规定的标明 default: true 并说明理由。
briefing_remind_lead:
  value: {working_days: 2}
  default: true
  clause: 一、
  label: 专项情况提前提醒
  description: 专项情况到期前提醒的提前量（文件只写“到期前提醒”，未规定天数，默认值）

# 覆盖上级规则包的参数须写 override 与理由，例如：
$override_example
''',
    "$package/rules.yaml": '''\
# 规则：每条注明所依据的条款；模板（use:）见 duchaplugin/templates.py。以下为示例，请替换。
rules:
  - use: deadline_watch
    id: briefing
    clauses: [一、]
    start_on: briefing_requested
    warn: param:briefing_remind_lead
    stop_on: briefing_submitted
    on_warn:
      - emit: {kind: notice, title: "专项情况“{subject.briefing_topic}”即将到期，请于 {timer.briefing} 前报送", due: "timer:briefing", to: "{subject.lead_unit}"}
    on_overdue:
      - emit: {kind: notice, title: "专项情况“{subject.briefing_topic}”逾期未报（应于 {timer.briefing} 前报送）", due: "timer:briefing", to: "{subject.lead_unit}"}
  - id: briefing-required
    clauses: [一、]
    on: briefing_requested
    then:
      - emit: {kind: requirement, title: "请{data.lead_unit}于 {due} 前报送专项情况“{data.briefing_topic}”", due: "timer:briefing", to: "{data.lead_unit}"}
''',
    "$package/glossary.yaml": '''\
# 本包字段的中文标签（特征文件表格“| 项目 | 内容 |”使用）；核心字段的标签（牵头单位、办理时限……）无需重复。
fields:
  专项名称: briefing_topic
''',
    "$package/features/一、报送专项情况.feature": '''\
# language: zh-CN
@$id @s1
功能: 一、报送专项情况（示例：请改为本文件的条款）
  一、交办报送专项情况的，承办单位应当在规定时限内报送；到期前提醒，逾期提示。

  解读：期限自交办之日起算，按工作日计；“到期前提醒”的提前量文件未规定，取默认值2个工作日
  （参数“专项情况提前提醒”），可选其他取值。

  场景: 要求报送专项情况，到期前提醒，逾期提示
    假如 规则包为 "$id"
    当 事项 "示例-1" 于 "2025年3月3日9时" 发生 "要求报送专项情况"：
      | 项目     | 内容             |
      | 专项名称 | 春季开学安全检查 |
      | 牵头单位 | 县教育局         |
      | 办理时限 | 5个工作日        |
    那么 应产生动作：
      | 类型 | 依据 | 到期          | 接收     | 标题包含         |
      | 要求 | 一、 | 2025年3月10日 | 县教育局 | 春季开学安全检查 |
    当 时间推进到 "2025年3月11日9时"
    那么 至此应已产生动作：
      | 类型 | 依据 | 时间       | 标题包含 |
      | 通知 | 一、 | 2025-03-06 | 即将到期 |
      | 通知 | 一、 | 2025-03-11 | 逾期未报 |

  场景: 按时报送的，不再提醒
    假如 规则包为 "$id"
    而且 参数 "专项情况提前提醒" 取值为 "1个工作日"
    当 事项 "示例-2" 于 "2025年3月3日9时" 发生 "要求报送专项情况"：
      | 项目     | 内容       |
      | 专项名称 | 防汛准备   |
      | 牵头单位 | 县水利局   |
      | 办理时限 | 5个工作日  |
    而且 事项 "示例-2" 于 "2025年3月5日16时" 发生 "报送专项情况"
    当 时间推进到 "2025年3月12日"
    那么 至此不应产生 "通知" 动作
''',
    "tests/test_features.py": '''\
"""本规则包的规格说明（$package/features/*.feature）作为测试运行。

句式由 duchaplugin 的步骤库提供：它是随 duchaplugin 安装的 pytest 插件（入口点 pytest11），无需在此导入。
"""

from pathlib import Path

from pytest_bdd import scenarios

import $package

scenarios(str(Path($package.__file__).parent / "features"))
''',
}
