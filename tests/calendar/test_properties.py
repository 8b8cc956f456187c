"""Properties of working-day arithmetic (hypothesis), against brute force and ``holidays``."""

from datetime import date, timedelta

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from duchaplugin.calendar import get_calendar

CN = get_calendar()
XJ = get_calendar("xj")
HOLIDAYS = holidays.China(years=range(2000, 2028))
days = st.dates(min_value=date(2000, 3, 1), max_value=date(2040, 9, 30))
official_days = st.dates(min_value=date(2001, 3, 1), max_value=date(2026, 9, 30))
steps = st.integers(min_value=0, max_value=60)
calendars = st.sampled_from([CN, XJ])


@given(calendars, days, steps)
def test_count_inverts_add(cal, a, n):
    assert cal.count_workdays(a, cal.add_workdays(a, n)) == n


@given(calendars, days, st.integers(min_value=1, max_value=60))
def test_back_and_forth(cal, a, n):
    r = cal.add_workdays(a, n)
    assert cal.is_workday(r)
    assert cal.add_workdays(r, -n) == cal.workday_on_or_before(a)


@given(calendars, days, days, steps)
def test_add_is_monotonic_in_date(cal, a, b, n):
    a, b = min(a, b), max(a, b)
    assert cal.add_workdays(a, n) <= cal.add_workdays(b, n)


@given(calendars, days, steps, steps)
def test_add_is_strictly_monotonic_in_n(cal, a, n, m):
    if n < m:
        assert cal.add_workdays(a, n) < cal.add_workdays(a, m)


@given(calendars, days, days, days)
def test_count_is_additive_and_antisymmetric(cal, a, b, c):
    assert cal.count_workdays(a, b) + cal.count_workdays(b, c) == cal.count_workdays(a, c)
    assert cal.count_workdays(a, b) == -cal.count_workdays(b, a)


@settings(max_examples=50)
@given(calendars, days, st.integers(min_value=0, max_value=400))
def test_count_matches_day_by_day(cal, a, span):
    b = min(a + timedelta(days=span), date(2040, 12, 31))
    brute = sum(cal.is_workday(a + timedelta(days=k)) for k in range(1, (b - a).days + 1))
    assert cal.count_workdays(a, b) == brute


@given(official_days, st.integers(min_value=-60, max_value=60).filter(bool))
def test_add_matches_holidays_get_nth_working_day(a, n):
    assert CN.add_workdays(a, n) == HOLIDAYS.get_nth_working_day(a, n)


@settings(max_examples=50)
@given(official_days, st.integers(min_value=0, max_value=200))
def test_count_matches_holidays_get_working_days_count(a, span):
    b = a + timedelta(days=span)
    expected = HOLIDAYS.get_working_days_count(a + timedelta(days=1), b) if span else 0
    assert CN.count_workdays(a, b) == expected


@given(calendars, st.dates(min_value=date(2000, 3, 1), max_value=date(2038, 9, 30)), st.integers(min_value=1, max_value=24))
def test_month_period_ends_on_or_after_the_corresponding_day(cal, a, n):
    d = cal.period_months(a, n)
    assert cal.is_workday(d.last_day)
    assert d.last_day >= (d.moved_from or d.last_day)
    assert d.moved_from is None or not cal.is_workday(d.moved_from)
