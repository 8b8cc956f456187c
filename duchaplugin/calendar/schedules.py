"""Fixed-date schedules of the documents: "每月28日", "次月1日", "每月5日前", "每周一", "每年年初", "每半年".

Each function yields, in order, the dates of a schedule whose nominal date lies
in [start, end]. No seed document says whether a date that falls on a rest day
moves; ``shift`` makes it a choice, and each pack states its default:

- ``None``: the date stays where the document puts it;
- ``"next_workday"``: a rest day moves to the next working day;
- ``"prev_workday"``: a rest day moves to the previous working day (for
  "X日前" deadlines: "每月5日前" is ``monthly(5, ..., shift="prev_workday")``).

"次月1日" (the 1st of the following month) is ``monthly(1, ...)``.
"""

from __future__ import annotations

import calendar as _gregorian
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Literal

from duchaplugin.calendar.registry import get_calendar
from duchaplugin.calendar.workcalendar import WorkCalendar

Shift = Literal["next_workday", "prev_workday"] | None


def _check_shift(shift: Shift) -> None:
    if shift not in (None, "next_workday", "prev_workday"):
        raise ValueError(f"shift 取值无效 invalid shift: {shift!r} (None, 'next_workday', 'prev_workday')")


def _shifted(d: date, shift: Shift, calendar: WorkCalendar | None) -> date:
    if shift is None:
        return d
    cal = calendar or get_calendar()
    return cal.workday_on_or_after(d) if shift == "next_workday" else cal.workday_on_or_before(d)


def _month_day(year: int, month: int, day: int) -> date:
    """Day ``day`` of the month, or its last day when the month is shorter (``day=-1``: last day)."""
    last = _gregorian.monthrange(year, month)[1]
    return date(year, month, last if day == -1 else min(day, last))


def _on_months(
    months: tuple[int, ...], day: int, start: date, end: date, shift: Shift, calendar: WorkCalendar | None
) -> Iterator[date]:
    if not (day == -1 or 1 <= day <= 31):
        raise ValueError(f"day 应为 1–31 或 -1 must be 1..31 or -1: {day!r}")
    _check_shift(shift)
    return (
        _shifted(d, shift, calendar)
        for year in range(start.year, end.year + 1)
        for month in months
        for d in (_month_day(year, month, day),)
        if start <= d <= end
    )


def monthly(
    day: int, start: date, end: date, *, shift: Shift = None, calendar: WorkCalendar | None = None
) -> Iterator[date]:
    """Day ``day`` of every month ("每月28日"); a month without that day uses its last day; ``day=-1``: month end."""
    return _on_months(tuple(range(1, 13)), day, start, end, shift, calendar)


def weekly(
    weekday: int, start: date, end: date, *, shift: Shift = None, calendar: WorkCalendar | None = None
) -> Iterator[date]:
    """Every ``weekday`` (0 = 星期一 … 6 = 星期日) in [start, end] ("每周一" is ``weekly(0, ...)``)."""
    if weekday not in range(7):
        raise ValueError(f"weekday 应为 0–6 must be 0..6: {weekday!r}")
    _check_shift(shift)
    first = start + timedelta(days=(weekday - start.weekday()) % 7)
    return (_shifted(first + timedelta(weeks=k), shift, calendar) for k in range((end - first).days // 7 + 1))


def yearly_start(
    start: date, end: date, *, first_workday: bool = True, calendar: WorkCalendar | None = None
) -> Iterator[date]:
    """"每年年初": by default (a choice, not the documents') the first working day of January;
    ``first_workday=False`` gives 1 January itself."""
    for year in range(start.year, end.year + 1):
        d = date(year, 1, 1)
        if start <= d <= end:
            yield (calendar or get_calendar()).workday_on_or_after(d) if first_workday else d


def half_yearly(
    start: date,
    end: date,
    *,
    at: Literal["end", "start"] = "end",
    shift: Shift = None,
    calendar: WorkCalendar | None = None,
) -> Iterator[date]:
    """"每半年": by default (a choice, not the documents') the last day of each half year
    (06-30, 12-31); ``at="start"`` gives its first day (01-01, 07-01)."""
    if at == "end":
        return _on_months((6, 12), -1, start, end, shift, calendar)
    if at == "start":
        return _on_months((1, 7), 1, start, end, shift, calendar)
    raise ValueError(f"at 取值无效 invalid at: {at!r} ('end', 'start')")
