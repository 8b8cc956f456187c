"""Estimated dates of regional festivals dated by the Islamic calendar.

The estimate is ``holidays``' Islamic-calendar table (Umm al-Qura based, itself
marked "estimated" by ``holidays``) plus the festival's ``offset_days``. China's
Islamic Association and the autonomous region announce the real date each
year, often a day after the Umm al-Qura date (新疆: 肉孜节 2022-05-03 and
2025-03-31 against 05-02 and 03-30), so every estimated day is provisional
until an overlay confirms it.
"""

from __future__ import annotations

from datetime import date, timedelta

from holidays.calendars import _IslamicLunar

from duchaplugin.calendar.records import Festival

_LUNAR = _IslamicLunar()


def estimated_dates(festival: Festival, year: int) -> list[date]:
    """The festival's estimated first day(s) falling in ``year`` (usually one, rarely two or none)."""
    events = getattr(_LUNAR, f"{festival.event}_dates")(year)
    shift = timedelta(days=festival.offset_days)
    return sorted({d + shift for d, _ in events if (d + shift).year == year})
