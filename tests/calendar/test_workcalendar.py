"""Working-day arithmetic, provisional years and the table range."""

from datetime import date, timedelta

import holidays
import pytest

from duchaplugin.calendar import CalendarRangeError, get_calendar
from duchaplugin.calendar.national import OFFICIAL_YEARS


def test_add_workdays_does_not_count_the_start_day(cn):
    """2025-09-19 (Fri) + 5 working days = 2025-09-26; from a rest day the first one counts as 1."""
    assert cn.add_workdays(date(2025, 9, 19), 5) == date(2025, 9, 26)
    assert cn.add_workdays(date(2025, 10, 1), 1) == date(2025, 10, 9)
    assert cn.add_workdays(date(2025, 10, 8), 0) == date(2025, 10, 8)


def test_negative_n_counts_back_for_warnings(cn):
    """3 working days before 2025-10-10 across the 国庆 holiday: 10-09, 09-30, 09-29."""
    assert cn.add_workdays(date(2025, 10, 10), -3) == date(2025, 9, 29)
    assert cn.add_workdays(date(2025, 10, 5), -1) == date(2025, 9, 30)
    assert cn.prev_workday(date(2025, 9, 29)) == date(2025, 9, 28)  # 调休上班 Sunday


def test_count_workdays_is_half_open_and_signed(cn):
    assert cn.count_workdays(date(2025, 9, 19), date(2025, 9, 26)) == 5
    assert cn.count_workdays(date(2025, 9, 26), date(2025, 9, 19)) == -5
    assert cn.count_workdays(date(2025, 9, 19), date(2025, 9, 19)) == 0
    # 2025: 261 weekdays - 18 weekday rest days + 5 调休上班 days (国办发明电〔2024〕12号)
    assert cn.count_workdays(date(2024, 12, 31), date(2025, 12, 31)) == 248


def test_next_and_on_or_after(cn):
    assert cn.next_workday(date(2025, 9, 26)) == date(2025, 9, 28)
    assert cn.workday_on_or_after(date(2025, 9, 28)) == date(2025, 9, 28)
    assert cn.workday_on_or_after(date(2025, 10, 4)) == date(2025, 10, 9)
    assert cn.workday_on_or_before(date(2025, 10, 4)) == date(2025, 9, 30)


def test_matches_holidays_for_every_official_day(cn):
    """Same status as ``holidays.China().is_working_day`` on every day of 2001–2026."""
    h = holidays.China(years=range(2000, 2028))
    d = date(2001, 1, 1)
    while d <= date(2026, 12, 31):
        assert cn.is_workday(d) == h.is_working_day(d), d
        d += timedelta(days=1)


def test_official_years_are_2001_to_2026():
    """As of holidays 0.109 the last notice in the library is the 2026 one (国办发明电〔2025〕7号)."""
    assert min(OFFICIAL_YEARS) == 2001 and max(OFFICIAL_YEARS) == 2026


def test_2027_is_computed_but_provisional(cn):
    """No 2027 notice yet: results are computed (holidays' guess) and marked provisional."""
    d = cn.add_workdays(date(2026, 12, 25), 10)
    assert d.year == 2027
    assert cn.is_provisional(date(2026, 12, 25), d)
    assert cn.is_provisional(date(2027, 6, 1))
    assert not cn.is_provisional(date(2026, 6, 1), date(2026, 12, 28))
    assert cn.provisional_reasons(date(2027, 3, 1)) == ("2027年放假安排通知尚未发布",)
    assert cn.provisional_reasons(date(2026, 3, 1)) == ()
    assert cn.period_workdays(date(2026, 12, 25), 10).provisional


def test_last_december_days_wait_for_the_next_notice(cn):
    """A notice may move the previous 12-29..12-31 (e.g. 2005-12-31 by the 2006 notice)."""
    assert cn.is_provisional(date(2026, 12, 29))
    assert not cn.is_provisional(date(2026, 12, 28))
    assert cn.provisional_reasons(date(2026, 12, 31)) == ("2027年放假安排通知尚未发布",)
    assert not cn.is_provisional(date(2025, 12, 31))


def test_years_before_2001_are_provisional(cn):
    assert cn.is_provisional(date(2000, 6, 1))
    assert not cn.is_provisional(date(2001, 6, 1))


def test_out_of_range_raises(cn):
    with pytest.raises(CalendarRangeError, match="超出日历范围"):
        cn.is_workday(date(1999, 12, 31))
    with pytest.raises(CalendarRangeError):
        cn.add_workdays(date(2040, 12, 20), 30)
    with pytest.raises(CalendarRangeError):
        cn.add_workdays(date(2000, 1, 5), -10)
    with pytest.raises(CalendarRangeError):
        cn.count_workdays(date(2025, 1, 1), date(2041, 1, 1))


def test_calendars_are_cached():
    assert get_calendar() is get_calendar(None)
    assert get_calendar("xj") is get_calendar("xj")


def test_concurrent_first_use_builds_one_calendar():
    from concurrent.futures import ThreadPoolExecutor

    from duchaplugin import calendar

    calendar.reset()
    with ThreadPoolExecutor(max_workers=8) as pool:
        built = list(pool.map(lambda _: get_calendar("xj"), range(32)))
    assert all(c is built[0] for c in built)
