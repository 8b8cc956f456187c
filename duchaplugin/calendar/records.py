"""Records of calendar data that does not come from the ``holidays`` package, each with its provenance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

#: Islamic-calendar events whose estimated dates ``holidays`` provides (Umm al-Qura table).
ISLAMIC_EVENTS = ("eid_al_fitr", "eid_al_adha")


@dataclass(frozen=True)
class DaySource:
    """One day declared a rest day or a working day, and by which document."""

    day: date
    work: bool
    name: str
    #: the announcing document (文号 and title), or how an estimate was made
    source: str
    #: ``None`` for national data (a 国务院办公厅 notice), else the region code
    region: str | None = None
    #: an estimate, not yet confirmed by an announcement: results depending on it are provisional
    estimated: bool = False


@dataclass(frozen=True)
class Notice:
    """A year's 国务院办公厅 notice (国办发明电): its rest days and make-up working days.

    ``rest`` maps every rest day the notice announces to its festival's name
    ("" if none given; weekends inside a holiday may be listed or not);
    ``work`` holds the weekend days made working days. Days may fall outside
    ``year`` (e.g. a 31 December made a working day by the next year's notice).
    """

    year: int
    rest: Mapping[date, str]
    work: frozenset[date]
    source: str


@dataclass(frozen=True)
class Festival:
    """A regional festival dated by the Islamic calendar, estimated until the region announces it.

    The estimate rests on the first ``working_days`` working days on or after
    the festival's estimated date (shifted by ``offset_days``): the region
    announces each year how many days it lasts and how it meets weekends.
    """

    name: str
    event: str
    working_days: int
    source: str
    offset_days: int = 0
