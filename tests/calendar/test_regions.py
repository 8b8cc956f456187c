"""Regional overlays (新疆: 肉孜节, 古尔邦节), host-supplied notices and the overlay format."""

from datetime import date
from pathlib import Path

import pytest

from duchaplugin import calendar
from duchaplugin.calendar import OverlayError, UnknownRegionError, get_calendar
from duchaplugin.calendar.festivals import estimated_dates
from duchaplugin.calendar.records import Festival


def test_xj_guerbang_2025_changes_a_count():
    """新疆 2025 notice: 古尔邦节 6月6日（周五）至10日（周二）放假 → 3 fewer working days in June."""
    cn, xj = get_calendar(), get_calendar("xj")
    assert cn.count_workdays(date(2025, 6, 1), date(2025, 6, 30)) == 20
    assert xj.count_workdays(date(2025, 6, 1), date(2025, 6, 30)) == 17
    assert xj.add_workdays(date(2025, 6, 5), 1) == date(2025, 6, 11)
    assert not xj.is_provisional(date(2025, 6, 6), date(2025, 6, 11))
    assert xj.describe(date(2025, 6, 9)) == "休息日：古尔邦节"
    assert xj.sources[date(2025, 6, 9)].source.startswith("新疆维吾尔自治区人民政府办公厅")


def test_xj_rouzi_2025_and_2022():
    """2025: 肉孜节 3月29日至31日放假; 2022: 5月3日是肉孜节（劳动节内）, 5月5日放假调休1天."""
    xj = get_calendar("xj")
    assert not xj.is_workday(date(2025, 3, 31))
    assert not xj.is_workday(date(2022, 5, 5))
    assert get_calendar().is_workday(date(2022, 5, 5))


def test_estimates_reproduce_the_announced_years():
    """The estimate rule (first N working days on or after the Umm al-Qura date; 1 and 3 days)
    gives the announced 2022 and 2025 days, which is why those lengths are the defaults."""
    assert estimated_dates(Festival("肉孜节", "eid_al_fitr", 1, "t"), 2025) == [date(2025, 3, 30)]
    assert estimated_dates(Festival("古尔邦节", "eid_al_adha", 3, "t"), 2022) == [date(2022, 7, 9)]
    calendar.add_festival("zz", "古尔邦节", event="eid_al_adha", working_days=3, source="test")
    calendar.add_festival("zz", "肉孜节", event="eid_al_fitr", working_days=1, source="test")
    zz = get_calendar("zz")
    rest = {d for d, s in zz.sources.items() if s.estimated and d.year in (2022, 2025)}
    assert rest == {date(2022, 5, 5), date(2022, 7, 11), date(2022, 7, 12), date(2022, 7, 13),
                    date(2025, 3, 31), date(2025, 6, 6), date(2025, 6, 9), date(2025, 6, 10)}


def test_unannounced_festival_is_estimated_and_provisional():
    """2026 古尔邦节 not announced in the library: estimated from 2026-05-27, marked provisional."""
    xj = get_calendar("xj")
    est = sorted(d for d, s in xj.sources.items() if s.estimated and s.name == "古尔邦节" and d.year == 2026)
    assert est == [date(2026, 5, 27), date(2026, 5, 28), date(2026, 5, 29)]
    assert xj.is_provisional(date(2026, 5, 20), date(2026, 6, 5))
    assert not xj.is_provisional(date(2026, 6, 1), date(2026, 6, 30))
    assert not get_calendar().is_provisional(date(2026, 5, 20), date(2026, 6, 5))
    (reason,) = xj.provisional_reasons(date(2026, 5, 28))
    assert "古尔邦节" in reason and "估算" in reason


def test_festival_length_is_a_parameter():
    calendar.add_festival("xj", "古尔邦节", event="eid_al_adha", working_days=2, source="test: 2 days")
    xj = get_calendar("xj")
    assert xj.is_workday(date(2026, 5, 29)) and not xj.is_workday(date(2026, 5, 28))


def test_host_overlay_confirms_and_wins(tmp_path: Path):
    """A host overlay for 2026 replaces the estimate: no longer provisional, its days win."""
    path = tmp_path / "xj-2026.toml"
    path.write_text(
        """
region = "xj"
name = "新疆维吾尔自治区"

[[days]]
date = "2026-05-26..2026-05-28"
kind = "rest"
name = "古尔邦节"
source = "测试用自治区通知 2026"

[[days]]
date = 2026-05-30
kind = "work"
name = "古尔邦节调休上班"
source = "测试用自治区通知 2026"
""",
        encoding="utf-8",
    )
    before = get_calendar("xj")
    calendar.load_overlay(path)
    xj = get_calendar("xj")
    assert xj is not before
    assert not xj.is_workday(date(2026, 5, 26))
    assert xj.is_workday(date(2026, 5, 29)) and xj.is_workday(date(2026, 5, 30))
    assert not xj.is_provisional(date(2026, 5, 20), date(2026, 6, 5))
    assert xj.describe(date(2026, 5, 30)) == "调休上班日（古尔邦节调休上班）"


def test_host_notice_for_2027_wins_and_ends_provisional():
    """A host supplies the (hypothetical) 2027 notice: its days replace holidays' guess for the year."""
    cn = get_calendar()
    assert not cn.is_workday(date(2027, 2, 9))  # holidays' guess: 春节（补假）
    calendar.add_notice(
        2027,
        rest_days={date(2027, 1, 1): "元旦", **{date(2027, 2, d): "春节" for d in range(5, 9)}},
        work_days=[date(2027, 2, 20)],
        source="测试：假设的2027年通知",
    )
    cn = get_calendar()
    assert cn.is_workday(date(2027, 2, 9))
    assert not cn.is_workday(date(2027, 2, 8))
    assert cn.is_workday(date(2027, 2, 20))  # a Saturday made a working day
    assert cn.is_workday(date(2027, 10, 4))  # holidays' guess (国庆节补假) is gone with the year
    assert not cn.is_provisional(date(2026, 12, 31), date(2027, 12, 28))
    assert cn.is_provisional(date(2027, 12, 30))  # waits for 2028
    assert cn.describe(date(2027, 2, 6)) == "休息日：春节"
    assert cn.sources[date(2027, 2, 20)].source == "测试：假设的2027年通知"


def test_notice_in_an_overlay_file(tmp_path: Path):
    path = tmp_path / "cn-2027.toml"
    path.write_text(
        """
[[notices]]
year = 2027
source = "测试通知"
work = [2027-02-20]
[notices.rest]
"元旦" = 2027-01-01
"春节" = "2027-02-05..2027-02-11"
""",
        encoding="utf-8",
    )
    calendar.load_overlay(path)
    cn = get_calendar()
    assert not cn.is_provisional(date(2027, 5, 1))
    assert not cn.is_workday(date(2027, 2, 11)) and cn.is_workday(date(2027, 2, 20))
    assert cn.is_workday(date(2027, 5, 3))  # not in the test notice


def test_add_days_national_and_county_levels():
    calendar.add_days(None, rest_days=[date(2025, 9, 3)], source="测试：全国临时假日", name="纪念日")
    calendar.add_days("xj-hutubi", rest_days=[date(2025, 7, 1)], source="测试：县级假日", name="县庆")
    assert not get_calendar().is_workday(date(2025, 9, 3))
    county = get_calendar("xj-hutubi")
    assert not county.is_workday(date(2025, 7, 1))
    assert not county.is_workday(date(2025, 6, 9))  # inherits 新疆's 古尔邦节
    assert get_calendar("xj").is_workday(date(2025, 7, 1))


def test_reset_forgets_host_data():
    calendar.add_days(None, rest_days=[date(2025, 9, 3)], source="测试")
    version = calendar.DATA.version
    calendar.reset()
    assert calendar.DATA.version > version
    assert get_calendar().is_workday(date(2025, 9, 3))


def test_unknown_region():
    with pytest.raises(UnknownRegionError, match="未知地区"):
        get_calendar("zz")


def test_source_is_required():
    with pytest.raises(ValueError, match="来源"):
        calendar.add_days("xj", rest_days=[date(2025, 1, 2)], source="")


def test_shipped_overlay_entries_name_their_source():
    xj = get_calendar("xj")
    confirmed = [s for s in xj.sources.values() if s.region == "xj" and not s.estimated]
    assert confirmed and all(s.source for s in confirmed)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[days]]\ndate = 2025-01-02\nkind = "holiday"\nname = "x"\nsource = "y"', "kind"),
        ('[[days]]\ndate = 2025-01-02\nkind = "rest"\nname = "x"', "source"),
        ('[[days]]\ndate = "2025-01-32"\nkind = "rest"\nname = "x"\nsource = "y"', "not a date"),
        ('[[days]]\ndate = "2025-01-05..2025-01-02"\nkind = "rest"\nname = "x"\nsource = "y"', "range"),
        ('region = "xj"\n[[festivals]]\nname = "x"\nevent = "easter"\nworking_days = 1\nsource = "y"', "event"),
        ('[[festivals]]\nname = "x"\nevent = "eid_al_fitr"\nworking_days = 1\nsource = "y"', "region"),
        ("region = ", "invalid overlay"),
    ],
)
def test_overlay_format_errors(tmp_path: Path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OverlayError, match=message):
        calendar.load_overlay(path)
