"""Working days, 调休, regional days and 民法典 periods for 督查督办 deadlines.

National data comes from ``holidays`` (国务院办公厅 notices 2001–2026); later
years are computed but provisional until a host supplies the notice. Regions
(``"xj"`` = 新疆维吾尔自治区) add their own days through overlays. See
``docs/calendar.md``.
"""

from duchaplugin.calendar.overlay import Overlay, OverlayError
from duchaplugin.calendar.periods import BEIJING, Deadline, add_months
from duchaplugin.calendar.records import DaySource, Festival, Notice
from duchaplugin.calendar.registry import DATA, CalendarData, UnknownRegionError, get_calendar
from duchaplugin.calendar.workcalendar import CalendarRangeError, WorkCalendar

add_notice = DATA.add_notice
add_days = DATA.add_days
add_festival = DATA.add_festival
load_overlay = DATA.load_overlay
reset = DATA.reset

__all__ = [
    "BEIJING",
    "DATA",
    "CalendarData",
    "CalendarRangeError",
    "DaySource",
    "Deadline",
    "Festival",
    "Notice",
    "Overlay",
    "OverlayError",
    "UnknownRegionError",
    "WorkCalendar",
    "add_days",
    "add_festival",
    "add_months",
    "add_notice",
    "get_calendar",
    "load_overlay",
    "reset",
]
