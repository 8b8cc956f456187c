"""National working-day data from the ``holidays`` package (国务院办公厅 annual notices).

``holidays`` carries each year's notice of the General Office of the State Council
(国务院办公厅关于XXXX年部分节假日安排的通知, 国办发明电) as a table of rest days
and make-up working days (``weekend_workdays``) for 2001 onwards. For a later year
it silently guesses from the statutory festivals; such a year is *unofficial* here
and every result depending on it is provisional.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

import holidays
from holidays.countries.china import ChinaStaticHolidays

#: Years whose notice is in the library: the years of ``holidays``' table of
#: 调休 substitutions (every notice since 2001 moves at least one day).
OFFICIAL_YEARS: frozenset[int] = frozenset(
    range(min(ChinaStaticHolidays.special_public_holidays), max(ChinaStaticHolidays.special_public_holidays) + 1)
)


@functools.lru_cache(maxsize=4)
def library_days(first: date, last: date) -> tuple[bytes, dict[date, str]]:
    """Working-day flags for each day of [first, last] and the names of the rest days.

    A day is a working day when it is a weekday that is not a holiday, or a
    weekend day declared a working day (调休上班), as ``holidays.is_working_day``.
    The year after ``last`` is populated too: a notice may move a day of the
    previous December (2005-12-31 was made a working day by the 2006 notice).
    """
    cn = holidays.China(years=range(first.year, last.year + 2), language="zh_CN")
    workdays = cn.weekend_workdays
    n = (last - first).days + 1
    flags = bytearray(n)
    names: dict[date, str] = {}
    d = first
    one = timedelta(days=1)
    for i in range(n):
        if d in cn:
            names[d] = "、".join(cn.get_list(d))
        flags[i] = d in workdays if d.weekday() >= 5 else d not in cn
        d += one
    return bytes(flags), names
