"""Values as a 督查室 reviewer writes them in a feature table → the contract's JSON values.

``20个工作日`` → ``{"working_days": 20}``, ``30日``/``30天`` → ``{"days": 30}``, ``2周``, ``3个月``;
``2025年10月9日`` → ``2025-10-09``; ``2025年3月1日至2025年3月31日`` → ``{"from": …, "to": …}``;
``是``/``否`` → true/false; ``甲县、乙县`` → a list for list fields; numbers (``60``, ``60%``) → numbers;
anything else is text, kept as written. ISO dates and JSON are still read, for hosts' engineers.
"""

from __future__ import annotations

import json
import re
from typing import Any

_LIMIT = re.compile(r"(\d+)\s*(个工作日|工作日|日|天|周|个月|月)")
_UNITS = {"个工作日": "working_days", "工作日": "working_days", "日": "days", "天": "days", "周": "weeks",
          "个月": "months", "月": "months"}
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_TIME = re.compile(r"\s*(\d{1,2})(?:时|:|：)(\d{1,2})?分?")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?%?")
_RANGE = re.compile(r"(.+?)\s*(?:至|到)\s*(.+)")
_BOOLEANS = {"是": True, "否": False, "true": True, "false": False}

#: Contract fields that take a list (lists are written 甲、乙).
LIST_FIELDS = frozenset({"targets", "co_units", "staff", "reviewers", "tasks"})


def date_text(text: str) -> str | None:
    """``2025年10月9日`` or an ISO date → ISO text; None if it is neither."""
    text = text.strip()
    match = _DATE.fullmatch(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    return text if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None


def instant_text(text: str) -> str:
    """``2025年3月3日9时``, ``2025年3月3日 09:30`` or ISO → ISO text (Beijing time, as the contract reads it)."""
    text = text.strip()
    match = _DATE.match(text)
    if not match:
        return text
    day = date_text(match.group(0))
    rest = text[match.end():]
    if not rest.strip():
        return day or text
    clock = _TIME.fullmatch(rest)
    if not clock:
        raise ValueError(f"时间写法不对：{text!r}（例：2025年3月3日9时、2025年3月3日 09:30）")
    return f"{day}T{int(clock.group(1)):02d}:{int(clock.group(2) or 0):02d}"


def parse_value(text: str, field: str | None = None, *, is_list: bool = False) -> Any:
    """A table cell → the JSON value the contract expects for ``field``."""
    text = text.strip()
    if text in _BOOLEANS:
        return _BOOLEANS[text]
    if text[:1] in "[{\"" or text == "null":
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            pass
    if is_list or field in LIST_FIELDS:
        return [part.strip() for part in text.split("、") if part.strip()]
    limit = _LIMIT.fullmatch(text)
    if limit:
        return {_UNITS[limit.group(2)]: int(limit.group(1))}
    day = date_text(text)
    if day:
        return day
    span = _RANGE.fullmatch(text)
    if span and date_text(span.group(1)) and date_text(span.group(2)):
        return {"from": date_text(span.group(1)), "to": date_text(span.group(2))}
    if _NUMBER.fullmatch(text):
        number = float(text.rstrip("%"))
        return int(number) if number.is_integer() else number
    return text
