"""The Chinese values and labels feature tables are written in (duchaplugin.bdd)."""

import pytest

from duchaplugin import Engine
from duchaplugin.bdd.values import instant_text, parse_value
from duchaplugin.glossary import field_for


@pytest.mark.parametrize("text, field, expected", [
    ("20个工作日", "time_limit", {"working_days": 20}),
    ("10工作日", "time_limit", {"working_days": 10}),
    ("30日", "time_limit", {"days": 30}),
    ("7天", None, {"days": 7}),
    ("2周", None, {"weeks": 2}),
    ("3个月", None, {"months": 3}),
    ("2025年10月9日", "due", "2025-10-09"),
    ("2025-10-09", "due", "2025-10-09"),
    ("2025年3月1日至2025年3月31日", "period", {"from": "2025-03-01", "to": "2025-03-31"}),
    ("是", "secret", True),
    ("否", "secret", False),
    ("甲县人民政府、乙县人民政府", "targets", ["甲县人民政府", "乙县人民政府"]),
    ("甲县人民政府", "targets", ["甲县人民政府"]),
    ("60", "percent", 60),
    ("62.5%", "percent", 62.5),
    ("001", "number", "001"),
    ("关于30日内完成的督办", "title", "关于30日内完成的督办"),
    ('{"working_days": 5}', "time_limit", {"working_days": 5}),
])
def test_values_in_words(text, field, expected):
    assert parse_value(text, field) == expected


@pytest.mark.parametrize("text, expected", [
    ("2025年3月3日9时", "2025-03-03T09:00"),
    ("2025年3月3日 09:30", "2025-03-03T09:30"),
    ("2025年3月3日", "2025-03-03"),
    ("2025-03-03T09:00", "2025-03-03T09:00"),
])
def test_instants_in_words(text, expected):
    assert instant_text(text) == expected


def test_an_unreadable_time_is_an_error():
    with pytest.raises(ValueError, match="时间写法不对"):
        instant_text("2025年3月3日上午")


def test_labels_name_fields_per_event_type():
    glossary = Engine(entry_points=False).compiled("cn").pack.glossary
    assert field_for(glossary, "牵头单位") == "lead_unit"
    assert field_for(glossary, "督查对象", "plan_filed") == "targets"
    assert field_for(glossary, "督查对象", "review_requested") == "target"
    assert field_for(glossary, "无此标签") is None
