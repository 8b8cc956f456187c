"""The host contract as pydantic models (``../shared/design/CONTRACT.md``, v1).

These models are the source of truth for the JSON Schemas shipped in ``duchaplugin/schemas/``.
Fields may be added; the contract's fields are never renamed or dropped.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal, TypeVar, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from duchaplugin.calendar import BEIJING
from duchaplugin.calendar.registry import FIRST as CALENDAR_FIRST, LAST as CALENDAR_LAST

M = TypeVar("M", bound=BaseModel)
ActionKind = Literal["notice", "escalation", "situation", "requirement", "rejection", "suggestion", "score", "report"]
ACTION_KINDS: tuple[str, ...] = get_args(ActionKind)

CORE_EVENT_TYPES: dict[str, str] = {
    "registered": "立项/登记",
    "assigned": "交办/转办",
    "progress_reported": "进展反馈",
    "completion_reported": "报请办结",
    "closed": "办结销号",
    "reopened": "退回/重启",
    "extension_granted": "延期（正当理由）",
    "action_taken": "已执行",
    "problem_found": "发现问题/整改要求",
    "rectification_planned": "整改方案",
    "rectification_reported": "整改完成",
    "verified": "核查结果",
    "finding": "认定情形",
    "proposed": "督查立项申请",
    "approved": "批准/指定/备案",
    "plan_filed": "督查方案",
    "started": "开始",
    "ended": "结束",
    "conclusion_issued": "作出督查结论",
    "conclusion_received": "收到督查结论",
    "review_requested": "申请复核",
    "review_decided": "复核决定",
    "declassified": "解密（经批准）",
    "tick": "时钟",
}


#: The instants the calendar can compute with (``calendar.registry``: 2000-01-01 … 2040-12-31):
#: events, decision instants and ``advance`` targets outside are refused.
INSTANT_FIRST = datetime.combine(CALENDAR_FIRST, time(), BEIJING)
INSTANT_END = datetime.combine(CALENDAR_LAST + timedelta(days=1), time(), BEIJING)  # exclusive


def parse_instant(value: Any) -> datetime:
    """Read an ISO-8601 instant and return it in Beijing time (CONTRACT.md, field ``at``): with an
    offset (``Z``, ``+00:00``, ``-05:00`` …) it is converted, without one it is Beijing time, a bare
    date is 00:00 that day. Numbers are not instants (an epoch count says nothing of its zone), and
    an instant outside the calendar's range is refused: every date arithmetic after this is done on
    the Beijing date (ValueError, in Chinese and English)."""
    if isinstance(value, datetime):
        instant = value.astimezone(BEIJING) if value.tzinfo else value.replace(tzinfo=BEIJING)
    elif isinstance(value, date):
        instant = datetime.combine(value, time(), BEIJING)
    elif isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                instant = datetime.combine(date.fromisoformat(text), time(), BEIJING)
            else:
                parsed = datetime.fromisoformat(text)
                instant = parsed.astimezone(BEIJING) if parsed.tzinfo else parsed.replace(tzinfo=BEIJING)
        except (ValueError, OverflowError):
            raise ValueError(
                f"不是 ISO-8601 日期时间：{value!r}（例如 2025-09-28T09:00:00+08:00 或 2025-09-28）"
                f" / not an ISO-8601 datetime: {value!r} (e.g. 2025-09-28T09:00:00+08:00 or 2025-09-28)"
            ) from None
    else:
        raise ValueError(
            f"时间应为 ISO-8601 文本（如 2025-09-28T09:00:00+08:00），不接受数字或其他类型：{value!r}"
            f" / an instant must be ISO-8601 text (e.g. 2025-09-28T09:00:00+08:00), not a number or {type(value).__name__}: {value!r}")
    if not INSTANT_FIRST <= instant < INSTANT_END:
        raise ValueError(
            f"时间 {instant.isoformat()} 超出工作日历的范围（{CALENDAR_FIRST} 至 {CALENDAR_LAST}，北京时间）"
            f" / instant {instant.isoformat()} is outside the calendar's range ({CALENDAR_FIRST} to {CALENDAR_LAST}, Beijing time)")
    return instant


def construct(model: type[M], values: dict[str, Any]) -> M:
    """``model.model_construct(**values)`` for values already validated, without its per-call work
    (defaults, aliases): every field must be given. 4–5× faster; decisions build tens of thousands
    of actions and timers (docs/performance.md), and tests/test_engine.py checks it equals
    ``model_construct``."""
    instance = model.__new__(model)
    setattr_ = object.__setattr__
    setattr_(instance, "__dict__", values)
    setattr_(instance, "__pydantic_fields_set__", set(values))
    setattr_(instance, "__pydantic_extra__", {} if model.model_config.get("extra") == "allow" else None)
    setattr_(instance, "__pydantic_private__", None)
    return instance


def _beijing_iso(value: datetime) -> str:
    return value.astimezone(BEIJING).isoformat()


Instant = Annotated[datetime, BeforeValidator(parse_instant), PlainSerializer(_beijing_iso, return_type=str)]


LIMIT_UNITS = ("working_days", "days", "weeks", "months")


class TimeLimit(BaseModel):
    """A time limit: exactly one of working days (工作日), calendar days (日, 民法典), weeks or months —
    a whole number (not a boolean, not a text), at most ten years."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True,  # shared: timing.as_limit caches them
                              json_schema_extra={"minProperties": 1, "maxProperties": 1})  # exactly one unit
    working_days: int | None = Field(None, ge=0, le=2500, description="工作日数 / working days")
    days: int | None = Field(None, ge=0, le=3660, description="日数（民法典第二百零一条起算）/ calendar days")
    weeks: int | None = Field(None, ge=0, le=522, description="周数 / weeks")
    months: int | None = Field(None, ge=0, le=120, description="月数（民法典第二百零二条）/ months")

    @model_validator(mode="after")
    def _exactly_one(self) -> "TimeLimit":
        given = [k for k in LIMIT_UNITS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "应当且只能给出 working_days、days、weeks、months 之一"
                " / exactly one of working_days, days, weeks, months is expected"
            )
        return self

    @property
    def unit(self) -> str:
        values = self.__dict__
        for unit in LIMIT_UNITS:
            if values[unit] is not None:
                return unit
        raise AssertionError("validated: exactly one unit is set")

    @property
    def amount(self) -> int:
        return self.__dict__[self.unit]


class Event(BaseModel):
    """An event, host → plugin (CONTRACT.md "Events")."""

    model_config = ConfigDict(extra="allow")
    id: str = Field(min_length=1, description="唯一编号（全宿主唯一），幂等键 / unique id across the host, the idempotency key")
    type: str = Field(min_length=1, description="事件类型 / event type")
    subject: str | None = Field(None, min_length=1, validate_default=True,
                                description="督办事项或督查活动编号（tick 可省略）/ item or activity id (optional for tick)")
    at: Instant = Field(description="发生时间；无时区按北京时间 / when; without offset read as Beijing time")
    pack: str | None = Field(None, description="规则包编号（主体的首个事件必填）/ rule pack id (first event of a subject)")
    data: dict[str, Any] = Field(default_factory=dict, description="类型相关字段 / type-specific fields")

    @field_validator("subject")
    @classmethod
    def _subject_unless_tick(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and info.data.get("type") != "tick":
            raise PydanticCustomError("missing", "Field required")
        return value


class DefaultUsed(BaseModel):
    """A parameter marked as a default (the document does not give it) that an action depends on."""

    model_config = ConfigDict(frozen=True)

    parameter: str = Field(description="参数名 / parameter name")
    value: Any = Field(description="所用取值 / the value used")
    note: str = Field(description="说明：文件未规定，实施者选定的默认值及其理由 / why it is a default")
    label: str | None = Field(None, description="参数的中文名称 / the parameter's Chinese name")


class Basis(BaseModel):
    """The clause an action comes from."""

    model_config = ConfigDict(frozen=True)  # actions citing the same clause share one (packset.basis)

    pack: str
    document: str = Field(description="文号 / document number")
    article: str = Field(description="条款路径，按文件写法 / clause path as the document writes it")
    text: str = Field(description="条款原文 / the clause, quoted")
    defaults: list[DefaultUsed] | None = Field(
        None, description="该动作的日期、门槛、阶段或触发所依据的默认参数（文件未规定）/ defaults its date, threshold, rung or trigger depends on")


class Action(BaseModel):
    """An action, plugin → host (CONTRACT.md "Actions")."""

    model_config = ConfigDict(extra="allow")
    id: str = Field(description="确定性编号 / deterministic id")
    subject: str
    at: Instant = Field(description="到期/触发时刻 / when the action became due")
    kind: ActionKind
    stage: str | None = Field(None, description="升级阶梯的档次，按文件用语 / ladder rung in the document's words")
    title: str = Field(description="中文标题，一行 / one-line Chinese title")
    due: date | None = Field(None, description="最后一日（含当日，北京时间24时止）/ last day, inclusive")
    provisional: bool | None = Field(None, description="依赖尚未公布放假安排的年份 / depends on an unpublished year")
    basis: Basis
    approvals: list[str] | None = Field(None, description="生效前须经的审批，按顺序 / approvals needed, in order")
    to: list[str] | None = Field(None, description="接收方 / recipients")
    rule: str | None = Field(None, description="产生该动作的规则编号 / the rule that produced it (extension)")
    event: str | None = Field(None, description="触发该动作的事件编号 / the event that caused it (extension)")
    data: dict[str, Any] | None = Field(None, description="附加内容（情形代码、评分明细等）/ extra content (extension)")

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class Timer(BaseModel):
    """A running period of a subject: its last day, warning and overdue instants."""

    name: str
    rule: str = Field(description="启动该期间的规则 / the rule that started it")
    last_day: date
    overdue_at: Instant = Field(description="逾期起点：最后一日次日0时 / 00:00 after the last day")
    warn_at: Instant | None = None
    provisional: bool = False
    warned: bool = False
    overdue: bool = False
    defaults: dict[str, Any] | None = Field(None, description="期间所依据的默认参数及其取值 / defaults its period came from")
    warn_defaults: dict[str, Any] | None = Field(None, description="提前提醒时点所依据的默认参数 / defaults of its warning")


class SubjectState(BaseModel):
    """A subject's state (or a pack's docket ``@<pack>``): plain data, exported with every other
    subject by ``Engine.export_state()`` (docs/state.md). The ids of processed events are kept
    host-wide, not here."""

    subject: str
    pack: str
    created_at: Instant
    last_at: Instant
    attrs: dict[str, Any] = Field(default_factory=dict, description="最近一次报送的各字段 / latest value of each data field")
    flags: dict[str, Any] = Field(default_factory=dict, description="规则设置的状态 / state set by rules")
    counts: dict[str, int] = Field(default_factory=dict, description="各类事件次数 / events per type")
    timers: dict[str, Timer] = Field(default_factory=dict)
    actions: int = Field(0, description="已产生动作数 / actions produced so far")

    def next_check(self) -> datetime | None:
        """The earliest instant a time-based rule of this subject could fire."""
        instants = [t.warn_at for t in self.timers.values() if t.warn_at and not t.warned]
        instants += [t.overdue_at for t in self.timers.values() if not t.overdue]
        return min(instants) if instants else None
