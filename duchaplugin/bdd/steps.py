"""Step definitions shared by every pack's features (the sentences: ``features/README.md``).

A pytest plugin: ``pytest_plugins = ["duchaplugin.bdd.steps"]`` in a conftest (or the package's
``pytest11`` entry point) gives a pack's features these sentences. Tables are written with the
glossary's Chinese labels and Chinese values (:mod:`duchaplugin.bdd.values`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from duchaplugin import ContractError, Engine
from duchaplugin.bdd.values import LIST_FIELDS, date_text, instant_text, parse_value
from duchaplugin.events import parse_event
from duchaplugin.glossary import field_for
from duchaplugin.ledger import Ledger
from duchaplugin.models import CORE_EVENT_TYPES, Action

CHINESE_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
KINDS = {"通知": "notice", "提醒": "notice", "升级": "escalation", "情形": "situation", "要求": "requirement",
         "驳回": "rejection", "建议": "suggestion", "评分": "score", "报告": "report", "撤回": "retraction"}
COLUMNS = {"类型": "kind", "阶段": "stage", "依据": "article", "规则包": "pack", "到期": "due", "标题包含": "title",
           "审批": "approvals", "接收": "to", "时间": "at", "暂定": "provisional", "事项": "subject", "情形": "situation",
           "默认值": "defaults"}
DATA_HEADERS = (["项目", "内容"], ["字段", "值"])


@dataclass
class World:
    engine: Engine = field(default_factory=Engine)  # installed third-party packs too: their features run here
    pack: str | None = None
    last: list[Action] = field(default_factory=list)
    all: list[Action] = field(default_factory=list)
    error: ContractError | None = None
    serial: int = 0
    ledger: Ledger = field(init=False)

    def __post_init__(self) -> None:
        self.ledger = Ledger(self.engine.packs)  # 办理时限 on each pack's own calendar


@pytest.fixture
def world() -> World:
    return World()


def pytest_configure(config: pytest.Config) -> None:
    """Register every installed pack's ASCII tags (pack id, clause tags) as markers (``pytest -m art-17``)."""
    import warnings

    from duchaplugin.hooks.manager import BrokenPackWarning, plugin_manager, register_packs
    from duchaplugin.pack import load_pack
    from pathlib import Path

    packs: dict[str, Any] = {}

    def register(directory: Any, module: Any = None) -> None:
        pack = load_pack(Path(directory), module)
        packs[pack.id] = pack
        config.addinivalue_line("markers", f"{pack.id}: 规则包 {pack.number}")
        for clause in pack.clauses.values():
            config.addinivalue_line("markers", f"{clause.tag}: {clause.path}")

    with warnings.catch_warnings():  # a broken third-party pack is reported where it is used (World's Engine)
        warnings.simplefilter("ignore", BrokenPackWarning)
        register_packs(plugin_manager(), register, packs)


def _resolved(world: World) -> Any:
    assert world.pack, "先写“假如 规则包为 …” / name the pack first"
    return world.engine.compiled(world.pack).pack


def _event_type(world: World, name: str) -> str:
    if name in CORE_EVENT_TYPES:
        return name
    names = dict(CORE_EVENT_TYPES)
    if world.pack:
        names.update(_resolved(world).event_types)
    for code, zh in names.items():
        if name == zh or name in zh.replace("（", "/").replace("）", "").split("/"):
            return code
    raise AssertionError(f"未知的事件名称：{name}（可用：{'、'.join(names.values())}）")


def _data(world: World, event_type: str, datatable: list[list[str]] | None) -> dict[str, Any]:
    """A ``| 项目 | 内容 |`` table → the event's ``data`` (labels through the pack's glossary)."""
    if not datatable:
        return {}
    header = [c.strip() for c in datatable[0]]
    assert header in DATA_HEADERS, f"数据表首行应为表头“| 项目 | 内容 |”，实为 {header}"
    glossary = _resolved(world).glossary if world.pack else {}
    data: dict[str, Any] = {}
    for label, text in ((row[0].strip(), row[1]) for row in datatable[1:]):
        name = field_for(glossary, label, event_type)
        if name is None:
            assert label.isascii(), f"术语表中没有“{label}”（规则包 {world.pack} 的 glossary.yaml）"
            name = label  # a contract field written as such (glossary-free features of hosts' engineers)
        data[name] = parse_value(text, name, is_list=name in LIST_FIELDS)
    return data


def _record(world: World, actions: list[Action]) -> None:
    world.last = actions
    world.all += actions
    world.ledger.actions(actions)


# -- 假如 -------------------------------------------------------------------------------------------

@given(parsers.parse('规则包为 "{pack}"'))
def given_pack(world: World, pack: str) -> None:
    world.pack = pack


@given(parsers.re(r'参数 "(?P<name>[^"]+)" 取值为 (?P<value>.+)'))
def given_parameter(world: World, name: str, value: str) -> None:
    """A parameter by its Chinese name (``label``) or key; the value in words (``15个工作日``、``否``),
    one of its ``choices`` in Chinese, or JSON."""
    parameters = _resolved(world).parameters
    key = name if name in parameters else next((k for k, p in parameters.items() if p.label == name), None)
    assert key is not None, f"规则包 {world.pack} 没有参数“{name}”"
    text = value.strip()
    text = text[1:-1] if len(text) > 1 and text[0] == text[-1] == '"' else text
    choices = {zh: code for code, zh in (parameters[key].choices or {}).items()}
    world.engine.set_parameter(world.pack, key, choices[text] if text in choices else parse_value(text, key))


EVENT = parsers.re(r'(?:事项|督查活动|活动|主体) "(?P<subject>[^"]+)" 于 "(?P<at>[^"]+)" (?:发生|报送|收到)? ?"(?P<name>[^"]+)"(?:[：:])?')


def _send(world: World, subject: str, at: str, name: str, datatable: list[list[str]] | None) -> None:
    event_type = _event_type(world, name)
    world.serial += 1
    event = {"id": f"e{world.serial}", "subject": subject, "type": event_type, "at": instant_text(at),
             "pack": world.pack, "data": _data(world, event_type, datatable)}
    world.error = None
    try:
        # time-based actions due before the event count for "至此"; the step's own are the event's
        earlier = world.engine.advance(event["at"])
        world.ledger.actions(earlier)
        parsed = parse_event(event)
        actions = world.engine.handle(parsed)
        world.ledger.event(parsed, actions)
        world.all += earlier + [a for a in actions if a.event != event["id"]]
        mine = [a for a in actions if a.event == event["id"]]
        world.last = mine
        world.all += mine
        world.ledger.actions(actions)
    except ContractError as exc:
        world.error = exc
        world.last = []


@given(EVENT)
@when(EVENT)
def event_happens(world: World, subject: str, at: str, name: str, datatable: list[list[str]] | None = None) -> None:
    _send(world, subject, at, name, datatable)


CONFIRM = parsers.re(r'(?:督查室|督查科|督查机构)?确认(?:事项|督查活动|活动|主体) "(?P<subject>[^"]+)" 的 "(?P<stage>[^"]+)" '
                     r'已于 "(?P<at>[^"]+)" (?:印发|下发|下达|实施|作出|进行)(?:[：:])?')


@given(CONFIRM)
@when(CONFIRM)
def action_confirmed(world: World, subject: str, stage: str, at: str, datatable: list[list[str]] | None = None) -> None:
    """The host's “已执行” (action_taken) for the latest action of the subject at that stage (阶段),
    or else whose title contains the words; a table adds the period it set (time_limit / due)."""
    earlier = world.engine.advance(instant_text(at))  # time-based actions due before it, as for any event
    world.ledger.actions(earlier)
    world.all += earlier
    found = [a for a in world.all if a.subject == subject and a.stage == stage] or \
        [a for a in world.all if a.subject == subject and stage in a.title]
    assert found, f"事项 {subject} 没有阶段为（或标题含）“{stage}”的动作：\n{_describe([a for a in world.all if a.subject == subject])}"
    rows = [["字段", "值"], ["action", found[-1].id], *((datatable or [])[1:])]
    _send(world, subject, at, "action_taken", rows)


@when(parsers.parse('时间推进到 "{at}"'))
@given(parsers.parse('时间推进到 "{at}"'))
def time_passes(world: World, at: str) -> None:
    _record(world, world.engine.advance(instant_text(at)))


# -- 那么 -------------------------------------------------------------------------------------------

def _field(action: Action, column: str) -> str:
    key = COLUMNS[column]
    if key in ("article", "pack"):
        return getattr(action.basis, key)
    if key == "situation":
        return str((action.data or {}).get("situation", ""))
    if key == "defaults":
        return "、".join(d.parameter for d in action.basis.defaults or []) or "无"
    value = getattr(action, key)
    if isinstance(value, list):
        return "、".join(value)
    if key == "provisional":
        return "是" if value else "否"
    return "" if value is None else (value.isoformat() if hasattr(value, "isoformat") else str(value))


def _expected(column: str, text: str) -> str:
    if column == "类型":
        return KINDS.get(text, text)
    if column == "到期":
        return date_text(text) or text
    if column == "时间":
        return instant_text(text)
    return text


def _matches(action: Action, row: dict[str, str]) -> bool:
    for column, text in row.items():
        if text == "":
            continue
        expected, actual = _expected(column, text), _field(action, column)
        if column == "标题包含":
            if expected not in actual:
                return False
        elif column == "默认值" and expected != "无":  # these defaults (parameter names) among the action's
            if not set(expected.split("、")) <= set(actual.split("、")):
                return False
        elif column == "时间":
            if not actual.startswith(expected):
                return False
        elif actual != expected:
            return False
    return True


def _describe(actions: list[Action]) -> str:
    return "\n".join(f"  {a.at.isoformat()} {a.kind} {a.stage or ''} {a.basis.article} 到期{a.due} {a.title} 审批{a.approvals}"
                     for a in actions) or "  （无）"


def _check(actions: list[Action], datatable: list[list[str]]) -> None:
    header = [c.strip() for c in datatable[0]]
    unknown = [c for c in header if c not in COLUMNS]
    assert not unknown, f"未知的列：{unknown}（可用：{'、'.join(COLUMNS)}）"
    for cells in datatable[1:]:
        row = dict(zip(header, (c.strip() for c in cells)))
        assert any(_matches(a, row) for a in actions), f"没有符合 {row} 的动作；实际动作：\n{_describe(actions)}"


@then("应产生动作：")
@then("应产生动作:")
def then_actions(world: World, datatable: list[list[str]]) -> None:
    assert world.error is None, f"事件出错：{world.error}"
    _check(world.last, datatable)


@then("至此应已产生动作：")
def then_actions_so_far(world: World, datatable: list[list[str]]) -> None:
    _check(world.all, datatable)


@then("不应产生动作")
def then_no_actions(world: World) -> None:
    assert world.error is None, f"事件出错：{world.error}"
    assert not world.last, f"不应产生动作，实际：\n{_describe(world.last)}"


@then(parsers.parse('不应产生 "{kind}" 动作'))
def then_no_kind(world: World, kind: str) -> None:
    kind = KINDS.get(kind, kind)
    found = [a for a in world.last if a.kind == kind]
    assert not found, f"不应产生 {kind} 动作，实际：\n{_describe(found)}"


@then(parsers.parse('至此不应产生 "{kind}" 动作'))
def then_never_kind(world: World, kind: str) -> None:
    kind = KINDS.get(kind, kind)
    found = [a for a in world.all if a.kind == kind]
    assert not found, f"不应产生 {kind} 动作，实际：\n{_describe(found)}"


@then(parsers.parse('事件被驳回，依据 "{article}"'))
def then_rejected(world: World, article: str) -> None:
    assert world.error is None, f"事件出错：{world.error}"
    assert any(a.kind == "rejection" and a.basis.article == article for a in world.last), \
        f"应被驳回（依据 {article}），实际：\n{_describe(world.last)}"


@then(parsers.parse('报错，信息包含 "{text}"'))
def then_error(world: World, text: str) -> None:
    assert world.error is not None, f"应报错，实际产生：\n{_describe(world.last)}"
    assert text in str(world.error), f"错误信息不含 {text!r}：{world.error}"


@then(parsers.parse('事项 "{subject}" 的状态 "{key}" 为 {value}'))
def then_state(world: World, subject: str, key: str, value: str) -> None:
    """Transitional: internal state. Features rewritten for reviewers use the 督查台账 sentences."""
    state = world.engine.states[subject]
    space, _, name = key.partition(".")
    source = {"state": state.flags, "subject": state.attrs}.get(space)
    assert source is not None, f"状态键应为 state.<名称> 或 subject.<名称>：{key}"
    assert source.get(name) == parse_value(value), f"{key} 为 {source.get(name)!r}，应为 {value}"


def _ledger_row(world: World, subject: str) -> dict[str, str] | None:
    rows = world.ledger.rows(list(world.engine.states.values()))
    return next((r for r in rows if r["编号"].split("（")[0] == subject), None)


@then(parsers.re(r'督查台账中 "(?P<subject>[^"]+)" 的 "(?P<column>[^"]+)" (?P<how>为|包含) "(?P<text>[^"]*)"'))
def then_ledger(world: World, subject: str, column: str, how: str, text: str) -> None:
    row = _ledger_row(world, subject)
    assert row is not None, f"督查台账中没有 {subject}"
    assert column in row, f"督查台账没有“{column}”一栏（有：{'、'.join(row)}）"
    text = CHINESE_DATE.sub(lambda m: date_text(m.group(0)) or m.group(0), text)  # 2025年10月9日 → 2025-10-09
    cell = row[column]
    # 为: the whole cell, or its first line (a date with its original wording below it, 办理时限)
    ok = text in (cell, cell.split("\n")[0]) if how == "为" else text in cell
    assert ok, f"督查台账中 {subject} 的“{column}”为 {cell!r}，应{how} {text!r}"


@then(parsers.parse('督查台账中没有 "{subject}"'))
def then_not_in_ledger(world: World, subject: str) -> None:
    assert _ledger_row(world, subject) is None, f"督查台账中不应有 {subject}"


@then("动作中不应出现以下内容：")
def then_no_content(world: World, datatable: list[list[str]]) -> None:
    assert [c.strip() for c in datatable[0]] == ["内容"], "表格首行应为表头“内容”，否则首行不被检查 / the first row must be the header 内容"
    texts = [row[0] for row in datatable[1:]]
    for action in world.all:
        dumped = json.dumps(action.to_json(), ensure_ascii=False)
        for text in texts:
            assert text not in dumped, f"动作 {action.id} 含有不应出现的内容 {text!r}：{action.title}"
