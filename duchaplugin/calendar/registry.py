"""The calendar data registry: library data plus what hosts add, and the calendars built from it.

Layers, lowest first (a later layer wins on the same day):

1. national days from ``holidays`` (years without a notice there are provisional);
2. national notices and days added by a host (``add_notice``, ``add_days(None, ...)``):
   a notice replaces the library's whole year and makes it official;
3. for each level of a region code (``xj``, then ``xj-hutubi``, ...): estimated
   festival days, then the shipped overlay's days, then the host's days.

Adding data bumps :attr:`CalendarData.version` and drops the cached calendars.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from pathlib import Path

from duchaplugin.calendar.festivals import estimated_dates
from duchaplugin.calendar.national import OFFICIAL_YEARS, library_days
from duchaplugin.calendar.overlay import Overlay, read_overlay
from duchaplugin.calendar.records import ISLAMIC_EVENTS, DaySource, Festival, Notice
from duchaplugin.calendar.workcalendar import CalendarRangeError, WorkCalendar

#: The range every calendar covers.
FIRST = date(2000, 1, 1)
LAST = date(2040, 12, 31)

#: Overlays shipped with the library, by region code.
SHIPPED = {"xj": Path(__file__).parent / "data" / "xj.toml"}


class UnknownRegionError(ValueError):
    """A region code with neither a shipped overlay nor host data."""


@functools.lru_cache(maxsize=None)
def _shipped(region: str) -> Overlay | None:
    path = SHIPPED.get(region)
    return read_overlay(path) if path else None


def _levels(region: str) -> list[str]:
    parts = region.split("-")
    return ["-".join(parts[: k + 1]) for k in range(len(parts))]


def _check_day(d: object, what: str) -> date:
    if not isinstance(d, date) or hasattr(d, "hour"):
        raise TypeError(f"{what} 应为日期 must be datetime.date: {d!r}")
    if not FIRST <= d <= LAST:
        raise CalendarRangeError(f"日期超出日历范围 date out of calendar range: {what}={d} ({FIRST}..{LAST})")
    return d


def _check_source(source: object) -> str:
    if not isinstance(source, str) or not source.strip():
        raise ValueError("必须注明来源文件 source (the announcing document) is required")
    return source


class CalendarData:
    """Calendar data a host adds on top of the library's; host data wins. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.version = 0
        self.reset()

    def reset(self) -> None:
        """Forget all host data (the library's stays)."""
        with self._lock:
            self._notices: dict[int, Notice] = {}
            self._days: dict[str | None, list[DaySource]] = {}
            self._festivals: dict[str, dict[str, Festival]] = {}
            self._names: dict[str, str] = {}
            self._changed()

    def _changed(self) -> None:
        self.version += 1
        self._cache: dict[str | None, WorkCalendar] = {}

    def add_notice(
        self, year: int, rest_days: Iterable[date] | Mapping[date, str], work_days: Iterable[date], source: str
    ) -> None:
        """Supply a whole year's 国务院办公厅 notice: it replaces the library's data for ``year``
        and makes the year official (not provisional). ``rest_days`` may map each day to its
        festival's name."""
        _check_day(date(year, 1, 1), "year")
        rest = dict(rest_days) if isinstance(rest_days, Mapping) else dict.fromkeys(rest_days, "")
        notice = Notice(
            year,
            {_check_day(d, "rest_days"): name for d, name in rest.items()},
            frozenset(_check_day(d, "work_days") for d in work_days),
            _check_source(source),
        )
        with self._lock:
            self._notices[year] = notice
            self._changed()

    def add_days(
        self,
        region: str | None,
        *,
        rest_days: Iterable[date] = (),
        work_days: Iterable[date] = (),
        source: str,
        name: str = "",
    ) -> None:
        """Declare rest days / working days for ``region`` (``None``: every calendar), citing ``source``."""
        if region is not None and (not isinstance(region, str) or not region):
            raise ValueError(f"地区代码无效 invalid region code: {region!r}")
        _check_source(source)
        days = [DaySource(_check_day(d, "rest_days"), False, name, source, region) for d in rest_days]
        days += [DaySource(_check_day(d, "work_days"), True, name, source, region) for d in work_days]
        with self._lock:
            self._days.setdefault(region, []).extend(days)
            self._changed()

    def add_festival(
        self, region: str, name: str, *, event: str, working_days: int, source: str, offset_days: int = 0
    ) -> None:
        """Define (or redefine, e.g. its length) a festival of ``region`` estimated from the Islamic calendar."""
        if event not in ISLAMIC_EVENTS:
            raise ValueError(f"未知事件 unknown event {event!r}; one of {ISLAMIC_EVENTS}")
        if not isinstance(working_days, int) or working_days < 1:
            raise ValueError(f"working_days 应为正整数 must be a positive integer: {working_days!r}")
        festival = Festival(name, event, working_days, _check_source(source), offset_days)
        with self._lock:
            self._festivals.setdefault(region, {})[name] = festival
            self._changed()

    def load_overlay(self, path: str | Path) -> Overlay:
        """Add everything in the overlay file at ``path`` (format: ``docs/calendar.md``)."""
        overlay = read_overlay(path)
        for d in overlay.days:
            _check_day(d.day, "days")
        with self._lock:
            for notice in overlay.notices:
                self.add_notice(notice.year, notice.rest, notice.work, notice.source)
            for f in overlay.festivals:
                self.add_festival(
                    overlay.region or "", f.name, event=f.event, working_days=f.working_days,
                    source=f.source, offset_days=f.offset_days,
                )
            self._days.setdefault(overlay.region, []).extend(overlay.days)
            if overlay.region and overlay.name:
                self._names[overlay.region] = overlay.name
            self._changed()
        return overlay

    def regions(self) -> dict[str, str]:
        """Known region codes and their names."""
        with self._lock:
            codes = set(SHIPPED) | {r for r in self._days if r} | set(self._festivals) | set(self._names)
            return {code: self._label(code) for code in sorted(codes)}

    def _label(self, region: str) -> str:
        if region in self._names:
            return self._names[region]
        shipped = _shipped(region)
        return shipped.name if shipped and shipped.name else region

    def calendar(self, region: str | None = None) -> WorkCalendar:
        """The calendar of ``region`` (``None``: national), built on first use and cached."""
        with self._lock:
            cal = self._cache.get(region)
            if cal is None:
                cal = self._cache[region] = self._build(region)
            return cal

    def _build(self, region: str | None) -> WorkCalendar:
        levels = _levels(region) if region else []
        known = self.regions()
        if region is not None and not any(level in known for level in levels):
            listed = "、".join(f"{code}（{name}）" for code, name in known.items())
            raise UnknownRegionError(f"未知地区 unknown region: {region!r}; 已知 known: {listed}")
        library_flags, library_names = library_days(FIRST, LAST)
        flags, names = bytearray(library_flags), dict(library_names)
        sources: dict[date, DaySource] = {}
        official = set(OFFICIAL_YEARS)

        def put(s: DaySource) -> None:
            i = (s.day - FIRST).days
            flags[i] = s.work
            sources[s.day] = s
            if s.name:
                names[s.day] = s.name
            else:
                names.pop(s.day, None)

        for year in self._notices:
            official.add(year)
            d = date(year, 1, 1)
            while d.year == year:
                flags[(d - FIRST).days] = d.weekday() < 5
                names.pop(d, None)
                d += timedelta(days=1)
        for n in self._notices.values():
            for d, name in n.rest.items():
                put(DaySource(d, False, name, n.source))
            for d in n.work:
                put(DaySource(d, True, "", n.source))
        for s in self._days.get(None, ()):
            put(s)
        for level in levels:
            shipped = _shipped(level)
            festivals = {f.name: f for f in shipped.festivals} if shipped else {}
            festivals.update(self._festivals.get(level, {}))
            days = [*(shipped.days if shipped else ()), *self._days.get(level, ())]
            confirmed = {(f, s.day.year) for s in days for f in festivals if f in s.name}
            for f in festivals.values():
                for year in range(FIRST.year, LAST.year + 1):
                    if (f.name, year) in confirmed:
                        continue
                    for start in estimated_dates(f, year):
                        for d in self._first_workdays(flags, start, f.working_days):
                            put(DaySource(d, False, f.name, f"估算 estimate: {f.source}", level, estimated=True))
            for s in days:
                put(s)
        return WorkCalendar(
            region=region,
            label=self._label(levels[-1]) if levels else "全国",
            first=FIRST,
            flags=bytes(flags),
            names=names,
            sources=sources,
            official_years=frozenset(official),
        )

    @staticmethod
    def _first_workdays(flags: bytearray, start: date, n: int) -> list[date]:
        """The first ``n`` working days on or after ``start`` within the table."""
        out: list[date] = []
        i = (start - FIRST).days
        while len(out) < n and 0 <= i < len(flags):
            if flags[i]:
                out.append(FIRST + timedelta(days=i))
            i += 1
        return out


#: The process-wide registry; hosts add data here (e.g. from the ``duchaplugin_add_calendar_data`` hook).
DATA = CalendarData()


def get_calendar(region: str | None = None) -> WorkCalendar:
    """The calendar of ``region`` (``None``: national; ``"xj"``: 新疆维吾尔自治区), cached per data version."""
    return DATA.calendar(region)
