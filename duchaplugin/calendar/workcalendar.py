"""The working-day calendar of one jurisdiction, as precomputed tables.

For each day of the covered range the calendar holds a working-day flag, the
running count of working days up to that day, and the running count of
provisional days; plus the list of working days in order. "Add N working days"
is then one index into that list and "count between" one subtraction.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from datetime import date, timedelta
from itertools import accumulate
from types import MappingProxyType

from duchaplugin.calendar import periods
from duchaplugin.calendar.periods import Deadline
from duchaplugin.calendar.records import DaySource

#: Days at the end of a December that the next year's notice may still move
#: (2001-12-29/30, 2005-12-31, 2006-12-30/31 and 2011-12-31 were moved so).
NEXT_NOTICE_REACH = 3

_SUFFIX = re.compile(r"（[^）]*）$")


class CalendarRangeError(ValueError):
    """A date or a result outside the range the tables cover."""


class WorkCalendar:
    """Working days of one jurisdiction (national, or national plus regional days).

    Immutable once built; all reads are thread-safe. Build through
    :func:`duchaplugin.calendar.get_calendar`.
    """

    def __init__(
        self,
        *,
        region: str | None,
        label: str,
        first: date,
        flags: bytes,
        names: Mapping[date, str],
        sources: Mapping[date, DaySource],
        official_years: frozenset[int],
    ) -> None:
        self.region = region
        self.label = label
        self.first = first
        self.last = first + timedelta(days=len(flags) - 1)
        self.official_years = official_years
        self.sources: Mapping[date, DaySource] = MappingProxyType(dict(sources))
        self._names = dict(names)
        self._o0 = first.toordinal()
        self._n = len(flags)
        self._work = bytes(flags)
        self._cum = list(accumulate(self._work))
        self._work_dates = [first + timedelta(days=i) for i, w in enumerate(self._work) if w]
        self._estimated = sorted(d for d, s in self.sources.items() if s.estimated)
        provisional = bytearray(self._n)
        for year in range(first.year, self.last.year + 1):
            if year not in official_years:
                self._mark(provisional, date(year, 1, 1), date(year, 12, 31))
            if year + 1 not in official_years:
                self._mark(provisional, date(year, 12, 31 - NEXT_NOTICE_REACH + 1), date(year, 12, 31))
        for d in self._estimated:
            self._mark(provisional, d, d)
        self._prov_cum = list(accumulate(provisional))
        self._provisional = bytes(provisional)

    def _mark(self, table: bytearray, a: date, b: date) -> None:
        lo = max(a.toordinal() - self._o0, 0)
        hi = min(b.toordinal() - self._o0, self._n - 1)
        for i in range(lo, hi + 1):
            table[i] = 1

    def _index(self, d: date) -> int:
        i = d.toordinal() - self._o0
        if not 0 <= i < self._n:
            raise CalendarRangeError(f"日期超出日历范围 date out of calendar range: {d} ({self.first}..{self.last})")
        return i

    def _out_of_range(self, d: date, n: int) -> CalendarRangeError:
        return CalendarRangeError(
            f"结果超出日历范围 result out of calendar range: {d} {n:+d} 个工作日 working days ({self.first}..{self.last})"
        )

    # --- working days -------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        """True for a weekday that is not a rest day, or a weekend day made a working day (调休上班)."""
        return self._work[self._index(d)] == 1

    def add_workdays(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``d`` not counted); ``n < 0`` counts back
        (the ``|n|``-th working day before ``d``); ``n == 0`` returns ``d``."""
        i = d.toordinal() - self._o0
        if not 0 <= i < self._n:
            self._index(d)
        if n > 0:
            k = self._cum[i] + n - 1
            if k < len(self._work_dates):
                return self._work_dates[k]
        elif n < 0:
            k = self._cum[i] - self._work[i] + n
            if k >= 0:
                return self._work_dates[k]
        else:
            return d
        raise self._out_of_range(d, n)

    def count_workdays(self, a: date, b: date) -> int:
        """Working days in (a, b] — ``a`` not counted; negative (minus those in (b, a]) when ``b < a``."""
        o0, n = self._o0, self._n
        i, j = a.toordinal() - o0, b.toordinal() - o0
        if not (0 <= i < n and 0 <= j < n):
            self._index(a)
            self._index(b)
        return self._cum[j] - self._cum[i]

    def next_workday(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.add_workdays(d, 1)

    def prev_workday(self, d: date) -> date:
        """The last working day strictly before ``d``."""
        return self.add_workdays(d, -1)

    def workday_on_or_after(self, d: date) -> date:
        """``d`` if it is a working day, else the next one."""
        return d if self.is_workday(d) else self.add_workdays(d, 1)

    def workday_on_or_before(self, d: date) -> date:
        """``d`` if it is a working day, else the previous one."""
        return d if self.is_workday(d) else self.add_workdays(d, -1)

    # --- provisional results ------------------------------------------------

    def is_provisional(self, *days: date) -> bool:
        """True if the span of ``days`` touches a day whose status is not official: a year whose
        国务院办公厅 notice is unknown (neither in ``holidays`` nor supplied by a host), the last
        days of a December before such a year, or an estimated regional day."""
        if not days:
            return False
        i, j = self._index(min(days)), self._index(max(days))
        return self._prov_cum[j] - self._prov_cum[i] + self._provisional[i] > 0

    def provisional_reasons(self, *days: date) -> tuple[str, ...]:
        """Why the span of ``days`` is provisional, in Chinese; empty if it is not."""
        if not self.is_provisional(*days):
            return ()
        lo, hi = min(days), max(days)
        reasons = []
        for year in range(lo.year, hi.year + 2):
            if year in self.official_years:
                continue
            first = date(year - 1, 12, 31 - NEXT_NOTICE_REACH + 1)
            if first <= hi and lo <= date(year, 12, 31) and self.is_provisional(max(lo, first), min(hi, date(year, 12, 31))):
                state = "尚未发布" if year > max(self.official_years) else "未收录"
                reasons.append(f"{year}年放假安排通知{state}")
        a = bisect.bisect_left(self._estimated, lo)
        b = bisect.bisect_right(self._estimated, hi)
        seen: dict[tuple[str, int], list[date]] = {}
        for d in self._estimated[a:b]:
            seen.setdefault((self.sources[d].name, d.year), []).append(d)
        for (name, _), ds in seen.items():
            listed = "、".join(d.isoformat() for d in ds)
            reasons.append(f"{self.label}{name}放假日期为估算（{listed}），以公布为准")
        return tuple(reasons)

    # --- explanations -------------------------------------------------------

    def describe(self, d: date) -> str:
        """Why ``d`` is or is not a working day, in Chinese (e.g. ``休息日：国庆节、中秋节``)."""
        i = self._index(d)
        source = self.sources.get(d)
        if self._work[i]:
            if d.weekday() >= 5:
                return f"调休上班日（{source.name}）" if source and source.name else "调休上班日"
            return f"工作日（{source.name}）" if source and source.name else "工作日"
        names: list[str] = []
        lo = hi = i
        while lo > 0 and not self._work[lo - 1]:
            lo -= 1
        while hi < self._n - 1 and not self._work[hi + 1]:
            hi += 1
        for k in range(lo, hi + 1):
            name = self._names.get(self.first + timedelta(days=k))
            for part in name.split("、") if name else ():
                part = _SUFFIX.sub("", part)
                if part and not part.startswith("休息日") and part not in names:
                    names.append(part)
        if names:
            return "休息日：" + "、".join(names)
        return "休息日：周末" if d.weekday() >= 5 else "休息日"

    # --- periods (民法典 第二百零一条至第二百零三条) -------------------------

    def period_days(self, start: date, n: int) -> Deadline:
        """``n`` 日 after ``start``: 民法典第二百零一条、第二百零三条."""
        return periods.period_days(self, start, n)

    def period_weeks(self, start: date, n: int) -> Deadline:
        """``n`` 周 after ``start``: 民法典第二百零一条、第二百零三条."""
        return periods.period_weeks(self, start, n)

    def period_months(self, start: date, n: int) -> Deadline:
        """``n`` 个月 after ``start``: 民法典第二百零一条、第二百零二条、第二百零三条."""
        return periods.period_months(self, start, n)

    def period_years(self, start: date, n: int) -> Deadline:
        """``n`` 年 after ``start``: 民法典第二百零一条、第二百零二条、第二百零三条."""
        return periods.period_years(self, start, n)

    def period_workdays(self, start: date, n: int) -> Deadline:
        """``n`` 个工作日 after ``start``: 民法典第二百零一条 (start not counted), 第二百零三条第二款."""
        return periods.period_workdays(self, start, n)

    def __repr__(self) -> str:
        return f"WorkCalendar(region={self.region!r}, {self.first}..{self.last})"
