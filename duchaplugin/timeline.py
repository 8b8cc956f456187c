"""When the engine must look again: the queue of subjects' next checks and the packs' fixed-date
schedules (每周一《督查专报》, 每月28日催报 …) with the instant each has fired up to (its clock).

Traps this module exists to avoid:

- a heap entry per event: each change of a subject's next check pushes an entry and leaves the old
  one stale; the queue keeps the live instant per subject (so a stale entry is told in O(1)) and
  rebuilds itself when stale entries outnumber live ones;
- order by arrival: subjects due at the same instant are taken in subject-id order, not in the
  order they were queued, so an engine restored from exported state (whose queue is rebuilt)
  fires them in the same order as the engine that never stopped;
- dates past the calendar: schedules are computed only within the calendar's range, so a clock
  near its end never asks the calendar for a day it cannot answer.
"""

from __future__ import annotations

import heapq
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Callable

from duchaplugin.calendar import schedules
from duchaplugin.calendar.registry import FIRST, LAST
from duchaplugin.errors import PackError
from duchaplugin.models import INSTANT_END
from duchaplugin.timing import midnight

if TYPE_CHECKING:
    from duchaplugin.decide import CompiledPack
    from duchaplugin.pack import Schedule


class TimeQueue:
    """Subject → the next instant a time rule of it may fire, earliest first."""

    def __init__(self) -> None:
        self._heap: list[tuple[datetime, str]] = []
        self._next: dict[str, datetime] = {}

    def get(self, subject: str) -> datetime | None:
        return self._next.get(subject)

    def set(self, subject: str, instant: datetime | None) -> None:
        """Queue ``subject`` at ``instant`` (None: nothing to check; an instant past the calendar's
        range is never reached — events cannot set one, see ``Engine.handle``)."""
        if instant is None or instant >= INSTANT_END:
            self._next.pop(subject, None)
        elif self._next.get(subject) != instant:
            self._next[subject] = instant
            heapq.heappush(self._heap, (instant, subject))
            if len(self._heap) > 2 * len(self._next) + 64:
                self._heap = [(i, s) for s, i in self._next.items()]
                heapq.heapify(self._heap)

    def head(self) -> tuple[datetime, str] | None:
        """The earliest live entry (stale entries met on the way are dropped)."""
        heap, live = self._heap, self._next
        while heap:
            instant, subject = heap[0]
            if live.get(subject) == instant:
                return instant, subject
            heapq.heappop(heap)
        return None

    def pop(self, until: datetime) -> tuple[datetime, str] | None:
        """Take the earliest entry due at or before ``until``, if any."""
        head = self.head()
        if head is None or head[0] > until:
            return None
        heapq.heappop(self._heap)
        del self._next[head[1]]
        return head

    def clear(self) -> None:
        self._heap.clear()
        self._next.clear()

    def __len__(self) -> int:
        """Live entries (subjects with something to check)."""
        return len(self._next)

    def entries(self) -> int:
        """Heap entries, stale ones included (bounded by twice the live ones, plus a little)."""
        return len(self._heap)


class Schedules:
    """The packs' fixed-date schedules and the instant each pack's schedules fired up to.

    A pack's clock starts with its first subject's first event; a schedule day fires at its 00:00
    when that instant is after the clock and not after the instant time is advanced to."""

    def __init__(self, compiled: Callable[[str], "CompiledPack"]) -> None:
        self.clocks: dict[str, datetime] = {}
        self._compiled = compiled

    def wants_start(self, pack_id: str) -> bool:
        return pack_id not in self.clocks and bool(self._compiled(pack_id).pack.schedules)

    def firings(self, until: datetime) -> list[tuple[datetime, str, "Schedule"]]:
        """Every schedule firing after its pack's clock up to ``until``: (instant, pack, schedule),
        in time order, then pack and schedule id."""
        out = []
        for pack_id, since in self.clocks.items():
            compiled = self._compiled(pack_id)
            for schedule in compiled.pack.schedules:
                out += [(midnight(day), pack_id, schedule) for day in schedule_dates(compiled, schedule, since, until)]
        out.sort(key=lambda f: (f[0], f[1], f[2].id))
        return out

    def next(self) -> datetime | None:
        """The first instant after its clock at which any pack's schedule fires (3 years ahead)."""
        instants = [i for i in (self._next(p, since) for p, since in self.clocks.items()) if i]
        return min(instants, default=None)

    def _next(self, pack_id: str, since: datetime) -> datetime | None:
        compiled = self._compiled(pack_id)
        days = [d for schedule in compiled.pack.schedules for year in range(since.year, min(since.year + 3, LAST.year + 1))
                for d in _year_dates(compiled, schedule, year) if d > since.date()]
        return midnight(min(days)) if days else None


def schedule_dates(compiled: "CompiledPack", schedule: "Schedule", since: datetime, until: datetime) -> list[date]:
    """Days of a fixed-date schedule whose 00:00 falls in (since, until], after moving a date off a
    rest day when the schedule's ``shift`` says so."""
    start, end = since.date() + timedelta(days=1), min(until.date(), LAST)
    return [d for year in range(start.year, end.year + 1) for d in _year_dates(compiled, schedule, year) if start <= d <= end]


def _year_dates(compiled: "CompiledPack", schedule: "Schedule", year: int) -> tuple[date, ...]:
    """A schedule's days in one year, computed once per pack build: raw dates from 20 days before
    the year are shifted too, so a date moved into the year (or back into it) is not lost."""
    key = (schedule.pack, schedule.id, year)
    if key in compiled.schedule_days:
        return compiled.schedule_days[key]
    pack = compiled.pack

    def value(spec: Any) -> Any:
        return pack.param(spec[6:]) if isinstance(spec, str) and spec.startswith("param:") else spec

    shift = value(schedule.shift)
    shift = None if shift in (None, "none") else shift
    (kind, arg), = schedule.every.items()
    arg = value(arg)
    options = {"shift": shift, "calendar": compiled.calendar}
    first, last = date(year, 1, 1), date(year, 12, 31)
    early, late = (first - timedelta(days=20), last + timedelta(days=20)) if shift else (first, last)
    early, late = max(early, FIRST), min(late, LAST)  # the calendar answers only within its range
    if kind == "monthly":
        days = schedules.monthly(int(arg), early, late, **options)
    elif kind == "weekly":
        days = schedules.weekly(int(arg), early, late, **options)
    elif kind == "yearly_start":
        days = schedules.yearly_start(early, late, first_workday=bool(shift), calendar=compiled.calendar)
    elif kind == "half_yearly":
        days = schedules.half_yearly(early, late, at=arg, **options)
    else:
        raise PackError(f"未知的日程类型 {kind}", f"unknown schedule kind {kind}", field=f"{schedule.pack} schedules: {schedule.id}")
    result = compiled.schedule_days[key] = tuple(sorted({d for d in days if d.year == year}))
    return result
