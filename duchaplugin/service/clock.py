"""Where the service's time comes from.

- ``system`` (deployments): Beijing time from the host's clock; the node fires time rules itself
  at the engine's ``next_check()``, and after a restart catches up rung by rung (each instant
  that was due while it was down, in order, each committed before the next).
- ``manual`` (tests, replays, hosts that tick): time moves only on ``POST /v1/clock``; the
  instant reached is stored, so a restart resumes there.

Decisions never read this clock: the engine takes instants as arguments (events' ``at``, the
instant it is advanced to).
"""

from __future__ import annotations

from datetime import datetime

from duchaplugin.calendar import BEIJING


class SystemClock:
    manual = False

    def now(self) -> datetime:
        return datetime.now(BEIJING)


class ManualClock:
    manual = True

    def __init__(self) -> None:
        self.instant: datetime | None = None  # None: never advanced

    def now(self) -> datetime | None:
        return self.instant


def make_clock(kind: str) -> SystemClock | ManualClock:
    return ManualClock() if kind == "manual" else SystemClock()
