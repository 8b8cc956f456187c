"""The fast paths that build actions: they must give exactly what the slow, obvious ones give."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pydantic import ValidationError

from duchaplugin import Engine
from duchaplugin.calendar import BEIJING
from duchaplugin.effects import Decision
from duchaplugin.errors import PackError
from duchaplugin.events import _SLOW, DATA_TYPES
from duchaplugin.models import Action, Basis, SubjectState, Timer, construct
from duchaplugin.titles import REDACTED, UNSET, _by_format_map, compile_template

AT = datetime(2025, 9, 22, 9, tzinfo=BEIJING)


def test_construct_equals_model_construct() -> None:
    basis = {"pack": "cn", "document": "国令第733号", "article": "第十条", "text": "……"}
    action = {"id": "A1", "subject": "S1", "at": AT, "kind": "notice", "stage": None, "title": "标题", "due": date(2025, 9, 30),
              "provisional": None, "basis": construct(Basis, dict(basis)), "approvals": ["主任"], "to": None, "rule": "cn:r",
              "event": "e1", "data": {"rung": 1}}
    timer = {"name": "due", "rule": "cn:r", "last_day": date(2025, 9, 30), "overdue_at": AT, "warn_at": None,
             "provisional": False, "warned": False, "overdue": False}
    for model, values in ((Action, action), (Timer, timer), (Basis, basis)):
        fast, slow = construct(model, dict(values)), model.model_construct(**values)
        assert fast == slow
        assert fast.model_dump(mode="json") == slow.model_dump(mode="json")
        assert fast.model_fields_set == slow.model_fields_set
        assert fast.model_extra == slow.model_extra
    Action.model_validate(construct(Action, dict(action)).to_json())  # what it builds is a valid action


@pytest.fixture(scope="module")
def decision() -> Decision:
    compiled = Engine(entry_points=False).compiled("cn-xj-hutubi")
    state = SubjectState(subject="LS-1", pack="cn-xj-hutubi", created_at=AT, last_at=AT,
                         attrs={"title": "修缮校舍", "lead_unit": "县教育局", "co_units": ["县财政局", "县住建局"],
                                "time_limit": {"working_days": 5}, "handler": ""},
                         flags={"ladder_rung": 2}, timers={"due": construct(Timer, {
                             "name": "due", "rule": "r", "last_day": date(2025, 9, 30), "overdue_at": AT, "warn_at": None,
                             "provisional": False, "warned": False, "overdue": False})})
    return Decision(compiled.pack, compiled.calendar, state, "assigned", AT, data={"instruction": "抓紧办理"})


TEMPLATES = [
    "无字段的标题", "事项 {id}（{at}）：{subject.title}，牵头 {subject.lead_unit}，配合 {subject.co_units}",
    "时限 {subject.time_limit}，承办人 {subject.handler}，缺 {subject.nothing}", "第{state.ladder_rung}级，到期 {timer.due}，{timer.none}",
    "{data.instruction}；{param.ladder_name}", "请于 {due} 前办结（{extra.real}）", "转义 {{id}} 与 {id:>6} 和 {id!r}",
]


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("secret", [False, True])
def test_compiled_templates_fill_as_format_map_does(decision: Decision, template: str, secret: bool) -> None:
    decision.state.attrs["secret"] = secret
    extra = {"due": "2025-10-09", "extra": type("Extra", (), {"real": "真"})()}
    expected = _by_format_map(template)(decision, extra)
    assert compile_template(template)(decision, extra) == expected
    if secret and "subject.title" in template:
        assert REDACTED in expected
    if "subject.nothing" in template:
        assert UNSET in expected


def test_a_template_naming_an_unknown_field_is_a_pack_error(decision: Decision) -> None:
    with pytest.raises(PackError, match="标题模板无法生成"):
        decision.render("事项 {idd}")


@pytest.mark.parametrize(("name", "value"), [
    ("major", True), ("major", "true"), ("major", 1), ("due", "2025-10-08"), ("due", "2025-02-30"), ("due", "20251008"),
    ("targets", ["县财政局", "县教育局"]), ("targets", ["县财政局", 1]), ("targets", "县财政局"),
    ("time_limit", {"working_days": 5}), ("time_limit", {"working_days": -1}), ("time_limit", {"days": True}),
    ("time_limit", {"weeks": 2, "days": 1}), ("percent", 50), ("percent", 12.5), ("percent", "50"), ("percent", True),
])
def test_plain_event_fields_are_read_as_their_adapters_read_them(name: str, value: object) -> None:
    adapter, _, _, plain = DATA_TYPES[name]
    try:
        slow = adapter.validate_python(value)
    except ValidationError:
        slow = "error"
    fast = plain(value)
    assert fast is _SLOW or fast == slow
    assert slow != "error" or fast is _SLOW  # what the adapter refuses always reaches it, for its message


def test_the_state_table_indexes_every_way_a_host_changes_it() -> None:
    from duchaplugin.statetable import StateTable

    def state(subject: str, pack: str) -> SubjectState:
        return SubjectState(subject=subject, pack=pack, created_at=AT, last_at=AT)

    table = StateTable({"A": state("A", "cn")})
    table["B"] = state("B", "cn-yn")
    table["@cn-yn"] = state("@cn-yn", "cn-yn")
    table.setdefault("C", state("C", "cn-yn"))
    table |= {"D": state("D", "cn")}
    table.update(E=state("E", "cn-yn"))
    table["A"] = state("A", "cn-yn")  # moved to another pack
    del table["B"]
    table.pop("E")
    table.pop("missing", None)

    def by_filter(pack: str) -> list[str]:
        return [s.subject for s in table.values() if s.pack == pack and not s.subject.startswith("@")]
    for pack in ("cn", "cn-yn"):
        assert sorted(s.subject for s in table.of_pack(pack)) == sorted(by_filter(pack))
    table.popitem()
    table.clear()
    assert list(table.of_pack("cn-yn")) == [] and list(table.of_pack("cn")) == []


def test_states_a_host_puts_back_are_indexed() -> None:
    engine = Engine(entry_points=False)
    data = engine.export_state()
    data["subjects"] = {"S1": SubjectState(subject="S1", pack="cn-yn", created_at=AT, last_at=AT).model_dump(mode="json")}
    engine.restore_state(data)
    assert [s.subject for s in engine._table.of_pack("cn-yn")] == ["S1"]
    with pytest.raises(AttributeError):
        engine.states = {}  # no half-way path: restore_state is the one way in
