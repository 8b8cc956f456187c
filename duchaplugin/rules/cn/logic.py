"""《政府督查工作条例》规则包的函数（rules.yaml 中 ``call`` / ``fact.<name>`` 所用）。

数据约定（实施者选定，写在各条的 .feature 中）：
- 督查对象与组织者的层级：``organiser_level``、``target_level`` 为整数，数字越大层级越低
  （如 国务院1、省2、市3、县4、乡5）。target_level 小于 organiser_level 为越权督查；
  大于 organiser_level + 1 为跨级督查（第五条第二款，须说明 need）；也可直接报送 ``cross_level: true``。
- 督查方案（plan_filed）的 ``targets``、``scope`` 记为 ``plan_targets``、``plan_scope``；
  其后事件的 ``targets``/``target`` 不在方案内、``scope`` 与方案不同的，提示（第十五条第二款）。
- 指定（approved，kind 为 designation）可载明 ``targets``（指定的督查对象）、``scope``（指定的事项）、
  ``due``（指定期限的最后一日）；部门的督查方案超出的，提示（第七条第一款）。
- 督查活动的期间：自 started 至 ended。重复督查、多头督查：在本活动开始时，同一规则包中另一项正在进行的
  督查活动与本活动有相同的督查对象和相同的督查内容（scope）；组织者（organiser）相同为重复，不同为多头。
"""

from __future__ import annotations

from typing import Any


def _list(value: Any) -> list[str]:
    if value in (None, "", []):
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def _targets(decision) -> list[str]:
    return _list(decision.data.get("targets")) + _list(decision.data.get("target"))


def _level(decision, name: str) -> int | None:
    value = decision.data.get(name, decision.state.attrs.get(name))
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def own_pack(decision) -> bool:
    """规则包就是本包（cn）而非其下级规则包：下级规则包的督办事项以其文件自己的来源分类立项。"""
    return decision.pack.id == "cn"


def check_targets(decision) -> None:
    """第五条第二款（跨级须说明必要）与第十五条第二款（越权督查：对象层级高于组织者）。"""
    organiser, target = _level(decision, "organiser_level"), _level(decision, "target_level")
    cross = bool(decision.data.get("cross_level"))
    if organiser is not None and target is not None:
        if target < organiser:
            decision.emit("situation", "越权督查：督查对象层级高于组织者（组织者层级 {0}，对象层级 {1}）".format(organiser, target),
                          clause="第十五条第二款", to=decision.value("param:inspection_body"),
                          data={"situation": "ultra_vires"})
            return
        cross = cross or target > organiser + 1
    need = decision.data.get("need") or decision.state.attrs.get("need")
    if cross and decision.value("param:cross_level_requires_need") and not need:
        decision.emit("situation", "跨级督查未说明必要理由（need）：上级人民政府一般只对下一级人民政府及其所属部门开展督查",
                      clause="第五条第二款", to=decision.value("param:inspection_body"),
                      data={"situation": "cross_level_without_need"})


def remember_designation(decision) -> None:
    flags = decision.state.flags
    flags["designated"] = True
    if decision.data.get("targets"):
        flags["designated_targets"] = _list(decision.data["targets"])
    if decision.data.get("scope"):
        flags["designated_scope"] = _list(decision.data["scope"])


def remember_plan(decision) -> None:
    """记下督查方案的对象和范围；同时检查部门的方案是否超出指定的事项、范围（第七条第一款）。"""
    flags = decision.state.flags
    flags["plan_targets"] = _list(decision.data.get("targets"))
    flags["plan_scope"] = _list(decision.data.get("scope"))
    if decision.state.attrs.get("in_name_of_code") != "department":
        return
    outside = [t for t in flags["plan_targets"] if flags.get("designated_targets") and t not in flags["designated_targets"]]
    scope = [s for s in flags["plan_scope"] if flags.get("designated_scope") and s not in flags["designated_scope"]]
    if outside or scope:
        words = "、".join(outside + scope)
        decision.emit("situation", f"部门的督查方案超出本级人民政府指定的事项、范围：{words}", clause="第七条第一款",
                      to=decision.value("param:inspection_body"), data={"situation": "beyond_designation"})


def check_plan_adherence(decision) -> None:
    """第十五条第二款：不得随意扩大督查范围、变更督查对象和内容。"""
    flags = decision.state.flags
    if "plan_targets" not in flags:
        return
    new_targets = [t for t in _targets(decision) if t not in flags["plan_targets"]]
    new_scope = [s for s in _list(decision.data.get("scope")) if flags.get("plan_scope") and s not in flags["plan_scope"]]
    if new_targets or new_scope:
        parts = []
        if new_targets:
            parts.append("督查方案以外的督查对象：" + "、".join(new_targets))
        if new_scope:
            parts.append("督查方案以外的督查内容：" + "、".join(new_scope))
        decision.emit("situation", "未严格执行督查方案，" + "；".join(parts), clause="第十五条第二款",
                      to=decision.value("param:inspection_body"), data={"situation": "plan_deviation"})


def check_overlaps(decision) -> None:
    """第十五条：重复督查、多头督查（第二款；条例未规定判定标准，默认标准写在该条的 .feature 中），
    督查频次（第一款，默认参数 frequency_warning_per_year）。

    规则包的台账（``@<pack>``）记着正在进行的督查活动（``active_activities``）和各年度每个组织者对每个督查对象
    开始的督查活动数（``started_per_year``），所以判定只看正在进行的活动，不扫描整个台账。"""
    me = decision.state
    me.flags["started"] = True
    docket = decision.docket.docket_state(me.pack, decision.at).flags
    active: list[str] = docket.setdefault("active_activities", [])
    targets = set(me.flags.get("plan_targets") or _list(me.attrs.get("targets")))
    scope = set(me.flags.get("plan_scope") or _list(me.attrs.get("scope")))
    organiser = me.attrs.get("organiser")
    if targets and scope:
        for other in filter(None, map(decision.docket.states.get, active)):
            if other.subject == me.subject:
                continue
            common = targets & set(other.flags.get("plan_targets") or _list(other.attrs.get("targets")))
            same_scope = scope & set(other.flags.get("plan_scope") or _list(other.attrs.get("scope")))
            if not common or not same_scope:
                continue
            duplicate = organiser is not None and organiser == other.attrs.get("organiser")
            name = "重复督查" if duplicate else "多头督查"
            secret = me.attrs.get("secret") is True or other.attrs.get("secret") is True  # 第二十四条: 对象不予显示
            targets_shown = "" if secret else f"（{'、'.join(sorted(common))}）"
            decision.emit("situation", f"{name}：与正在进行的督查活动 {other.subject} 对同一督查对象{targets_shown}"
                          f"督查同一内容", clause="第十五条第二款", to=decision.value("param:inspection_body"),
                          data={"situation": "duplicate" if duplicate else "multi_head", "other": other.subject},
                          key=other.subject)
    if me.subject not in active:
        active.append(me.subject)
    if organiser is None or not targets:
        return
    counts = docket.setdefault("started_per_year", {}).setdefault(str(decision.at.year), {})
    for target in targets:
        key = f"{organiser}|{target}"
        counts[key] = counts.get(key, 0) + 1
    limit = decision.value("param:frequency_warning_per_year")
    reached = sorted(t for t in targets if limit and counts[f"{organiser}|{t}"] >= int(limit))
    if reached:
        most = max(counts[f"{organiser}|{t}"] for t in reached)
        decision.emit("notice", f"严格控制督查频次：{organiser}本年度对同一督查对象（{'、'.join(reached)}）已开展督查 {most} 次",
                      clause="第十五条第一款", to=decision.value("param:inspection_body"))


def mark_ended(decision) -> None:
    decision.state.flags["ended"] = True
    active = decision.docket.docket_state(decision.state.pack, decision.at).flags.get("active_activities") or []
    if decision.state.subject in active:
        active.remove(decision.state.subject)


def remember_feedback(decision) -> None:
    """第十六条第一款：记下须反馈的督查对象。"""
    decision.state.flags["feedback_pending"] = _targets(decision)


def feedback_received(decision) -> None:
    pending = [t for t in decision.state.flags.get("feedback_pending") or [] if t not in _targets(decision)]
    decision.state.flags["feedback_pending"] = pending
    if not pending:
        decision.state.timers.pop("conclusion_feedback", None)


def check_recusal(decision) -> None:
    """第十七条：参与作出督查结论的工作人员在复核中应当回避。"""
    made_by = set(_list(decision.state.flags.get("made_by")))
    clash = [r for r in _list(decision.data.get("reviewers")) if r in made_by]
    if clash and decision.value("param:review_recusal"):
        decision.emit("situation", "复核未依法回避：参与作出督查结论的 " + "、".join(clash) + " 参与了复核",
                      clause="第十七条", to=decision.value("param:review_body"), data={"situation": "no_recusal"})


def remember_makers(decision) -> None:
    decision.state.flags["made_by"] = _list(decision.data.get("made_by"))


FUNCTIONS = {
    "own_pack": own_pack,
    "check_targets": check_targets,
    "remember_designation": remember_designation,
    "remember_plan": remember_plan,
    "check_plan_adherence": check_plan_adherence,
    "check_overlaps": check_overlaps,
    "mark_ended": mark_ended,
    "remember_feedback": remember_feedback,
    "feedback_received": feedback_received,
    "check_recusal": check_recusal,
    "remember_makers": remember_makers,
}
