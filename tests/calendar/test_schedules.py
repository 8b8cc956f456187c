"""Fixed-date schedules ("每月28日", "每月5日前", "每周一", "每年年初", "每半年")."""

from datetime import date

import pytest

from duchaplugin.calendar import get_calendar
from duchaplugin.calendar.schedules import half_yearly, monthly, weekly, yearly_start

Y2025 = (date(2025, 1, 1), date(2025, 12, 31))


def test_monthly_28th_unshifted_and_shifted():
    assert list(monthly(28, *Y2025))[:2] == [date(2025, 1, 28), date(2025, 2, 28)]
    shifted = list(monthly(28, *Y2025, shift="next_workday"))
    assert shifted[0] == date(2025, 2, 5)  # 01-28 春节 → first working day after
    assert shifted[8] == date(2025, 9, 28)  # a Sunday made a working day: stays
    assert shifted[11] == date(2025, 12, 29)  # Sunday → Monday


def test_before_the_5th_moves_back():
    """"每月5日前": 2025-10-05 is in the 国庆 holiday → the last working day before, 09-30."""
    dates = list(monthly(5, *Y2025, shift="prev_workday"))
    assert dates[9] == date(2025, 9, 30)
    assert dates[0] == date(2025, 1, 3)  # 01-05 Sunday → Friday


def test_first_of_the_next_month_and_month_end():
    assert list(monthly(1, date(2025, 1, 15), date(2025, 4, 15))) == [date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1)]
    assert list(monthly(31, date(2025, 1, 1), date(2025, 4, 30)))[1] == date(2025, 2, 28)
    assert list(monthly(-1, date(2024, 2, 1), date(2024, 2, 29))) == [date(2024, 2, 29)]


def test_weekly_monday():
    mondays = list(weekly(0, date(2025, 9, 24), date(2025, 10, 20)))
    assert mondays == [date(2025, 9, 29), date(2025, 10, 6), date(2025, 10, 13), date(2025, 10, 20)]
    assert list(weekly(0, date(2025, 9, 24), date(2025, 10, 20), shift="next_workday"))[1] == date(2025, 10, 9)
    assert list(weekly(0, date(2025, 9, 23), date(2025, 9, 28))) == []


def test_yearly_start_default_first_working_day_of_january():
    assert list(yearly_start(date(2025, 1, 1), date(2026, 12, 31))) == [date(2025, 1, 2), date(2026, 1, 4)]
    assert list(yearly_start(date(2025, 1, 1), date(2026, 12, 31), first_workday=False)) == [
        date(2025, 1, 1), date(2026, 1, 1)]


def test_half_yearly():
    assert list(half_yearly(*Y2025)) == [date(2025, 6, 30), date(2025, 12, 31)]
    assert list(half_yearly(*Y2025, at="start", shift="next_workday")) == [date(2025, 1, 2), date(2025, 7, 1)]


def test_shift_uses_the_given_calendar():
    """古尔邦节 in 新疆: a 6月9日 date moves to 06-11 there, stays nationally."""
    start, end = date(2025, 6, 1), date(2025, 6, 30)
    assert list(monthly(9, start, end, shift="next_workday")) == [date(2025, 6, 9)]
    assert list(monthly(9, start, end, shift="next_workday", calendar=get_calendar("xj"))) == [date(2025, 6, 11)]


@pytest.mark.parametrize(
    "call",
    [
        lambda: monthly(0, *Y2025),
        lambda: monthly(5, *Y2025, shift="later"),
        lambda: weekly(7, *Y2025),
        lambda: half_yearly(*Y2025, at="middle"),
    ],
)
def test_bad_arguments_raise_at_call(call):
    with pytest.raises(ValueError):
        call()
