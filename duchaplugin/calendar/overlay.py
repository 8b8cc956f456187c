"""Reading calendar overlay files (TOML; format in ``docs/calendar.md``).

An overlay holds any of: a region's code and name, its festivals (estimated
until announced), its declared days (rest or working, each with the
announcing document), and whole national notices for years the library lacks.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from duchaplugin.calendar.records import ISLAMIC_EVENTS, DaySource, Festival, Notice


class OverlayError(ValueError):
    """An overlay file that does not follow the documented format."""


@dataclass(frozen=True)
class Overlay:
    """The parsed content of one overlay file."""

    region: str | None
    name: str | None
    festivals: tuple[Festival, ...]
    days: tuple[DaySource, ...]
    notices: tuple[Notice, ...]


def _fail(where: str, message: str) -> OverlayError:
    return OverlayError(f"日历数据文件格式错误 invalid overlay: {where}: {message}")


def _date(value: Any, where: str) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(where, f"不是日期 not a date (YYYY-MM-DD): {value!r}")


def _dates(value: Any, where: str) -> list[date]:
    """A date, an inclusive range written ``"YYYY-MM-DD..YYYY-MM-DD"``, or a list of either."""
    if isinstance(value, list):
        return [d for item in value for d in _dates(item, where)]
    if isinstance(value, str) and ".." in value:
        first, _, last = value.partition("..")
        a, b = _date(first.strip(), where), _date(last.strip(), where)
        if b < a:
            raise _fail(where, f"区间倒置 range ends before it starts: {value!r}")
        return [a + timedelta(days=k) for k in range((b - a).days + 1)]
    return [_date(value, where)]


def _text(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"缺少 {key} missing {key!r} (non-empty string)")
    return value


def parse_overlay(text: str, origin: str = "<overlay>") -> Overlay:
    """Parse overlay TOML ``text``; ``origin`` names it in error messages."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(origin, str(exc)) from exc
    region = doc.get("region")
    if region is not None and (not isinstance(region, str) or not region):
        raise _fail(origin, f"region 应为字符串 must be a string: {region!r}")
    festivals = []
    for k, table in enumerate(doc.get("festivals", [])):
        where = f"{origin} festivals[{k}]"
        if region is None:
            raise _fail(where, "节日需要 region festivals need a region")
        event = _text(table, "event", where)
        if event not in ISLAMIC_EVENTS:
            raise _fail(where, f"未知事件 unknown event {event!r}; one of {ISLAMIC_EVENTS}")
        days = table.get("working_days")
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise _fail(where, f"working_days 应为正整数 must be a positive integer: {days!r}")
        offset = table.get("offset_days", 0)
        if not isinstance(offset, int) or isinstance(offset, bool):
            raise _fail(where, f"offset_days 应为整数 must be an integer: {offset!r}")
        festivals.append(Festival(_text(table, "name", where), event, days, _text(table, "source", where), offset))
    days_out = []
    for k, table in enumerate(doc.get("days", [])):
        where = f"{origin} days[{k}]"
        kind = table.get("kind")
        if kind not in ("rest", "work"):
            raise _fail(where, f"kind 应为 rest 或 work must be 'rest' or 'work': {kind!r}")
        if "date" not in table:
            raise _fail(where, "缺少 date missing 'date'")
        name, source = _text(table, "name", where), _text(table, "source", where)
        for d in _dates(table["date"], where):
            days_out.append(DaySource(d, kind == "work", name, source, region))
    notices = []
    for k, table in enumerate(doc.get("notices", [])):
        where = f"{origin} notices[{k}]"
        year = table.get("year")
        if not isinstance(year, int) or isinstance(year, bool):
            raise _fail(where, f"year 应为整数 must be an integer: {year!r}")
        rest = table.get("rest", [])
        named = rest.items() if isinstance(rest, dict) else [("", rest)]
        notices.append(
            Notice(
                year,
                {d: name for name, items in named for d in _dates(items, where)},
                frozenset(_dates(table.get("work", []), where)),
                _text(table, "source", where),
            )
        )
    name = doc.get("name")
    return Overlay(region, name if isinstance(name, str) else None, tuple(festivals), tuple(days_out), tuple(notices))


def read_overlay(path: str | Path) -> Overlay:
    """Parse the overlay file at ``path``."""
    p = Path(path)
    return parse_overlay(p.read_text(encoding="utf-8"), str(p))
