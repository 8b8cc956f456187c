"""Calendar tests share the process-wide registry: forget host data after each test."""

import pytest

from duchaplugin import calendar


@pytest.fixture(autouse=True)
def _reset_calendar_data():
    yield
    calendar.reset()


@pytest.fixture
def cn() -> calendar.WorkCalendar:
    """The national calendar (library data only)."""
    return calendar.get_calendar()
