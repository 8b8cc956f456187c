"""Write ``examples/hutubi-2025.jsonl``: a year of 呼图壁县 督查督办 under 呼县政办〔2023〕38号.

Run ``python examples/make_hutubi.py`` (from anywhere); the output is deterministic (no randomness,
no wall clock). Replay it with

    duchaplugin replay examples/hutubi-2025.jsonl --format table

The year, in short (item ids are the 督查科's own 编号):

- JH-2025     年度督查计划 approved by the 县人民政府常务会议 (一、（一）2.（1））;
- CG-2025-01…05  常规性 items decomposed to 副县长/部门/乡镇 (2.（2）) and reported monthly, as a sealed
  and signed letter, on the 1st (working day) after the 28th urge (2.（3））; one report is rejected
  for lacking the 公章, one for lacking the 负责人签字 (and resent a day late: 未按要求反馈落实情况,
  a 《催办函》 (二、（一）) that the report sent that day settles);
- LS-…        临时性 items from several of the ten sources (一、（二）1.), registered, transferred
  with the 分管副县长's signature (one transfer without it is rejected), undertaken, urged, closed
  (销号) and archived;
- LS-2025-012 runs across 古尔邦节 (新疆, 6月6日至10日); LS-2025-031 and LS-2025-032 across 国庆节;
- LS-2025-021 climbs 提醒 → 约谈 → 问责 (二、);
- LS-2025-026 is overdue, gets a 催办函, then an approved extension (正当理由) suspends the ladder and
  it completes within the new limit;
- LS-2025-015 and LS-2025-018 carry the 县长's 批示, relayed to the heads of the item's units (2.（5））;
- LS-2025-027 is 涉密: its title and requirement never appear in an action;
- LS-2025-041 runs into 2026 and is still open at the year's end.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from duchaplugin.calendar import get_calendar

OUT = Path(__file__).with_name("hutubi-2025.jsonl")
PACK = "cn-xj-hutubi"
XJ = get_calendar("xj")

# -- people and units (leaders' names are placeholders: 某) ------------------------------------------
WANG = "县人民政府副县长王某"   # 分管住建、自然资源、交通
LI = "县人民政府副县长李某"     # 分管工信、发改、应急
ZHAO = "县人民政府副县长赵某"   # 分管农业农村、水利、乡镇
MA = "县人民政府副县长马某"     # 分管教育、人社、信访
ZHUJIAN = "呼图壁县住房和城乡建设局"
GONGXIN = "呼图壁县工业和信息化局"
JIAOYU = "呼图壁县教育局"
NONGYE = "呼图壁县农业农村局"
DAFENG = "大丰镇人民政府"
SHUILI = "呼图壁县水利局"
JIAOTONG = "呼图壁县交通运输局"
FAGAI = "呼图壁县发展和改革委员会"
YINGJI = "呼图壁县应急管理局"
ZIRAN = "呼图壁县自然资源局"
RENSHE = "呼图壁县人力资源和社会保障局"
YUANHU = "园户村镇人民政府"
HUTUBI_ZHEN = "呼图壁镇人民政府"

events: list[dict] = []


def event(subject: str, type_: str, at: str, **data) -> None:
    """One host event; each names the pack (required on a subject's first event, and a registration
    resent after a rejection is a first event again); a clock tick belongs to no subject's pack."""
    e = {"subject": subject, "type": type_, "at": at, "data": data}
    if type_ != "tick":
        e["pack"] = PACK
    events.append(e)


def report_day(month: int) -> date:
    """The day units send the monthly report due on the 1st of ``month``: the next working day, except
    that before a long holiday (五一, 国庆) the 督查科 has them report on the last working day before it,
    provided that is after the 28th urge (the 春节 holiday pushed the January urge past 1 February)."""
    first = date(2025, month, 1)
    after, before = XJ.workday_on_or_after(first), XJ.workday_on_or_before(first)
    urged = XJ.workday_on_or_after(date(2025, month - 1, 28))
    return before if (after - first).days > 2 and before >= urged else after


# -- 一、（一）2.（1）年度督查计划 ---------------------------------------------------------------------
# A 2024 hotline item still open at the turn of the year opens the docket before the first working day,
# so the 年初 requirement to draw up the plan is in the ledger.
event("LS-2024-118", "registered", "2024-12-30T10:00", regular=False, source="群众期盼、反映的民生问题或其他信访问题办理情况",
      number="呼督〔2024〕118号", title="县城多个小区冬季供暖室温不达标（12345热线集中反映）", lead_unit=ZHUJIAN, leader=WANG,
      requirement="逐户排查室温不达标原因，限期整改并回复来电群众")
event("LS-2024-118", "assigned", "2024-12-30T16:00", signed_by=WANG, lead_unit=ZHUJIAN, leader=WANG,
      handler="县住建局城建股股长刘某", time_limit={"working_days": 10})
event("LS-2024-118", "completion_reported", "2025-01-10T17:00", percent=100,
      text="已排查投诉小区7个，更换失衡阀门46处、疏通管网2处，复测室温均达18℃以上，已逐一回复来电群众")
event("LS-2024-118", "closed", "2025-01-13T11:00", approved_by=WANG)

event("JH-2025", "plan_approved", "2025-01-22T10:00", title="呼图壁县人民政府2025年度督查工作计划",
      by="县人民政府2025年第2次常务会议", consulted=["县委办公室", "县政府各部门"])

# -- 一、（一）常规性督查：责任分解与月报 ----------------------------------------------------------------
REGULAR = [
    # id, 督查内容, 事项, 责任单位, 责任领导, 工作目标, 重点任务, 时间节点, 单位行政主要负责人, progress text
    ("CG-2025-01", "本级《政府工作报告》确定的重点工作、重点项目和10件惠民实事落实情况",
     "10件惠民实事：改造城镇老旧小区12个", ZHUJIAN, WANG, "年内完成12个老旧小区改造，惠及居民1860户",
     ["供热、给排水管网更新", "外墙保温", "加装电动自行车充电设施"], "2025-11-30", "县住建局局长周某",
     "已完成{n}个小区改造（共12个）"),
    ("CG-2025-02", "自治州下达呼图壁县年度绩效考核指标重点任务落实情况",
     "州考核指标：规模以上工业增加值增长8%", GONGXIN, LI, "规模以上工业增加值同比增长8%以上",
     ["新增规上企业5家", "推进化工园区技改项目投产"], "2025-12-31", "县工信局局长何某",
     "规上工业增加值累计增长{p:.1f}%（目标8%）"),
    ("CG-2025-03", "上级和本级人大、政协交办的人大代表议案、建议和政协委员提案办理落实情况",
     "县人大代表建议第15号：改善农村中小学寄宿条件", JIAOYU, MA, "改造农村寄宿制学校宿舍4所，答复代表满意",
     ["宿舍改造", "配齐生活设施", "书面答复代表"], "2025-09-30", "县教育局局长古某",
     "已完成{n}所学校宿舍改造（共4所）"),
    ("CG-2025-04", "督查对象法定职责履行情况",
     "大丰镇农村人居环境整治提升", DAFENG, ZHAO, "完成全镇14个村人居环境整治提升",
     ["垃圾收运体系", "农村户厕改造", "村庄清洁行动"], "2025-10-31", "大丰镇镇长阿某",
     "已完成{n}个村整治（共14个）"),
    ("CG-2025-05", "国务院和区、州人民政府《政府工作报告》确定的需县级人民政府贯彻落实的事项",
     "自治区《政府工作报告》：新建高标准农田5万亩", NONGYE, ZHAO, "新建高标准农田5万亩，年底前通过验收",
     ["土地平整", "高效节水灌溉", "田间道路"], "2025-10-31", "县农业农村局局长韩某",
     "已建成高标准农田{w:.1f}万亩（共5万亩）"),
]
TOTALS = {"CG-2025-01": 12, "CG-2025-02": 8, "CG-2025-03": 4, "CG-2025-04": 14, "CG-2025-05": 5}
# Cumulative percent reported on the 1st of each month (month of the report → percent); an item stops
# reporting once completed. CG-2025-04 (大丰镇) lags through the summer and is criticised for it.
PROGRESS = {
    "CG-2025-01": {2: 2, 3: 5, 4: 10, 5: 20, 6: 35, 7: 50, 8: 65, 9: 80, 10: 90, 11: 95},
    "CG-2025-02": {2: 2, 3: 10, 4: 20, 5: 30, 6: 45, 7: 55, 8: 65, 9: 75, 10: 82, 11: 88, 12: 95},
    "CG-2025-03": {2: 2, 3: 10, 4: 20, 5: 35, 6: 50, 7: 60, 8: 75, 9: 90},
    "CG-2025-04": {2: 2, 3: 5, 4: 10, 5: 15, 6: 20, 7: 25, 8: 45, 9: 70, 10: 90},
    "CG-2025-05": {2: 3, 3: 15, 4: 25, 5: 35, 6: 45, 7: 60, 8: 75, 9: 90, 10: 98},
}
COMPLETED = {"CG-2025-01": "2025-11-26T16:00", "CG-2025-02": "2025-12-26T16:00", "CG-2025-03": "2025-09-26T16:00",
             "CG-2025-04": "2025-10-29T16:00", "CG-2025-05": "2025-10-28T16:00"}
SITE_CHECK = {("CG-2025-01", 7), ("CG-2025-04", 8), ("CG-2025-05", 9)}   # 需要实地核实 (检查、访谈、暗访)


def progress_text(item: str, template: str, percent: float) -> str:
    total = TOTALS[item]
    return template.format(n=round(total * percent / 100), p=total * percent / 100, w=total * percent / 100)


for n, (item, category, title, unit, leader, goal, tasks, due, head, text) in enumerate(REGULAR):
    event(item, "registered", f"2025-01-24T{9 + n:02d}:00", regular=True, category=category, title=title,
          lead_unit=unit, leader=leader)
    event(item, "assigned", f"2025-01-24T{9 + n:02d}:30", lead_unit=unit, leader=leader, goal=goal, tasks=tasks,
          due=due)
    for month, percent in PROGRESS[item].items():
        day = report_day(month)
        report = dict(percent=percent, text=progress_text(item, text, percent), sealed=True, signed_by=head)
        if (item, month) in SITE_CHECK:
            report["site_check"] = True
        at = f"{day.isoformat()}T{10 + n:02d}:00"
        if (item, month) == ("CG-2025-04", 6):      # 函头未加盖公章：退回，当日补盖后重报
            event(item, "progress_reported", f"{day.isoformat()}T09:30", **{**report, "sealed": False})
        if (item, month) == ("CG-2025-03", 9):      # 未经局长签字：退回，次日重报（已过报送日）
            event(item, "progress_reported", f"{day.isoformat()}T09:40", **{k: v for k, v in report.items() if k != "signed_by"})
            at = f"{XJ.next_workday(day).isoformat()}T11:00"
        event(item, "progress_reported", at, **report)
    event(item, "completion_reported", COMPLETED[item], percent=100, text=progress_text(item, text, 100) + "，申请销号",
          sealed=True, signed_by=head)
    event(item, "closed", COMPLETED[item][:11] + "18:30", approved_by=leader)


# -- 一、（二）临时性督查 -------------------------------------------------------------------------------
def adhoc(item: str, at: str, source: str, number: str, title: str, unit: str, leader: str, requirement: str, **more) -> None:
    """登记：分类（来源）、编号、登记，填写《督查事项登记台账》（责任单位、办理要求）."""
    event(item, "registered", at, regular=False, source=source, number=number, title=title, lead_unit=unit,
          leader=leader, requirement=requirement, **more)


def transfer(item: str, at: str, leader: str, handler: str | None = None, **limit) -> None:
    """转办：《督办单》经分管副县长签批后转交承办单位；承办人和办结时限已明确的一并写明."""
    data = {"signed_by": leader}
    if handler:
        data["handler"] = handler
    event(item, "assigned", at, **data, **limit)


def finish(item: str, reported: str, closed: str, text: str, leader: str) -> None:
    """报请办结，经分管副县长同意后在《督查事项登记表》中销号."""
    event(item, "completion_reported", reported, percent=100, text=text)
    event(item, "closed", closed, approved_by=leader)


# 一、（二）1.（1）上级人民政府督查机构交办
adhoc("LS-2025-003", "2025-02-17T10:00", "上级人民政府督查机构交办的督查事项落实情况", "呼督〔2025〕3号",
      "自治州人民政府督查室交办：冬春季农村饮水安全隐患排查整治", SHUILI, ZHAO,
      "排查全县农村供水工程冻损、水质隐患，建立台账限期整改，报州督查室")
transfer("LS-2025-003", "2025-02-18T11:00", ZHAO, "县水利局农村供水站站长买某", time_limit={"working_days": 20})
finish("LS-2025-003", "2025-03-14T17:00", "2025-03-17T10:00",
       "排查农村供水工程86处，整改冻损管道12处，水质抽检合格，已书面报州督查室", ZHAO)

# 一、（二）1.（2）人民网“领导留言板”：转办未签批被退回；转办时未明确承办人和办结时限，分管副县长随后明确
adhoc("LS-2025-007", "2025-03-10T10:00", "“互联网+督查”、人民网“领导留言板”等相关网络平台群众留言办理情况",
      "呼督〔2025〕7号", "人民网“领导留言板”留言：五工台镇至二十里店镇乡道破损严重", JIAOTONG, WANG,
      "核实路况，制定修复方案，7日内回复网民")
event("LS-2025-007", "assigned", "2025-03-11T09:30", lead_unit=JIAOTONG, time_limit={"working_days": 20})
transfer("LS-2025-007", "2025-03-11T16:00", WANG)
event("LS-2025-007", "approved", "2025-03-17T10:00", by=WANG, handler="县交通运输局公路股股长吴某",
      time_limit={"working_days": 20})
finish("LS-2025-007", "2025-04-11T17:00", "2025-04-14T10:00",
       "已完成破损路段8.6公里坑槽修补，纳入2025年农村公路提升改造计划，已在“领导留言板”回复网民", WANG)

# 一、（二）1.（6）县人民政府挂牌督办（安全生产），重大事项；县长批示由督查科直接反馈
adhoc("LS-2025-015", "2025-04-07T10:00", "县人民政府挂牌督办事项（安全生产、生态环保等）推进情况", "呼督〔2025〕15号",
      "县人民政府挂牌督办：化工园区危险化学品企业重大事故隐患整改", YINGJI, LI,
      "对照隐患清单逐项整改销号，整改前落实管控措施", major=True)
transfer("LS-2025-015", "2025-04-08T10:00", LI, "县应急管理局危化股股长孙某", time_limit={"working_days": 15})
event("LS-2025-015", "approved", "2025-04-14T16:00", by="县长",
      instruction="请应急管理局对照隐患清单逐项销号，4月底前全部整改到位")
finish("LS-2025-015", "2025-04-25T17:00", "2025-04-28T10:00",
       "3家企业11项重大事故隐患全部整改销号，经第三方复核通过", LI)

# 一、（二）1.（7）环保督察反馈问题整改：提醒 → 约谈 → 问责
adhoc("LS-2025-021", "2025-05-12T10:00", "法治、环保、审计等各类上级督察反馈问题整改落实情况", "呼督〔2025〕21号",
      "自治区生态环境保护督察反馈：雀尔沟镇砂石料场无证开采、生态修复滞后问题整改", ZIRAN, WANG,
      "关停无证料场，完成矿坑回填和植被恢复，按期报送整改销号材料", co_units=["雀尔沟镇人民政府"])
transfer("LS-2025-021", "2025-05-13T10:00", WANG, "县自然资源局矿管股股长陈某", time_limit={"working_days": 15})
event("LS-2025-021", "progress_reported", "2025-06-13T17:00", percent=40, text="已关停无证料场3处，矿坑回填完成约四成")
event("LS-2025-021", "finding", "2025-06-27T10:00", situation="对全局工作产生影响",
      evidence="自治区督察整改“回头看”将该问题列为整改不力，影响全县督察反馈问题整体销号进度")
event("LS-2025-021", "progress_reported", "2025-07-15T17:00", percent=80, text="矿坑回填全部完成，植被恢复完成八成")
finish("LS-2025-021", "2025-07-30T17:00", "2025-07-31T10:00",
       "无证料场全部关停，矿坑回填1.2万立方米、植被恢复86亩，整改销号材料已报自治区", WANG)

# 一、（二）1.（8）县长下基层调研确定：期限跨古尔邦节（新疆6月6日至10日放假）
adhoc("LS-2025-012", "2025-06-03T10:00", "县长下基层调研、检查指导工作、现场办公时确定需督办的事项", "呼督〔2025〕12号",
      "县长调研大丰镇设施农业园区时确定：解决园区季节性用电容量不足", FAGAI, LI,
      "协调供电部门增容改造，保障夏季滴灌和冷库用电")
transfer("LS-2025-012", "2025-06-04T10:00", LI, "县发改委能源股股长郑某", time_limit={"working_days": 5})
finish("LS-2025-012", "2025-06-13T17:00", "2025-06-16T10:00", "协调国网呼图壁县供电公司新增变压器2台，园区用电容量满足需要", LI)

# 一、（二）1.（9）12345热线：县长批示，由督查科直接反馈承办单位（人社局）和协办单位（住建局）主要负责人
adhoc("LS-2025-018", "2025-07-07T10:00", "群众期盼、反映的民生问题或其他信访问题办理情况", "呼督〔2025〕18号",
      "12345热线反映：二十里店镇某建设项目拖欠农民工工资", RENSHE, MA,
      "核实欠薪金额，督促施工企业足额支付，回复来电群众", co_units=[ZHUJIAN])
transfer("LS-2025-018", "2025-07-08T10:00", MA, "县人社局劳动保障监察大队队长库某", time_limit={"working_days": 10})
event("LS-2025-018", "approved", "2025-07-14T15:00", by="县长", instruction="请人社局会同住建局于7月底前全部兑付到位")
finish("LS-2025-018", "2025-07-18T17:00", "2025-07-21T10:00", "已督促施工企业支付37名农民工工资52.6万元，来电群众满意", MA)

# 一、（二）1.（5）县人民政府常务会议确定：逾期，《催办函》后经批准延期（正当理由），在新期限内办结
adhoc("LS-2025-026", "2025-06-20T10:00",
      "县人民政府主要领导主持召开的各类会议（政府全体会议、党组会议、常务会议、县长办公会议、专题调度会议等）确定的重点工作落实情况",
      "呼督〔2025〕26号", "县人民政府常务会议确定：县城区集中供热老旧管网改造（一期）", ZHUJIAN, WANG,
      "9月底前完成一期管网改造并打压试水，确保按期供暖")
transfer("LS-2025-026", "2025-06-23T10:00", WANG, "县住建局城建股股长刘某", due="2025-08-29")
event("LS-2025-026", "extension_granted", "2025-09-02T11:00", due="2025-09-26", approved_by="县长",
      reason="主管材因上游厂家停产延迟到货，有供货方书面说明")
finish("LS-2025-026", "2025-09-24T17:00", "2025-09-25T10:00", "一期改造管网6.8公里，打压试水合格，具备供暖条件", WANG)

# 一、（二）1.（3）上级领导批示（涉密）：标题和办理要求不得出现在任何动作中
adhoc("LS-2025-027", "2025-08-11T10:00",
      "区、州党委、政府各类会议决策部署和会议纪要、《昌吉动态》等内部刊物批示要求，以及上级领导批示、指示需要呼图壁县或各县市贯彻落实的事项",
      "呼督〔2025〕27号", "某军事管理区周边违建拆除及征地补偿遗留问题", ZIRAN, WANG,
      "按上级领导批示，会同驻地部队完成违建拆除和补偿兑付", secret=True)
transfer("LS-2025-027", "2025-08-12T10:00", WANG, "县自然资源局局长", time_limit={"days": 30})
finish("LS-2025-027", "2025-09-09T17:00", "2025-09-10T10:00", "已按批示要求办结，材料按涉密件报送", WANG)

# 一、（二）1.（2）“互联网+督查”：30日期限 → 10日期限，届满日落在国庆假期，顺延至假期后第一日（民法典第二百零三条）
adhoc("LS-2025-032", "2025-09-23T10:00", "“互联网+督查”、人民网“领导留言板”等相关网络平台群众留言办理情况",
      "呼督〔2025〕32号", "“互联网+督查”平台留言：呼图壁镇某小区二次供水设施老化频繁停水", HUTUBI_ZHEN, WANG,
      "更换老化供水设备，恢复正常供水，回复留言群众")
transfer("LS-2025-032", "2025-09-24T10:00", WANG, "呼图壁镇城建办主任杨某", time_limit={"days": 10})
finish("LS-2025-032", "2025-10-09T17:00", "2025-10-10T10:00", "已更换二次供水加压泵2台，供水恢复正常，已回复留言群众", WANG)

# 一、（二）1.（9）自治州信访攻坚案件：5个工作日，跨国庆节、中秋节（10月1日至8日）
adhoc("LS-2025-031", "2025-09-25T10:00", "群众期盼、反映的民生问题或其他信访问题办理情况", "呼督〔2025〕31号",
      "自治州信访攻坚案件：园户村镇土地承包经营权纠纷", YUANHU, ZHAO,
      "依法调处纠纷，化解信访矛盾，书面答复信访人")
transfer("LS-2025-031", "2025-09-26T10:00", ZHAO, "园户村镇综治中心主任努某", time_limit={"working_days": 5})
finish("LS-2025-031", "2025-10-10T16:00", "2025-10-13T10:00", "经镇村两级调解，双方签订调解协议，已书面答复信访人，息诉罢访", ZHAO)

# 一、（二）1.（4）县委常委会议部署：入冬燃气安全排查
adhoc("LS-2025-036", "2025-11-10T10:00", "县委常委会议有关部署要求和县委主要领导批示指示由县长、副县长落实的事项",
      "呼督〔2025〕36号", "县委常委会议部署：入冬前城镇燃气安全专项排查整治", ZHUJIAN, WANG,
      "排查餐饮场所和老旧小区燃气管线、报警装置，隐患当即整改")
transfer("LS-2025-036", "2025-11-11T10:00", WANG, "县住建局燃气办主任马某", time_limit={"working_days": 15})
event("LS-2025-036", "progress_reported", "2025-11-21T17:00", percent=60, text="已排查餐饮场所312家、老旧小区27个，整改隐患58处")
finish("LS-2025-036", "2025-11-28T17:00", "2025-12-01T10:00", "排查整治全部完成，整改隐患91处，加装燃气报警装置140台", WANG)

# 一、（二）1.（10）县政府主要领导确定：岁末年初农民工工资支付，跨年办理，年底仍在办
adhoc("LS-2025-041", "2025-12-15T10:00", "根据工作需要，县政府主要领导确定的其他督查督办事项", "呼督〔2025〕41号",
      "县长确定：岁末年初根治欠薪冬季专项行动", RENSHE, MA,
      "排查在建项目工资支付情况，春节前实现动态清零", major=True)
transfer("LS-2025-041", "2025-12-16T10:00", MA, "县人社局劳动保障监察大队队长库某", due="2026-01-23")
event("LS-2025-041", "progress_reported", "2025-12-29T17:00", percent=50, text="已排查在建项目46个，督促支付工资318万元")

# 年终：时钟推进到12月31日，使当日以前的时间规则（《督查专报》、月度督促等）全部执行
event("@" + PACK, "tick", "2025-12-31T23:59")


def write() -> None:
    ordered = sorted(events, key=lambda e: e["at"])     # stable: same-time events keep their written order
    with OUT.open("w", encoding="utf-8", newline="\n") as out:
        for n, e in enumerate(ordered, start=1):
            line = {"id": f"hutubi-2025-{n:03d}", **e}
            if not line["data"]:
                del line["data"]
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    write()
