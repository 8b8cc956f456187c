# language: zh-CN
@cn @art-15
功能: 第十五条 督查方案
  """
  第十五条 开展政府督查工作应当制定督查方案，明确督查内容、对象和范围；应当严格控制督查频次和时限，科学运用督查方式，严肃督查纪律，提前培训督查人员。
  政府督查工作应当严格执行督查方案，不得随意扩大督查范围、变更督查对象和内容，不得干预督查对象的正常工作，严禁重复督查、多头督查、越权督查。

  解读：督查方案为 plan_filed 事件，content（督查内容）、targets（督查对象）、scope（督查范围，取第四条词表）缺一不可；
  督查活动开始（started）前未提交督查方案的，驳回。开始时未记录培训（trained: true）的，提示。
  方案提交后，事件的 targets/target 不在方案的督查对象内、scope 不在方案范围内的，提示“未严格执行督查方案”（重新提交方案即为变更方案）。
  重复督查、多头督查（条例未规定判定标准，默认值）：一项督查活动开始时，另一项正在进行（已开始、未结束）的督查活动与其督查对象有交集、
  督查内容（scope）相同的；组织者（organiser）相同为重复督查，不同为多头督查。
  越权督查：组织者层级 organiser_level 与督查对象层级 target_level 为整数（数字越大层级越低，如 国务院1、省2、市3、县4），
  对象层级高于组织者（target_level 小于 organiser_level）的为越权督查；部门的督查方案超出指定的对象、事项的，见第七条。
  严格控制督查频次（默认值）：同一组织者一个自然年度内对同一督查对象开始第4项督查活动时提示。
  """

  背景:
    假如 规则包为 "cn"

  @art-15-p1
  场景: 未制定督查方案即开始督查被驳回
    假如 督查活动 "P1" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段       | 值                 |
      | organiser  | 甲市人民政府       |
      | in_name_of | government         |
      | basis      | government_decision |
    当 督查活动 "P1" 于 "2025-03-10" 发生 "开始"
    那么 事件被驳回，依据 "第十五条第一款"

  @art-15-p1
  场景: 督查方案缺少督查对象和范围被驳回
    假如 督查活动 "P2" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | in_name_of | government          |
      | basis      | government_decision |
    当 督查活动 "P2" 于 "2025-03-05" 发生 "督查方案"：
      | 字段    | 值                   |
      | content | 稳就业政策落实情况   |
    那么 应产生动作：
      | 类型 | 依据           | 标题包含          |
      | 驳回 | 第十五条第一款 | 缺少督查对象、督查范围 |

  @art-15-p1
  场景: 有方案、已培训的督查活动正常开始
    假如 督查活动 "P3" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | in_name_of | government          |
      | basis      | government_decision |
    假如 督查活动 "P3" 于 "2025-03-05" 发生 "督查方案"：
      | 字段    | 值                   |
      | content | 稳就业政策落实情况   |
      | targets | ["乙县人民政府"]     |
      | scope   | government_deployments |
    当 督查活动 "P3" 于 "2025-03-10" 发生 "开始"：
      | 字段    | 值   |
      | trained | true |
    那么 不应产生动作

  @art-15-p1
  @art-9 @art-9-p2
  场景: 开始时未记录培训督查人员的提示
    假如 督查活动 "P4" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | in_name_of | government          |
      | basis      | government_decision |
    假如 督查活动 "P4" 于 "2025-03-05" 发生 "督查方案"：
      | 字段    | 值                     |
      | content | 稳就业政策落实情况     |
      | targets | ["乙县人民政府"]       |
      | scope   | government_deployments |
    当 督查活动 "P4" 于 "2025-03-10" 发生 "开始"
    那么 应产生动作：
      | 类型 | 依据           | 标题包含     |
      | 通知 | 第十五条第一款 | 提前培训督查人员 |

  @art-15-p2
  场景: 变更督查对象超出督查方案的提示
    假如 督查活动 "P5" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | in_name_of | government          |
      | basis      | government_decision |
    假如 督查活动 "P5" 于 "2025-03-05" 发生 "督查方案"：
      | 字段    | 值                     |
      | content | 稳就业政策落实情况     |
      | targets | ["乙县人民政府"]       |
      | scope   | government_deployments |
    假如 督查活动 "P5" 于 "2025-03-10" 发生 "开始"：
      | 字段    | 值   |
      | trained | true |
    当 督查活动 "P5" 于 "2025-03-20" 发生 "发现问题"：
      | 字段    | 值                             |
      | targets | ["乙县人民政府", "丙县人民政府"] |
      | problem | 台账不全                       |
    那么 应产生动作：
      | 类型 | 依据           | 标题包含     | 情形           |
      | 情形 | 第十五条第二款 | 丙县人民政府 | plan_deviation |

  @art-15-p2
  场景: 同一组织者对同一对象同一内容的督查期间重叠为重复督查，不同组织者为多头督查
    假如 督查活动 "D1" 于 "2025-04-01" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | organiser  | 甲市人民政府        |
      | in_name_of | government          |
      | basis      | government_decision |
    假如 督查活动 "D1" 于 "2025-04-02" 发生 "督查方案"：
      | 字段    | 值                 |
      | content | 安全生产检查       |
      | targets | ["乙县人民政府"]   |
      | scope   | statutory_duty     |
    假如 督查活动 "D1" 于 "2025-04-07" 发生 "开始"：
      | 字段    | 值   |
      | trained | true |
    假如 督查活动 "D2" 于 "2025-04-08" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | organiser  | 甲市人民政府        |
      | in_name_of | government          |
      | basis      | government_decision |
    假如 督查活动 "D2" 于 "2025-04-08" 发生 "督查方案"：
      | 字段    | 值                 |
      | content | 安全生产检查       |
      | targets | ["乙县人民政府"]   |
      | scope   | statutory_duty     |
    当 督查活动 "D2" 于 "2025-04-10" 发生 "开始"：
      | 字段    | 值   |
      | trained | true |
    那么 应产生动作：
      | 类型 | 依据           | 标题包含 | 情形      |
      | 情形 | 第十五条第二款 | 重复督查 | duplicate |
    假如 督查活动 "D3" 于 "2025-04-11" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | organiser  | 甲市应急管理局      |
      | in_name_of | government          |
      | basis      | government_decision |
    假如 督查活动 "D3" 于 "2025-04-11" 发生 "督查方案"：
      | 字段    | 值                 |
      | content | 安全生产检查       |
      | targets | ["乙县人民政府"]   |
      | scope   | statutory_duty     |
    当 督查活动 "D3" 于 "2025-04-14" 发生 "开始"：
      | 字段    | 值   |
      | trained | true |
    那么 应产生动作：
      | 类型 | 依据           | 标题包含 | 情形       |
      | 情形 | 第十五条第二款 | 多头督查 | multi_head |

  @art-15-p2
  场景: 已结束的督查活动不构成重复督查
    假如 督查活动 "D4" 于 "2025-05-01" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | organiser  | 甲市人民政府        |
      | in_name_of | government          |
      | basis      | government_decision |
    假如 督查活动 "D4" 于 "2025-05-02" 发生 "督查方案"：
      | 字段    | 值               |
      | content | 安全生产检查     |
      | targets | ["乙县人民政府"] |
      | scope   | statutory_duty   |
    假如 督查活动 "D4" 于 "2025-05-06" 发生 "开始"：
      | 字段    | 值   |
      | trained | true |
    假如 督查活动 "D4" 于 "2025-05-09" 发生 "结束"
    假如 督查活动 "D5" 于 "2025-06-01" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | organiser  | 甲市人民政府        |
      | in_name_of | government          |
      | basis      | government_decision |
    假如 督查活动 "D5" 于 "2025-06-02" 发生 "督查方案"：
      | 字段    | 值               |
      | content | 安全生产检查     |
      | targets | ["乙县人民政府"] |
      | scope   | statutory_duty   |
    当 督查活动 "D5" 于 "2025-06-03" 发生 "开始"：
      | 字段    | 值   |
      | trained | true |
    那么 不应产生 "情形" 动作

  @art-15-p2
  场景: 督查对象层级高于组织者为越权督查
    当 督查活动 "U1" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段            | 值                  |
      | organiser       | 乙县人民政府        |
      | organiser_level | 4                   |
      | target_level    | 3                   |
      | targets         | ["甲市发展和改革委员会"] |
      | in_name_of      | government          |
      | basis           | government_decision |
    那么 应产生动作：
      | 类型 | 依据           | 标题包含 | 情形        |
      | 情形 | 第十五条第二款 | 越权督查 | ultra_vires |

  @art-15-p1
  场景: 同一组织者一年内对同一督查对象开始第4项督查活动时提示严格控制督查频次（次数为默认值，可选）
    假如 督查活动 "F1" 于 "2025-02-03" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | organiser  | 甲市人民政府        |
      | in_name_of | government          |
      | basis      | government_decision |
    假如 督查活动 "F1" 于 "2025-02-05" 发生 "督查方案"：
      | 字段    | 值                   |
      | content | 专项督查1          |
      | targets | ["乙县人民政府"] |
      | scope   | central_decisions |
    假如 督查活动 "F1" 于 "2025-02-10" 发生 "开始"：
      | 字段    | 值   |
      | trained | true |
    假如 督查活动 "F2" 于 "2025-04-01" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | organiser  | 甲市人民政府        |
      | in_name_of | government          |
      | basis      | government_decision |
    假如 督查活动 "F2" 于 "2025-04-02" 发生 "督查方案"：
      | 字段    | 值                   |
      | content | 专项督查2          |
      | targets | ["乙县人民政府"] |
      | scope   | government_deployments |
    假如 督查活动 "F2" 于 "2025-04-07" 发生 "开始"：
      | 字段    | 值   |
      | trained | true |
    假如 督查活动 "F3" 于 "2025-06-02" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | organiser  | 甲市人民政府        |
      | in_name_of | government          |
      | basis      | government_decision |
    假如 督查活动 "F3" 于 "2025-06-03" 发生 "督查方案"：
      | 字段    | 值                   |
      | content | 专项督查3          |
      | targets | ["乙县人民政府"] |
      | scope   | statutory_duty |
    当 督查活动 "F3" 于 "2025-06-09" 发生 "开始"：
      | 字段    | 值   |
      | trained | true |
    那么 不应产生动作
    假如 督查活动 "F4" 于 "2025-09-01" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | organiser  | 甲市人民政府        |
      | in_name_of | government          |
      | basis      | government_decision |
    假如 督查活动 "F4" 于 "2025-09-02" 发生 "督查方案"：
      | 字段    | 值                   |
      | content | 专项督查4          |
      | targets | ["乙县人民政府", "丙县人民政府"] |
      | scope   | administrative_efficiency |
    当 督查活动 "F4" 于 "2025-09-08" 发生 "开始"：
      | 字段    | 值   |
      | trained | true |
    那么 应产生动作：
      | 类型 | 依据           | 标题包含                                                  |
      | 通知 | 第十五条第一款 | 甲市人民政府本年度对同一督查对象（乙县人民政府）已开展督查 4 次 |
