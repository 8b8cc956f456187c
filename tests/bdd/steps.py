"""Step definitions shared by every pack's features (vocabulary: ``features/README.md``).

Sentences are Chinese and general: a legal reader writes a new scenario — another date, another
category, another approval — by reusing them, without touching Python.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from duchaplugin import ContractError, Engine
from duchaplugin.models import CORE_EVENT_TYPES, Action

KINDS = {"通知": "notice", "提醒": "notice", "升级": "escalation", "情形": "situation", "要求": "requirement",
         "驳回": "rejection", "建议": "suggestion", "评分": "score", "报告": "report"}
COLUMNS = {"类型": "kind", "阶段": "stage", "依据": "article", "规则包": "pack", "到期": "due", "标题包含": "title",
           "审批": "approvals", "接收": "to", "时间": "at", "暂定": "provisional", "事项": "subject", "情形": "situation",
           "默认值": "defaults"}


@dataclass
class World:
    engine: Engine = field(default_factory=lambda: Engine(entry_points=False))
    pack: str | None = None
    last: list[Action] = field(default_factory=list)
    all: list[Action] = field(default_factory=list)
    error: ContractError | None = None
    serial: int = 0


@pytest.fixture
def world() -> World:
    return World()


def _event_type(world: World, name: str) -> str:
    if name in CORE_EVENT_TYPES:
        return name
    names = dict(CORE_EVENT_TYPES)
    if world.pack:
        names.update(world.engine.compiled(world.pack).pack.event_types)
    for code, zh in names.items():
        if name == zh or name in zh.replace("（", "/").replace("）", "").split("/"):
            return code
    raise AssertionError(f"未知的事件名称：{name}（可用：{'、'.join(names.values())}）")


def _value(text: str) -> Any:
    text = text.strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _record(world: World, actions: list[Action]) -> None:
    world.last = actions
    world.all += actions


# -- 假如 -------------------------------------------------------------------------------------------

@given(parsers.parse('规则包为 "{pack}"'))
def given_pack(world: World, pack: str) -> None:
    world.pack = pack


@given(parsers.parse('参数 "{name}" 取值为 {value}'))
def given_parameter(world: World, name: str, value: str) -> None:
    world.engine.set_parameter(world.pack, name, _value(value))


EVENT = parsers.re(r'(?:事项|督查活动|活动|主体) "(?P<subject>[^"]+)" 于 "(?P<at>[^"]+)" (?:发生|报送|收到)? ?"(?P<name>[^"]+)"(?:[：:])?')


def _send(world: World, subject: str, at: str, name: str, datatable: list[list[str]] | None) -> None:
    data = {row[0]: _value(row[1]) for row in (datatable or [])[1:]} if datatable else {}
    world.serial += 1
    event = {"id": f"e{world.serial}", "subject": subject, "type": _event_type(world, name), "at": at,
             "pack": world.pack, "data": data}
    world.error = None
    try:
        # time-based actions due before the event count for "至此"; the step's own are the event's
        earlier = world.engine.advance(at)
        actions = world.engine.handle(event)
        world.all += earlier + [a for a in actions if a.event != event["id"]]
        _record(world, [a for a in actions if a.event == event["id"]])
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
    earlier = world.engine.advance(at)  # time-based actions due before it, as for any event
    world.all += earlier
    found = [a for a in world.all if a.subject == subject and a.stage == stage] or \
        [a for a in world.all if a.subject == subject and stage in a.title]
    assert found, f"事项 {subject} 没有阶段为（或标题含）“{stage}”的动作：\n{_describe([a for a in world.all if a.subject == subject])}"
    rows = [["字段", "值"], ["action", found[-1].id], *((datatable or [])[1:])]
    _send(world, subject, at, "action_taken", rows)


@when(parsers.parse('时间推进到 "{at}"'))
@given(parsers.parse('时间推进到 "{at}"'))
def time_passes(world: World, at: str) -> None:
    _record(world, world.engine.advance(at))


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


def _matches(action: Action, row: dict[str, str]) -> bool:
    for column, expected in row.items():
        if expected == "":
            continue
        if column == "类型":
            expected = KINDS.get(expected, expected)
        actual = _field(action, column)
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
    header = datatable[0]
    unknown = [c for c in header if c not in COLUMNS]
    assert not unknown, f"未知的列：{unknown}（可用：{'、'.join(COLUMNS)}）"
    for cells in datatable[1:]:
        row = dict(zip(header, cells))
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
    state = world.engine.states[subject]
    space, _, name = key.partition(".")
    source = {"state": state.flags, "subject": state.attrs}.get(space)
    assert source is not None, f"状态键应为 state.<名称> 或 subject.<名称>：{key}"
    assert source.get(name) == _value(value), f"{key} 为 {source.get(name)!r}，应为 {value}"


@then("动作中不应出现以下内容：")
def then_no_content(world: World, datatable: list[list[str]]) -> None:
    assert [c.strip() for c in datatable[0]] == ["内容"], "表格首行应为表头“内容”，否则首行不被检查 / the first row must be the header 内容"
    texts = [row[0] for row in datatable[1:]]
    for action in world.all:
        dumped = json.dumps(action.to_json(), ensure_ascii=False)
        for text in texts:
            assert text not in dumped, f"动作 {action.id} 含有不应出现的内容 {text!r}：{action.title}"
