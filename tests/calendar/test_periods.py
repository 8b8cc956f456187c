"""Periods by 民法典 第二百零一条至第二百零三条 (reference: shared/reference/民法典_期间计算.md)."""

from datetime import date, datetime, timedelta

import pytest

from duchaplugin.calendar import BEIJING, add_months


def test_beijing_is_utc_plus_8():
    assert BEIJING.utcoffset(None) == timedelta(hours=8)


@pytest.mark.parametrize(
    ("start", "n", "end"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # 第二百零二条: no 31st → month's last day
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 1, 30), 1, date(2025, 2, 28)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 1, 15), 1, date(2025, 2, 15)),  # the corresponding day
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 8, 31), -6, date(2025, 2, 28)),
    ],
)
def test_add_months_corresponding_day_or_month_end(start, n, end):
    """第二百零二条: 到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日."""
    assert add_months(start, n) == end


def test_one_month_from_01_31_ends_02_28_a_working_day(cn):
    """第二百零一条、第二百零二条: 2025-01-31 + 一个月 → 2025-02-28 (Fri, working day, no move)."""
    d = cn.period_months(date(2025, 1, 31), 1)
    assert d.last_day == date(2025, 2, 28)
    assert d.moved_from is None
    assert d.overdue_at == datetime(2025, 3, 1, 0, 0, tzinfo=BEIJING)
    assert "第二百零二条" in d.basis and not d.provisional


def test_month_end_on_a_rest_day_moves_to_next_working_day(cn):
    """第二百零三条: a last day that is a rest day moves to the next working day."""
    d = cn.period_months(date(2025, 4, 30), 7)  # 2025-11-30 is a Sunday
    assert (d.last_day, d.moved_from) == (date(2025, 12, 1), date(2025, 11, 30))
    d = cn.period_months(date(2025, 9, 1), 1)  # 2025-10-01 国庆 → 10-09
    assert (d.last_day, d.moved_from) == (date(2025, 10, 9), date(2025, 10, 1))


def test_month_end_on_a_makeup_working_saturday_stays(cn):
    """2026-01-31 + 一个月 → 2026-02-28, a Saturday made a working day by 国办发明电〔2025〕7号: no move."""
    d = cn.period_months(date(2026, 1, 31), 1)
    assert (d.last_day, d.moved_from) == (date(2026, 2, 28), None)


def test_month_period_into_2027_is_provisional(cn):
    """2027-02-28 is a Sunday → 03-01, but the 2027 notice is not published: provisional."""
    d = cn.period_months(date(2027, 1, 31), 1)
    assert d.last_day == date(2027, 3, 1) and d.provisional


def test_days_period_start_not_counted_and_moved_off_holiday(cn):
    """第二百零一条: 2025-09-26 + 5日 → 10-01; 第二百零三条: 国庆 rest → last day 10-09, overdue 10-10 00:00."""
    d = cn.period_days(date(2025, 9, 26), 5)
    assert d.moved_from == date(2025, 10, 1)
    assert d.last_day == date(2025, 10, 9)
    assert d.overdue_at == datetime(2025, 10, 10, tzinfo=BEIJING)
    assert d.is_overdue(datetime(2025, 10, 10, 0, 0, tzinfo=BEIJING))
    assert not d.is_overdue(datetime(2025, 10, 9, 23, 59, 59, tzinfo=BEIJING))
    assert d.basis == "民法典第二百零一条、第二百零三条"


def test_30_days_review_period_of_the_regulation(cn):
    """条例第十七条 30日: received 2025-03-07 → 04-06 is a Sunday in the 清明 holiday → 04-07."""
    d = cn.period_days(date(2025, 3, 7), 30)
    assert d.last_day == date(2025, 4, 7)


def test_weekend_last_day_moves_to_monday_unless_makeup_day(cn):
    assert cn.period_days(date(2025, 9, 20), 7).last_day == date(2025, 9, 28)  # 09-27 Sat → 09-28 调休上班 Sun
    assert cn.period_weeks(date(2025, 9, 20), 1).last_day == date(2025, 9, 28)
    assert cn.period_days(date(2025, 11, 1), 7).last_day == date(2025, 11, 10)  # 11-08 Sat → Mon


def test_years(cn):
    """2024-02-29 + 1 年 → 2025-02-28 (第二百零二条 month end)."""
    assert cn.period_years(date(2024, 2, 29), 1).last_day == date(2025, 2, 28)


def test_workday_period(cn):
    """5 个工作日 after 2025-09-26 (Fri): 09-28 (调休上班), 09-29, 09-30, 10-09, 10-10."""
    d = cn.period_workdays(date(2025, 9, 26), 5)
    assert d.last_day == date(2025, 10, 10)
    assert d.overdue_at == datetime(2025, 10, 11, tzinfo=BEIJING)
    assert "第二百零一条" in d.basis


@pytest.mark.parametrize("method", ["period_days", "period_weeks", "period_months", "period_years", "period_workdays"])
@pytest.mark.parametrize("n", [0, -1, 1.5, True])
def test_period_length_must_be_positive_integer(cn, method, n):
    with pytest.raises(ValueError, match="正整数"):
        getattr(cn, method)(date(2025, 1, 1), n)
