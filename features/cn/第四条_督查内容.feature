# language: zh-CN
@cn @art-4
功能: 第四条 督查内容
  """
  政府督查内容包括：
  （一）党中央、国务院重大决策部署落实情况；
  （二）上级和本级人民政府重要工作部署落实情况；
  （三）督查对象法定职责履行情况；
  （四）本级人民政府所属部门和下级人民政府的行政效能。

  解读：督查内容为列举事项，以规则包词汇表（pack.yaml vocabulary.scope）实施：接受文件原文或其简码，
  按原文记录（scope）并另记简码（scope_code）；文件未列举的取值为错误而非默认值，宿主须改正后重报。
  """

  背景:
    假如 规则包为 "cn"

  @art-4-1 @art-4-2 @art-4-3 @art-4-4
  场景大纲: 按文件原文或简码报送的督查内容被接受
    当 督查活动 "Wart-4" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | in_name_of | government          |
      | basis      | government_decision |
      | scope | <原文> |
    那么 不应产生 "驳回" 动作
    而且 事项 "Wart-4" 的状态 "subject.scope_code" 为 "<简码>"

    例子:
      | 原文 | 简码 |
      | 党中央、国务院重大决策部署落实情况 | central_decisions |
      | 上级和本级人民政府重要工作部署落实情况 | government_deployments |
      | 督查对象法定职责履行情况 | statutory_duty |
      | 本级人民政府所属部门和下级人民政府的行政效能 | administrative_efficiency |

  @art-4
  场景: 文件未列举的督查内容报错，指明字段
    当 督查活动 "Wart-4X" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | in_name_of | government          |
      | basis      | government_decision |
      | scope | 文件未列举的取值 |
    那么 报错，信息包含 "字段 data.scope：未知的取值"
