"""All or nothing: one decision unit — an event with the timers of its subject it fires first, or
one batch of an ``advance`` — either applies completely or leaves no trace.

Before a decision first changes a subject (or a pack's docket ``@<pack>``), :meth:`Transaction.touch`
keeps a copy of it, with its place in the time queue; schedule clocks and processed event ids
are recorded the same way. :meth:`Transaction.undo` puts all of it back; :meth:`Transaction.commit`
forgets the copies and records the event ids. Only the states a decision touches are copied
(copy-on-write), never the whole table.

A transaction is also what decisions see as ``decision.docket``: the states (to read other
subjects), a pack's subjects, and the pack's docket state (touched when asked for, since rules
update the docket's indexes).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from duchaplugin.models import SubjectState
from duchaplugin.state import FORMAT, VERSION, SeenIds, copy_state, settle, state_to_json
from duchaplugin.statetable import DOCKET_PREFIX, StateTable
from duchaplugin.timeline import TimeQueue


class Transaction:
    """The changes of one decision unit, undoable until committed."""

    def __init__(self, states: StateTable, queue: TimeQueue, clocks: dict[str, datetime], seen: SeenIds) -> None:
        self.states, self._queue, self._clocks, self._seen = states, queue, clocks, seen
        self._before: dict[str, SubjectState | None] = {}  # subject → its copy before the unit (None: new)
        self._queued: dict[str, datetime | None] = {}  # subject → its queued instant before the unit
        self._created: list[str] = []  # subjects added by the unit, in the order they were added
        self._dirty: dict[str, None] = {}  # touched since the last settle(), in order
        self._clock_before: dict[str, datetime | None] = {}
        self._ids: list[str] = []

    # -- what decisions see as their docket -------------------------------------------------------
    def subjects(self, pack_id: str) -> Iterable[SubjectState]:
        """The subjects of a pack (not its docket), in the order they first appeared."""
        return self.states.of_pack(pack_id)

    def docket_state(self, pack_id: str, at: datetime) -> SubjectState:
        """The state of a pack's docket (``@<pack>``): its schedules' timers and the indexes
        cross-subject rules keep; created on first use."""
        subject = DOCKET_PREFIX + pack_id
        self.touch(subject)
        docket = self.states.get(subject)
        if docket is None:
            docket = SubjectState(subject=subject, pack=pack_id, created_at=at, last_at=at)
            self.add(docket)
        return docket

    # -- recording --------------------------------------------------------------------------------
    def touch(self, subject: str) -> None:
        """Keep the subject's state as it is now, before the unit changes it (once per unit), and
        settle it after the current decision (every time)."""
        if subject not in self._before:
            state = self.states.get(subject)
            self._before[subject] = copy_state(state, deep=False) if state is not None else None
            self._queued[subject] = self._queue.get(subject)
        self._dirty[subject] = None

    def add(self, state: SubjectState) -> None:
        """Add a new subject's state (touched first)."""
        self.touch(state.subject)
        self.states[state.subject] = state
        self._created.append(state.subject)

    def set_clock(self, pack_id: str, instant: datetime) -> None:
        if pack_id not in self._clock_before:
            self._clock_before[pack_id] = self._clocks.get(pack_id)
        self._clocks[pack_id] = instant

    def mark_seen(self, event_id: str) -> None:
        self._ids.append(event_id)

    def settle(self) -> None:
        """After each decision: the states it touched made plain data and queued at their next check."""
        for subject in self._dirty:
            state = self.states.get(subject)
            if state is not None:
                settle(state)
                self._queue.set(subject, state.next_check())
        self._dirty.clear()

    def touched(self) -> list[SubjectState]:
        return [s for s in map(self.states.get, self._before) if s is not None]

    # -- the end of the unit ----------------------------------------------------------------------
    def undo(self) -> None:
        """Put back everything the unit changed; the transaction can then be used again."""
        for subject, before in self._before.items():
            if before is None:
                self.states.pop(subject, None)
            else:
                self.states[subject] = before
            self._queue.set(subject, None)
            self._queue.set(subject, self._queued[subject])
        for pack_id, instant in self._clock_before.items():
            if instant is None:
                self._clocks.pop(pack_id, None)
            else:
                self._clocks[pack_id] = instant
        self._forget()

    def changes(self, calendar_version: str) -> dict[str, Any]:
        """What the unit changed, in the shape of exported state (``duchaplugin.state.apply_changes``)."""
        created = set(self._created)
        order = [s for s in self._before if s not in created] + self._created
        return {"format": FORMAT, "version": VERSION, "calendar_version": calendar_version,
                "subjects": {s: state_to_json(state) if (state := self.states.get(s)) is not None else None for s in order},
                "clocks": {p: self._clocks[p].isoformat() for p in self._clock_before if p in self._clocks},
                "seen": list(self._ids), "parameters": {}}

    def commit(self) -> None:
        for event_id in self._ids:
            self._seen.add(event_id)
        self._forget()

    def _forget(self) -> None:
        self._before.clear()
        self._queued.clear()
        self._created.clear()
        self._dirty.clear()
        self._clock_before.clear()
        self._ids.clear()

    def __bool__(self) -> bool:
        """True while the unit has changed something."""
        return bool(self._before or self._clock_before or self._ids)
