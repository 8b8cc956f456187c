# language: zh-CN
@cn @art-12
功能: 第十二条 督查方式
  """
  政府督查可以采取以下方式：
  （一）要求督查对象自查、说明情况；
  （二）听取督查对象汇报；
  （三）开展检查、访谈、暗访；
  （四）组织座谈、听证、统计、评估；
  （五）调阅、复制与督查事项有关的资料；
  （六）通过信函、电话、媒体等渠道收集线索；
  （七）约谈督查对象负责人或者相关责任人；
  （八）运用现代信息技术手段开展“互联网+督查”。

  解读：督查方式为列举事项，以规则包词汇表（pack.yaml vocabulary.method）实施：接受文件原文或其简码，
  按原文记录（method）并另记简码（method_code）；文件未列举的取值为错误而非默认值，宿主须改正后重报。
  """

  背景:
    假如 规则包为 "cn"

  @art-12-1 @art-12-2 @art-12-3 @art-12-4 @art-12-5 @art-12-6 @art-12-7 @art-12-8
  场景大纲: 按文件原文或简码报送的督查方式被接受
    当 督查活动 "Wart-12" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | in_name_of | government          |
      | basis      | government_decision |
      | method | <原文> |
    那么 不应产生 "驳回" 动作
    而且 事项 "Wart-12" 的状态 "subject.method_code" 为 "<简码>"

    例子:
      | 原文 | 简码 |
      | 要求督查对象自查、说明情况 | self_check |
      | 听取督查对象汇报 | hear_report |
      | 开展检查、访谈、暗访 | inspection_interview_unannounced |
      | 组织座谈、听证、统计、评估 | forum_hearing_statistics_evaluation |
      | 调阅、复制与督查事项有关的资料 | records |
      | 通过信函、电话、媒体等渠道收集线索 | clue_collection |
      | 约谈督查对象负责人或者相关责任人 | admonitory_talk |
      | 运用现代信息技术手段开展“互联网+督查” | internet_plus |

  @art-12
  场景: 文件未列举的督查方式报错，指明字段
    当 督查活动 "Wart-12X" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | in_name_of | government          |
      | basis      | government_decision |
      | method | 文件未列举的取值 |
    那么 报错，信息包含 "字段 data.method：未知的取值"
