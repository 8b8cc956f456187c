"""Periods (期间) by 《中华人民共和国民法典》第二百零一条至第二百零三条.

第二百零一条: the day a period starts is not counted; counting begins the next day.
第二百零二条: a period of months or years ends on the corresponding day of the
last month, or that month's last day when it has no such day.
第二百零三条: a last day that is a 法定休假日 moves to the day after the rest ends
(here: the next working day); the last day ends at 24:00 — "overdue" begins at
00:00 Beijing time the next day.

Working-day periods (N 个工作日) are not in the code; they count working days
after the start day (201 applied to working days) and end at 24:00 (203).
"""

from __future__ import annotations

import calendar as _gregorian
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from duchaplugin.calendar.workcalendar import WorkCalendar

#: Beijing time (UTC+8, no daylight saving since 1991).
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")

DAYS_BASIS = "民法典第二百零一条、第二百零三条"
MONTHS_BASIS = "民法典第二百零一条、第二百零二条、第二百零三条"
WORKDAYS_BASIS = "民法典第二百零一条（开始的当日不计入，按工作日计算）、第二百零三条第二款"


@dataclass(frozen=True)
class Deadline:
    """The end of a period: its last day (inclusive, until 24:00 Beijing time)."""

    last_day: date
    overdue_at: datetime
    provisional: bool
    basis: str
    #: the last day before 第二百零三条 moved it off a rest day, if it moved
    moved_from: date | None = None

    def is_overdue(self, now: datetime) -> bool:
        """True from 00:00 Beijing time of the day after the last day (第二百零三条第二款)."""
        return now >= self.overdue_at


def overdue_instant(last_day: date) -> datetime:
    """00:00 Beijing time of the day after ``last_day`` (第二百零三条第二款: the last day ends at 24:00)."""
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=BEIJING)


def add_months(start: date, n: int) -> date:
    """The corresponding day ``n`` months after ``start``, or that month's last day (第二百零二条)."""
    y, m = divmod(start.month - 1 + n, 12)
    year, month = start.year + y, m + 1
    return date(year, month, min(start.day, _gregorian.monthrange(year, month)[1]))


def _check_length(n: int, what: str) -> None:
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"期间长度必须是正整数 period length must be a positive integer: {what}={n!r}")


def _calendar_period(cal: WorkCalendar, end: date, basis: str) -> Deadline:
    """Apply 第二百零三条 to the nominal last day ``end`` of a calendar-day period."""
    last = cal.workday_on_or_after(end)
    return Deadline(
        last_day=last,
        overdue_at=overdue_instant(last),
        provisional=cal.is_provisional(end, last),
        basis=basis,
        moved_from=end if last != end else None,
    )


def period_days(cal: WorkCalendar, start: date, n: int) -> Deadline:
    """A period of ``n`` 日 from ``start``: 民法典第二百零一条 (start day not counted), 第二百零三条."""
    _check_length(n, "days")
    return _calendar_period(cal, start + timedelta(days=n), DAYS_BASIS)


def period_weeks(cal: WorkCalendar, start: date, n: int) -> Deadline:
    """A period of ``n`` 周 (7n 日) from ``start``: 民法典第二百零一条、第二百零三条."""
    _check_length(n, "weeks")
    return _calendar_period(cal, start + timedelta(days=7 * n), DAYS_BASIS)


def period_months(cal: WorkCalendar, start: date, n: int) -> Deadline:
    """A period of ``n`` 个月 from ``start``: 民法典第二百零一条、第二百零二条 (corresponding day or month end), 第二百零三条."""
    _check_length(n, "months")
    return _calendar_period(cal, add_months(start, n), MONTHS_BASIS)


def period_years(cal: WorkCalendar, start: date, n: int) -> Deadline:
    """A period of ``n`` 年 from ``start``: 民法典第二百零一条、第二百零二条 (02-29 → 02-28), 第二百零三条."""
    _check_length(n, "years")
    return _calendar_period(cal, add_months(start, 12 * n), MONTHS_BASIS)


def period_workdays(cal: WorkCalendar, start: date, n: int) -> Deadline:
    """A period of ``n`` 个工作日 from ``start``: start day not counted (民法典第二百零一条 applied to
    working days), ends at 24:00 of the n-th working day (第二百零三条第二款)."""
    _check_length(n, "working_days")
    last = cal.add_workdays(start, n)
    return Deadline(
        last_day=last,
        overdue_at=overdue_instant(last),
        provisional=cal.is_provisional(start, last),
        basis=WORKDAYS_BASIS,
    )
