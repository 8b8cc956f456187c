"""Periods as the documents state them → :class:`Timer` (last day, overdue and warning instants).

All arithmetic is done by :mod:`duchaplugin.calendar`: working-day periods count working days
only; calendar-day, week and month periods follow 民法典 第二百零一条–第二百零三条.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from duchaplugin.calendar import BEIJING, WorkCalendar
from duchaplugin.errors import ContractError
from duchaplugin.models import TimeLimit, Timer, construct


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), BEIJING)


def as_limit(value: Any) -> TimeLimit:
    """A time limit from its model, or from a mapping such as ``{"working_days": 10}`` (validated;
    the few distinct mappings a docket uses are parsed once)."""
    if isinstance(value, TimeLimit):
        return value
    if isinstance(value, dict) and all(isinstance(v, int) for v in value.values()):
        return _limit(tuple(sorted(value.items())))
    return TimeLimit.model_validate(value)


@lru_cache(maxsize=256)
def _limit(items: tuple[tuple[str, int], ...]) -> TimeLimit:
    return TimeLimit.model_validate(dict(items))


def last_day(calendar: WorkCalendar, start: date, limit: TimeLimit) -> tuple[date, bool]:
    """The last day of a period starting (not counted) on ``start``, and whether it is provisional."""
    unit, n = limit.unit, limit.amount
    if unit == "working_days":
        deadline = calendar.period_workdays(start, n)
    elif unit == "days":
        deadline = calendar.period_days(start, n)
    elif unit == "weeks":
        deadline = calendar.period_weeks(start, n)
    else:
        deadline = calendar.period_months(start, n)
    return deadline.last_day, deadline.provisional


def make_timer(calendar: WorkCalendar, name: str, rule: str, start: date, *, limit: Any = None,
               due: date | None = None, warn: Any = None) -> Timer:
    """A timer from a time limit counted after ``start``, or from an explicit last day ``due``;
    ``warn`` (working days) sets the warning instant that many working days before the last day."""
    if isinstance(due, str):  # a recorded field (subject.due) is kept as ISO text
        due = date.fromisoformat(due)
    if due is not None:
        end, provisional = due, calendar.is_provisional(start, due)
    elif limit is not None:
        try:
            end, provisional = last_day(calendar, start, as_limit(limit))
        except ValueError as exc:
            raise ContractError(f"期限不正确：{exc}", f"invalid time limit: {exc}", field="data.time_limit") from None
    else:
        raise ContractError("缺少期限（time_limit 或 due）", "a time limit (time_limit or due) is required", field="data.time_limit")
    warn_at = None
    if warn is not None:
        lead = as_limit(warn)
        if lead.unit == "working_days":
            warn_day = calendar.add_workdays(end, -lead.amount)
        else:
            warn_day = end - timedelta(days=lead.amount if lead.unit == "days" else 7 * lead.amount)
        if warn_day > start:
            warn_at = midnight(warn_day)
    return construct(Timer, {"name": name, "rule": rule, "last_day": end, "overdue_at": midnight(end + timedelta(days=1)),
                             "warn_at": warn_at, "provisional": provisional, "warned": False, "overdue": False})
