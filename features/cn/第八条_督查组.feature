# language: zh-CN
@cn @art-8
功能: 第八条 督查组
  """
  第八条 县级以上人民政府根据工作需要，可以派出督查组。督查组按照本级人民政府确定的督查事项、范围、职责、期限开展政府督查。督查组对本级人民政府负责。
  督查组实行组长负责制，组长由本级人民政府确定。
  可以邀请人大代表、政协委员、政府参事和专家学者等参加督查组。

  解读：proposed 的 group 为 true 表示派出督查组，leader 为组长，leader_set_by 为确定组长的机关。
  开始时仍无组长的驳回；组长不是由本级人民政府确定的提示。本级人民政府确定的期限以 approved（consent）的 due 表示，期限届满后才开始的提示。
  第三款“可以邀请”为裁量事项，无须判断。
  """

  背景:
    假如 规则包为 "cn"

  @art-8-p2
  场景: 督查组未确定组长不得开始督查
    假如 督查活动 "Z1" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | in_name_of | government          |
      | basis      | government_decision |
      | group      | true                |
    假如 督查活动 "Z1" 于 "2025-03-05" 发生 "督查方案"：
      | 字段    | 值               |
      | content | 项目建设         |
      | targets | ["乙县人民政府"] |
      | scope   | government_deployments |
    当 督查活动 "Z1" 于 "2025-03-10" 发生 "开始"：
      | 字段    | 值   |
      | trained | true |
    那么 事件被驳回，依据 "第八条第二款"

  @art-8-p2
  场景: 组长不是由本级人民政府确定的提示
    当 督查活动 "Z2" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段          | 值                  |
      | in_name_of    | government          |
      | basis         | government_decision |
      | group         | true                |
      | leader        | 张三                |
      | leader_set_by | 甲市发展和改革委员会 |
    那么 应产生动作：
      | 类型 | 依据         | 标题包含           |
      | 情形 | 第八条第二款 | 组长应由本级人民政府确定 |

  @art-8-p1
  场景: 督查组超出确定的期限开展督查的提示
    假如 督查活动 "Z3" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | in_name_of | government          |
      | basis      | government_decision |
      | group      | true                |
      | leader     | 张三                |
    假如 督查活动 "Z3" 于 "2025-03-04" 发生 "批准/指定/备案"：
      | 字段 | 值           |
      | by   | 甲市人民政府 |
      | kind | consent      |
      | due  | 2025-03-20   |
    假如 督查活动 "Z3" 于 "2025-03-05" 发生 "督查方案"：
      | 字段    | 值               |
      | content | 项目建设         |
      | targets | ["乙县人民政府"] |
      | scope   | government_deployments |
    当 督查活动 "Z3" 于 "2025-03-25" 发生 "开始"：
      | 字段    | 值   |
      | trained | true |
    那么 应产生动作：
      | 类型 | 依据         | 标题包含 |
      | 情形 | 第八条第一款 | 督查组超出 |
