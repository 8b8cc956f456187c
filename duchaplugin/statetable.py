""":class:`StateTable` — the engine's subject → state table, which also keeps each pack's subjects
apart, so schedule rules (每周《督查专报》, 月度汇总, 年度考核) read their pack's docket without
scanning every subject of every pack; and :class:`StatesView`, what hosts read as ``Engine.states``.

Hosts do not write states: a host that restarts gives the engine everything at once with
``Engine.restore_state`` (docs/state.md), which also rebuilds the time queue and the schedules."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import Any, Iterable, ValuesView

from duchaplugin.models import SubjectState
from duchaplugin.state import copy_state

DOCKET_PREFIX = "@"  # subject id of a pack's docket (its schedules): "@cn-xj-hutubi"


class StateTable(dict[str, SubjectState]):
    """A ``dict`` whose every way of adding or removing a state also updates the per-pack index
    (a host may assign, delete, ``pop``, ``update`` or ``clear`` states as in any dict)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self._packs: dict[str, dict[str, SubjectState]] = {}
        self.update(*args, **kwargs)

    def of_pack(self, pack_id: str) -> ValuesView[SubjectState]:
        """The states of a pack's subjects (not its docket), in the order they were first added."""
        return self._packs.get(pack_id, {}).values()

    def _index(self, subject: str, state: SubjectState) -> None:
        if not subject.startswith(DOCKET_PREFIX):
            self._packs.setdefault(state.pack, {})[subject] = state

    def _unindex(self, subject: str, state: SubjectState) -> None:
        self._packs.get(state.pack, {}).pop(subject, None)

    def __setitem__(self, subject: str, state: SubjectState) -> None:
        old = self.get(subject)
        if old is not None and old.pack != state.pack:
            self._unindex(subject, old)
        super().__setitem__(subject, state)
        self._index(subject, state)

    def __delitem__(self, subject: str) -> None:
        self._unindex(subject, self[subject])
        super().__delitem__(subject)

    def pop(self, subject: str, *default: Any) -> Any:  # type: ignore[override]
        if subject in self:
            self._unindex(subject, self[subject])
        return super().pop(subject, *default)

    def popitem(self) -> tuple[str, SubjectState]:
        subject, state = super().popitem()
        self._unindex(subject, state)
        return subject, state

    def setdefault(self, subject: str, default: SubjectState) -> SubjectState:  # type: ignore[override]
        if subject not in self:
            self[subject] = default
        return self[subject]

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        for subject, state in dict(*args, **kwargs).items():
            self[subject] = state

    def __ior__(self, other: Iterable[Any]) -> "StateTable":  # type: ignore[override]
        self.update(other)
        return self

    def clear(self) -> None:
        super().clear()
        self._packs.clear()


class StatesView(Mapping[str, SubjectState]):
    """Subject → state, read-only, safe to read while other threads decide: each state read is a
    copy of one committed state (taken under the engine's lock), and iteration runs over the
    subjects present when it began. For one consistent picture of everything, use
    ``Engine.export_state()``."""

    def __init__(self, table: StateTable, lock: threading.RLock) -> None:
        self._table, self._lock = table, lock

    def __getitem__(self, subject: str) -> SubjectState:
        with self._lock:
            return copy_state(self._table[subject])

    def __contains__(self, subject: object) -> bool:
        return subject in self._table

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            return iter(list(self._table))

    def __len__(self) -> int:
        return len(self._table)
