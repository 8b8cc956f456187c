"""The national calendar against each year's 国务院办公厅 notice (国办发明电), day by day.

Expectations are transcribed from the notices themselves, not from ``holidays``:
for each year, the weekdays that are rest days and the weekend days that are
working days must be exactly those the notice announces.
"""

from datetime import date, timedelta

import pytest


def _days(*items: str) -> set[date]:
    """ISO dates and inclusive ranges ``A..B``."""
    out = set()
    for item in items:
        first, _, last = item.partition("..")
        a = date.fromisoformat(first)
        b = date.fromisoformat(last) if last else a
        out |= {a + timedelta(days=k) for k in range((b - a).days + 1)}
    return out


# year: (notice, rest days announced, make-up working days announced)
NOTICES = {
    2020: (
        # 春节 originally 01-24..01-30 with 02-01 (Sat) a working day; 国办发明电〔2020〕1号
        # 《关于延长2020年春节假期的通知》 extended it to 02-02, so 02-01 became a rest day.
        "国办发明电〔2019〕16号、国办发明电〔2020〕1号",
        _days("2020-01-01", "2020-01-24..2020-02-02", "2020-04-04..2020-04-06", "2020-05-01..2020-05-05",
              "2020-06-25..2020-06-27", "2020-10-01..2020-10-08"),
        _days("2020-01-19", "2020-04-26", "2020-05-09", "2020-06-28", "2020-09-27", "2020-10-10"),
    ),
    2021: (
        "国办发明电〔2020〕27号",
        _days("2021-01-01..2021-01-03", "2021-02-11..2021-02-17", "2021-04-03..2021-04-05",
              "2021-05-01..2021-05-05", "2021-06-12..2021-06-14", "2021-09-19..2021-09-21",
              "2021-10-01..2021-10-07"),
        _days("2021-02-07", "2021-02-20", "2021-04-25", "2021-05-08", "2021-09-18", "2021-09-26", "2021-10-09"),
    ),
    2022: (
        "国办发明电〔2021〕11号",
        _days("2022-01-01..2022-01-03", "2022-01-31..2022-02-06", "2022-04-03..2022-04-05",
              "2022-04-30..2022-05-04", "2022-06-03..2022-06-05", "2022-09-10..2022-09-12",
              "2022-10-01..2022-10-07"),
        _days("2022-01-29", "2022-01-30", "2022-04-02", "2022-04-24", "2022-05-07", "2022-10-08", "2022-10-09"),
    ),
    2023: (
        # 元旦: 2022年12月31日至2023年1月2日放假调休.
        "国办发明电〔2022〕16号",
        _days("2022-12-31..2023-01-02", "2023-01-21..2023-01-27", "2023-04-05", "2023-04-29..2023-05-03",
              "2023-06-22..2023-06-24", "2023-09-29..2023-10-06"),
        _days("2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08"),
    ),
    2024: (
        # 除夕 (02-09) is not a rest day in 2024: the notice only encourages leave that day.
        "国办发明电〔2023〕7号",
        _days("2024-01-01", "2024-02-10..2024-02-17", "2024-04-04..2024-04-06", "2024-05-01..2024-05-05",
              "2024-06-10", "2024-09-15..2024-09-17", "2024-10-01..2024-10-07"),
        _days("2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
              "2024-09-29", "2024-10-12"),
    ),
    2025: (
        "国办发明电〔2024〕12号",
        _days("2025-01-01", "2025-01-28..2025-02-04", "2025-04-04..2025-04-06", "2025-05-01..2025-05-05",
              "2025-05-31..2025-06-02", "2025-10-01..2025-10-08"),
        _days("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"),
    ),
    2026: (
        "国办发明电〔2025〕7号",
        _days("2026-01-01..2026-01-03", "2026-02-15..2026-02-23", "2026-04-04..2026-04-06",
              "2026-05-01..2026-05-05", "2026-06-19..2026-06-21", "2026-09-25..2026-09-27",
              "2026-10-01..2026-10-07"),
        _days("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"),
    ),
}

CASES = [
    pytest.param(year, kind, d, id=f"{NOTICES[year][0]}-{kind}-{d}")
    for year, (_, rest, work) in NOTICES.items()
    for kind, days in (("休", rest), ("班", work))
    for d in sorted(days)
]


@pytest.mark.parametrize(("year", "kind", "day"), CASES)
def test_each_day_of_the_notice(cn, year, kind, day):
    """Each rest day is not a working day; each 调休上班 day is, and neither is provisional."""
    assert cn.is_workday(day) is (kind == "班")
    assert not cn.is_provisional(day)


@pytest.mark.parametrize("year", list(NOTICES), ids=[f"{y}-{NOTICES[y][0]}" for y in NOTICES])
def test_no_other_day_departs_from_the_week(cn, year):
    """Apart from the notice's days, Monday–Friday work and the weekend rests, all year."""
    _, rest, work = NOTICES[year]
    d, departures = date(year, 1, 1), set()
    while d.year == year:
        if cn.is_workday(d) != (d.weekday() < 5):
            departures.add(d)
        d += timedelta(days=1)
    expected = {d for d in rest if d.weekday() < 5 and d.year == year} | {d for d in work if d.year == year}
    assert departures == expected


def test_2005_12_31_was_a_working_day(cn):
    """国办发明电〔2005〕35号 (2006年部分节假日安排): 元旦 1月1日至3日放假, 2005-12-31 (Sat) 上班.

    ``chinese-calendar`` 1.11 has this day as a rest day; the notice sides with ``holidays``.
    """
    assert cn.is_workday(date(2005, 12, 31))
    assert not cn.is_workday(date(2006, 1, 3))
    assert cn.count_workdays(date(2005, 12, 30), date(2006, 1, 4)) == 2  # 12-31 and 01-04


def test_2025_national_day_window(cn):
    """国办发明电〔2024〕12号: 国庆节、中秋节 10月1日至8日放假调休; 9月28日（周日）、10月11日（周六）上班."""
    assert cn.is_workday(date(2025, 9, 28)) and cn.is_workday(date(2025, 10, 11))
    assert not any(cn.is_workday(date(2025, 10, d)) for d in range(1, 9))
    assert cn.describe(date(2025, 10, 8)) == "休息日：国庆节、中秋节"
    assert cn.next_workday(date(2025, 9, 30)) == date(2025, 10, 9)
    assert cn.count_workdays(date(2025, 9, 27), date(2025, 10, 11)) == 6  # 09-28, 09-29, 09-30, 10-09, 10-10, 10-11
