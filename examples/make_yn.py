"""Generate examples/yn-2025.jsonl: a year of the 云南省人民政府督查室's docket under 云政办函〔2018〕49号.

Run ``python examples/make_yn.py`` (no arguments) to rewrite the file; the output is deterministic
(no clock, no randomness), and tests/test_example_yn.py checks the file is exactly what this script
writes. Replay it with ``duchaplugin replay examples/yn-2025.jsonl --format table``.

Each item below says which clause of the document it is there to show. Units, leaders and titles
are realistic but the people are fictitious.
"""

from __future__ import annotations

import json
from pathlib import Path

PACK = "cn-yn"
OUT = Path(__file__).with_name("yn-2025.jsonl")
HANDLER = "省政府督查室督查一处 李娜"

events: list[dict] = []


def ev(subject: str, at: str, type_: str, **data) -> None:
    """One event; each names the pack (CONTRACT.md requires it on a subject's first event, and a
    registration resent after a rejection is a first event again: a rejected event leaves no subject)."""
    event = {"subject": subject, "type": type_, "at": at, "pack": PACK}
    if data:
        event["data"] = data
    events.append(event)


def progress(subject: str, at: str, percent: int, text: str) -> None:
    ev(subject, at, "progress_reported", percent=percent, text=text)


MONTHLY = {"months": 1}  # 交办时明确“每月报送进展”（第五条（六）定期反馈）

# ── 001 第四条（一） 党中央、国务院和省委交办事项：按时办结、每月反馈 → 第七条（二）通报表扬建议 ─────────
S = "YNDB-2025-001"
ev(S, "2025-02-10T09:30", "registered", category="党中央、国务院和省委交办事项", handler=HANDLER,
   title="落实国务院稳就业部署，做好2025届高校毕业生就业工作")
ev(S, "2025-02-12T10:00", "assigned", lead_unit="省人力资源社会保障厅", leader="省人力资源社会保障厅厅长 杨志强",
   co_units=["省教育厅", "省财政厅"], due="2025-06-30", feedback_interval=MONTHLY)
progress(S, "2025-03-07T16:00", 30, "已召开全省高校毕业生就业工作推进会，归集岗位3.2万个")
progress(S, "2025-04-03T16:00", 55, "组织“百日千万”网络招聘专项行动，签约率同比提高4个百分点")
progress(S, "2025-04-29T16:00", 75, "政策性岗位招录计划全部下达，未就业毕业生实名登记全覆盖")
progress(S, "2025-05-27T16:00", 90, "离校前去向落实率达到年度目标")
ev(S, "2025-06-16T11:00", "completion_reported", text="年度就业目标任务全部完成，有关佐证材料已报送")
ev(S, "2025-06-20T15:00", "closed", approved_by="省政府督查室主任")

# ── 002 第四条（二） 省人民政府重大决策部署（重大督查事项）：第五条（四）整改、（五）回访核查 ────────────
S = "YNDB-2025-002"
ev(S, "2025-03-03T09:00", "registered", category="省人民政府重大决策部署", handler=HANDLER, major=True,
   supervision_form="实地督查", title="推进滇中新区重大产业项目建设（省政府重大督查事项）")
ev(S, "2025-03-05T10:00", "assigned", lead_unit="省发展改革委", leader="省发展改革委主任 周建国",
   co_units=["省自然资源厅", "滇中新区管委会"], due="2025-09-30", feedback_interval=MONTHLY)
progress(S, "2025-03-31T17:00", 20, "12个重大产业项目中9个已开工")
ev(S, "2025-04-10T10:00", "problem_found", problem="部分项目用地报批滞后、配套资金到位率偏低", due="2025-05-30")
ev(S, "2025-04-18T16:00", "rectification_planned", problem="部分项目用地报批滞后、配套资金到位率偏低",
   text="制定用地报批“一项目一专班”整改方案，明确配套资金拨付时间表")
progress(S, "2025-04-28T17:00", 40, "整改方案已印发，3个项目用地报批完成")
ev(S, "2025-05-26T16:00", "rectification_reported", problem="部分项目用地报批滞后、配套资金到位率偏低",
   text="用地报批全部上报，配套资金到位率提高到85%")
ev(S, "2025-06-10T15:00", "verified", passed=False, problem="回访核查发现2个项目用地仍未获批，整改措施未落实到位")
progress(S, "2025-06-25T17:00", 60, "2个项目用地报批已进入自然资源部审查")
ev(S, "2025-07-08T16:00", "rectification_reported", problem="2个项目用地仍未获批", text="2个项目用地已获批")
ev(S, "2025-07-22T15:00", "verified", passed=True, problem="2个项目用地仍未获批")
progress(S, "2025-08-06T17:00", 75, "11个项目全部开工，完成年度投资计划的68%")
progress(S, "2025-09-04T17:00", 85, "12个项目全部开工，完成年度投资计划的78%")
ev(S, "2025-09-24T16:00", "completion_reported", text="12个项目全部开工建设，年度目标任务完成")
ev(S, "2025-09-29T10:00", "verified", passed=True)
ev(S, "2025-09-30T11:00", "closed", approved_by="省政府督查室主任")

# ── 003 第四条（三）《政府工作报告》目标任务：第五条（三）催办；逾期 → 第七条（一）1.（2）；
#        第七条（一）2. 通报 → 约谈 → 问责；第五条（六）反馈逾期；违纪违法线索移送纪检监察机关 ───────────
S = "YNDB-2025-003"
ev(S, "2025-03-10T09:00", "registered", category="云南省《政府工作报告》主要目标任务", handler=HANDLER,
   title="新开工改造城镇老旧小区1800个（《政府工作报告》目标任务）")
ev(S, "2025-03-12T10:00", "assigned", lead_unit="省住房城乡建设厅", leader="省住房城乡建设厅厅长 刘海涛",
   co_units=["各州（市）人民政府"], due="2025-06-30")
progress(S, "2025-03-25T17:00", 10, "已下达改造计划，开工186个")
# 10个工作日未再反馈 → 催办（第五条（三）），识别“工作进展缓慢”（第七条（一）1.（7））
progress(S, "2025-04-14T17:00", 18, "开工324个")
progress(S, "2025-04-25T17:00", 22, "开工396个")
progress(S, "2025-05-12T17:00", 30, "开工540个，部分州市配套资金未落实")  # 进度落后于时间 → 催办
progress(S, "2025-05-23T17:00", 38, "开工684个")
progress(S, "2025-06-06T17:00", 45, "开工810个")
progress(S, "2025-06-19T17:00", 52, "开工936个")
# 完成时限届满未报请办结 → 第七条（一）1.（2）情形、通报；通报期限届满 → 约谈；约谈期限届满 → 问责建议
ev(S, "2025-08-20T10:00", "finding", violation=True, evidence="省审计厅移交：某县挪用老旧小区改造中央补助资金460万元")
progress(S, "2025-08-28T17:00", 85, "开工1530个")
ev(S, "2025-09-15T16:00", "completion_reported", text="全省新开工改造城镇老旧小区1812个")
ev(S, "2025-09-19T10:00", "verified", passed=True)
ev(S, "2025-09-22T11:00", "closed", approved_by="省政府督查室主任")

# ── 004 第四条（四） 省人民政府主要领导批示：报请办结经核查未通过 → 第七条（一）1.（7）虚报；事项回到办理中，
#        原完成时限已过 → 第七条（一）1.（3）、通报；认定虚报瞒报 → 第六条（五）媒体曝光建议 ──────────────────────
S = "YNDB-2025-004"
ev(S, "2025-04-07T09:00", "registered", category="省人民政府主要领导批示指示和交办重要工作", handler=HANDLER,
   title="省长批示：加快昆明市主城区交通拥堵综合治理")
ev(S, "2025-04-08T10:00", "assigned", lead_unit="昆明市人民政府", leader="昆明市副市长 陈立新",
   time_limit={"working_days": 40}, feedback_interval=MONTHLY)
progress(S, "2025-05-06T17:00", 60, "32处拥堵点中已治理21处")
ev(S, "2025-05-30T16:00", "completion_reported", text="32处拥堵点治理全部完成")
ev(S, "2025-06-06T15:00", "verified", passed=False, problem="暗访抽查发现3处拥堵点治理措施未实施，上报完成情况与实际不符")
ev(S, "2025-06-06T16:00", "problem_found", problem="3处拥堵点治理措施未实施", due="2025-06-27")
ev(S, "2025-06-10T10:00", "finding", situation="yn-7-7-misreport", exposure="虚报瞒报",
   evidence="暗访视频3段、现场检查记录")
ev(S, "2025-06-12T16:00", "rectification_planned", problem="3处拥堵点治理措施未实施",
   text="逐点制定治理方案，市公安局交警支队、市住房城乡建设局分工负责")
ev(S, "2025-06-26T16:00", "rectification_reported", problem="3处拥堵点治理措施未实施", text="3处拥堵点治理完成")
ev(S, "2025-06-27T16:00", "completion_reported", text="32处拥堵点治理全部完成，附现场照片和第三方评估意见")
ev(S, "2025-07-03T15:00", "verified", passed=True)
ev(S, "2025-07-04T11:00", "closed", approved_by="省政府督查室主任")

# ── 005 第四条（五） 难点、堵点及社会热点；第六条（四）投诉举报线索立项；认定第七条（一）1.（6）、不作为 → 曝光建议 ──
S = "YNDB-2025-005"
ev(S, "2025-05-12T09:00", "registered", category="工作中的难点、堵点问题及社会关注热点问题", source="投诉举报",
   handler=HANDLER, title="群众投诉：曲靖市麒麟区部分小区供水管网老化频繁停水",
   clue="省政府网站“政策不落实投诉专栏”2025-05-09收到投诉14件")
ev(S, "2025-05-13T10:00", "assigned", lead_unit="曲靖市人民政府", leader="曲靖市副市长 赵永明",
   time_limit={"working_days": 20})
progress(S, "2025-05-23T17:00", 40, "已完成应急抢修，制定管网改造计划")
progress(S, "2025-06-04T17:00", 70, "老化管网更换完成4.6公里")
ev(S, "2025-06-05T10:00", "finding", situation="yn-7-6", exposure="不作为",
   evidence="停水持续7天，影响居民1.2万户，云南广播电视台报道")
ev(S, "2025-06-10T16:00", "completion_reported", text="供水管网改造完成，恢复正常供水")
ev(S, "2025-06-13T15:00", "verified", passed=True)
ev(S, "2025-06-16T11:00", "closed", approved_by="省政府督查室主任")

# ── 006 第四条（三） 省政府常务会议议定事项：第五条（一）立项缺专人退回；第五条（二）交办缺项退回、及时交办提醒；
#        第五条（六）定期反馈缺报 ────────────────────────────────────────────────────────────────
S = "YNDB-2025-006"
ev(S, "2025-06-02T09:00", "registered", category="省人民政府全体会议、省人民政府常务会议及其他重要会议议定事项",
   title="省政府第58次常务会议议定：推进高原特色现代农业“一县一业”示范县建设")  # 未安排专人 → 退回
ev(S, "2025-06-02T14:00", "registered", category="省人民政府全体会议、省人民政府常务会议及其他重要会议议定事项",
   handler=HANDLER, title="省政府第58次常务会议议定：推进高原特色现代农业“一县一业”示范县建设")
ev(S, "2025-06-04T10:00", "assigned", lead_unit="省农业农村厅")  # 缺责任领导、完成时限 → 退回
ev(S, "2025-06-11T10:00", "assigned", lead_unit="省农业农村厅", leader="省农业农村厅厅长 马俊",
   due="2025-11-28", feedback_interval=MONTHLY)
progress(S, "2025-07-10T17:00", 25, "20个示范县实施方案全部批复")
progress(S, "2025-08-08T17:00", 45, "示范县主导产业产值同比增长11%")
# 九月未按月反馈 → 第五条（六）提醒、计为反馈不及时
progress(S, "2025-09-15T17:00", 65, "新建标准化种植基地12万亩")
progress(S, "2025-10-14T17:00", 80, "示范县龙头企业新增37家")
progress(S, "2025-11-12T17:00", 95, "年度目标基本完成")
ev(S, "2025-11-25T16:00", "completion_reported", text="20个示范县建设年度任务全部完成")
ev(S, "2025-11-28T11:00", "closed", approved_by="省政府督查室主任")

# ── 007 第四条（二） 省住房城乡建设厅的第二个事项：按时办结（考核按单位平均） ───────────────────────────
S = "YNDB-2025-007"
ev(S, "2025-04-14T09:00", "registered", category="省人民政府重大决策部署", handler=HANDLER,
   title="推进城市燃气管道等老化更新改造")
ev(S, "2025-04-15T10:00", "assigned", lead_unit="省住房城乡建设厅", leader="省住房城乡建设厅副厅长 孙红梅",
   due="2025-10-31", feedback_interval=MONTHLY)
progress(S, "2025-05-14T17:00", 30, "完成燃气管道改造420公里")
progress(S, "2025-06-12T17:00", 50, "完成燃气管道改造700公里")
progress(S, "2025-07-11T17:00", 65, "完成燃气管道改造910公里")
progress(S, "2025-08-08T17:00", 80, "完成燃气管道改造1120公里")
progress(S, "2025-09-05T17:00", 92, "完成燃气管道改造1290公里")
progress(S, "2025-09-30T17:00", 97, "完成燃气管道改造1370公里")
ev(S, "2025-10-17T16:00", "completion_reported", text="完成燃气管道改造1406公里，超额完成年度任务")
ev(S, "2025-10-24T11:00", "closed", approved_by="省政府督查室主任")

# ── 008 第四条（一） 中央交办：认定第七条（一）1.（1）措施不得力 → 通报；报告整改后不再升级 ──────────────
S = "YNDB-2025-008"
ev(S, "2025-06-16T09:00", "registered", category="党中央、国务院和省委交办事项", handler=HANDLER,
   title="第三轮中央生态环境保护督察反馈问题整改：滇池流域入湖河道水质提升")
ev(S, "2025-06-17T10:00", "assigned", lead_unit="省生态环境厅", leader="省生态环境厅厅长 何晓东",
   co_units=["昆明市人民政府"], due="2025-11-28", feedback_interval=MONTHLY)
progress(S, "2025-07-10T17:00", 20, "已制定入湖河道“一河一策”")
ev(S, "2025-07-15T10:00", "finding", situation="措施不得力",
   evidence="省政府督查室实地督查：3条入湖河道截污工程停工2个月，未采取有效措施")
ev(S, "2025-07-31T16:00", "rectification_reported", text="截污工程全部复工，建立周调度机制")
progress(S, "2025-08-12T17:00", 50, "截污工程完成60%")
progress(S, "2025-09-10T17:00", 70, "入湖河道水质达标率提高到80%")
progress(S, "2025-10-10T17:00", 90, "截污工程完工")
progress(S, "2025-11-07T17:00", 95, "入湖河道水质连续3个月达标")
ev(S, "2025-11-20T16:00", "completion_reported", text="入湖河道水质全部达到考核目标")
ev(S, "2025-11-24T15:00", "verified", passed=True)
ev(S, "2025-11-25T11:00", "closed", approved_by="省政府督查室主任")

# ── 009 第四条（四） 省长调研考察时的指示（现场办公）：年末仍未办结 → 第七条（一）1.（4）、通报；年末计分 ──────
S = "YNDB-2025-009"
ev(S, "2025-08-04T09:00", "registered", category="省人民政府主要领导批示指示和交办重要工作", handler=HANDLER,
   site_visit=True, title="省长在怒江州调研时指示：加快易地扶贫搬迁安置点后续产业配套")
ev(S, "2025-08-05T10:00", "assigned", lead_unit="怒江傈僳族自治州人民政府", leader="怒江州副州长 和丽萍",
   due="2025-12-12", feedback_interval=MONTHLY)
progress(S, "2025-09-03T17:00", 30, "安置点扶贫车间新开工5个")
progress(S, "2025-10-09T17:00", 45, "新增就业岗位800个")
progress(S, "2025-11-07T17:00", 60, "安置点配套产业园一期完工")
progress(S, "2025-12-05T17:00", 70, "二期受冬季施工影响进度滞后")

# ── 010 第七条（一）1.（5） 省委、省政府部署的重大督查活动；2021-02-01起上级包 cn（条例）适用：
#        第十一条督查事项依据、第十五条督查方案、第十六条督查结论、第十七条复核、第十八条整改 ────────────────
S = "YNDC-2025-01"
ev(S, "2025-08-25T09:00", "proposed", organiser="省政府督查室", in_name_of="government", basis="head_instruction",
   targets=["保山市人民政府", "红河哈尼族彝族自治州人民政府"], scope="上级和本级人民政府重要工作部署落实情况",
   method="明察暗访", activity_type="special", major=True, title="2025年全省优化营商环境专项督查")
ev(S, "2025-08-27T15:00", "approved", by="省长", kind="consent", reference="省政府督查室呈批件〔2025〕31号")
ev(S, "2025-09-01T10:00", "plan_filed", content="优化营商环境政策措施落实情况", scope="上级和本级人民政府重要工作部署落实情况",
   targets=["保山市人民政府", "红河哈尼族彝族自治州人民政府"], major=True, due="2025-09-30", trained=True)
ev(S, "2025-09-08T09:00", "started", trained=True)
# 督查方案定于9月30日前完成，10月20日才结束 → 第七条（一）1.（5）“未按照计划要求开展”
ev(S, "2025-10-20T17:00", "ended")
ev(S, "2025-10-31T10:00", "conclusion_issued", targets=["保山市人民政府"], requires_rectification=True,
   evidence=["企业座谈记录12份", "暗访视频4段"], made_by=["王某", "李某"])
ev(S, "2025-11-03T09:30", "conclusion_received", target="保山市人民政府")
ev(S, "2025-11-20T16:00", "review_requested", target="保山市人民政府")
ev(S, "2025-11-28T16:00", "rectification_reported", problem="企业开办“一网通办”未落实、涉企收费清单未公开",
   text="已全部整改并报送整改报告")
ev(S, "2025-12-10T10:00", "review_decided", target="保山市人民政府", result="维持原结论", reviewers=["赵某", "钱某"])
ev(S, "2025-12-16T15:00", "verified", passed=True, problem="企业开办“一网通办”未落实、涉企收费清单未公开")

# ── 011 第八条 省政府督查室每年至少组织1次全省督查干部集中教育培训：12月1日提醒后于12月组织 ───────────────
ev("YNPX-2025", "2025-12-18T09:00", "training_held", organiser="省政府督查室",
   title="2025年全省政务督查干部集中教育培训班", participants=186)

# ── 012 第四条（一） 中央领导同志批办事项：逾期未办结 → 第七条（一）1.（3）、通报；通报后报请办结被退回（整改不到位）
#        → 第七条（一）2.（2）约谈；再次报请办结经核查通过后销号，逾期自原完成时限起算（第七条（三）） ─────────────────
S = "YNDB-2025-010"
ev(S, "2025-07-07T09:00", "registered", category="党中央、国务院和省委交办事项", handler=HANDLER,
   title="国务院领导同志批示：完善中老铁路沿线货运站点集疏运配套")
ev(S, "2025-07-08T10:00", "assigned", lead_unit="省交通运输厅", leader="省交通运输厅厅长 段建华",
   co_units=["省商务厅", "西双版纳傣族自治州人民政府"], due="2025-08-29", feedback_interval=MONTHLY)
progress(S, "2025-08-05T17:00", 60, "3个站点集疏运道路完工，磨憨站公铁联运仓储开工")
ev(S, "2025-09-03T16:00", "completion_reported", text="沿线货运站点集疏运配套全部完成")
ev(S, "2025-09-10T11:00", "reopened", reason="核实发现磨憨站公铁联运仓储尚未投入使用，所报完成情况与实际不符，退回重新办理")
progress(S, "2025-09-19T17:00", 90, "磨憨站公铁联运仓储通过验收")
ev(S, "2025-09-26T16:00", "completion_reported", text="磨憨站公铁联运仓储投入使用，附验收意见和运营记录")
ev(S, "2025-09-30T10:00", "verified", passed=True)
ev(S, "2025-10-09T11:00", "closed", approved_by="省政府督查室主任")

# 年初：009 的进展反馈（此前1月1日出具上年度考核、1月第一个工作日的汇总报告）
progress("YNDB-2025-009", "2026-01-05T17:00", 80, "二期主体完工，年后投产")


def main() -> None:
    events.sort(key=lambda e: e["at"])  # one history in time order (stable: same instant keeps script order)
    lines = [json.dumps({"id": f"yn25-{n:03d}", **e}, ensure_ascii=False) for n, e in enumerate(events, start=1)]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
