# language: zh-CN
@cn @art-14
功能: 第十四条 督查类型
  """
  县级以上人民政府可以组织开展综合督查、专项督查、事件调查、日常督办、线索核查等政府督查工作。

  解读：督查类型为列举事项，以规则包词汇表（pack.yaml vocabulary.activity_type）实施：接受文件原文或其简码，
  按原文记录（activity_type）并另记简码（activity_type_code）；文件未列举的取值为错误而非默认值，宿主须改正后重报。
  “等”字按列举完毕理解（不接受其他类型），下级规则包可以增补。
  """

  背景:
    假如 规则包为 "cn"

  @art-14
  场景大纲: 按文件原文或简码报送的督查类型被接受
    当 督查活动 "Wart-14" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | in_name_of | government          |
      | basis      | government_decision |
      | activity_type | <原文> |
    那么 不应产生 "驳回" 动作
    而且 事项 "Wart-14" 的状态 "subject.activity_type_code" 为 "<简码>"

    例子:
      | 原文 | 简码 |
      | 综合督查 | comprehensive |
      | 专项督查 | special |
      | 事件调查 | incident_investigation |
      | 日常督办 | routine_supervision |
      | 线索核查 | clue_verification |

  @art-14
  场景: 文件未列举的督查类型报错，指明字段
    当 督查活动 "Wart-14X" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | in_name_of | government          |
      | basis      | government_decision |
      | activity_type | 文件未列举的取值 |
    那么 报错，信息包含 "字段 data.activity_type：未知的取值"
