# language: zh-CN
@cn @art-5
功能: 第五条 督查对象
  """
  第五条 政府督查对象包括：（一）本级人民政府所属部门；（二）下级人民政府及其所属部门；（三）法律、法规授权的具有管理公共事务职能的组织；（四）受行政机关委托管理公共事务的组织。
  上级人民政府可以对下一级人民政府及其所属部门开展督查，必要时可以对所辖各级人民政府及其所属部门开展督查。

  解读：组织者层级 organiser_level、督查对象层级 target_level 为整数（数字越大层级越低）；target_level 大于 organiser_level + 1，
  或报送 cross_level 为 true 的，为跨级督查，须在 need 中说明必要理由，未说明的提示（不驳回）。
  """

  背景:
    假如 规则包为 "cn"

  @art-5-p2
  场景: 跨级督查未说明必要理由的提示
    当 督查活动 "V1" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段            | 值                  |
      | in_name_of      | government          |
      | basis           | government_decision |
      | organiser_level | 2                   |
      | target_level    | 4                   |
    那么 应产生动作：
      | 类型 | 依据         | 情形                     |
      | 情形 | 第五条第二款 | cross_level_without_need |

  @art-5-p2
  场景: 说明必要理由的跨级督查不提示
    当 督查活动 "V2" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段        | 值                  |
      | in_name_of  | government          |
      | basis       | government_decision |
      | cross_level | true                |
      | need        | 重大安全事故调查    |
    那么 不应产生动作

  @art-5-p1 @art-5-p1-1 @art-5-p1-2 @art-5-p1-3 @art-5-p1-4
  场景大纲: 按文件原文或简码报送的督查对象类别被接受
    当 督查活动 "W5" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | in_name_of | government          |
      | basis      | government_decision |
      | target_kind | <原文> |
    那么 不应产生 "驳回" 动作
    而且 事项 "W5" 的状态 "subject.target_kind_code" 为 "<简码>"

    例子:
      | 原文 | 简码 |
      | 本级人民政府所属部门 | own_department |
      | 下级人民政府及其所属部门 | lower_government |
      | 法律、法规授权的具有管理公共事务职能的组织 | authorised_organisation |
      | 受行政机关委托管理公共事务的组织 | entrusted_organisation |

  @art-5-p1
  场景: 文件未列举的督查对象类别报错，指明字段
    当 督查活动 "W5X" 于 "2025-03-03" 发生 "督查立项申请"：
      | 字段       | 值                  |
      | in_name_of | government          |
      | basis      | government_decision |
      | target_kind | 文件未列举的取值 |
    那么 报错，信息包含 "字段 data.target_kind：未知的取值"
