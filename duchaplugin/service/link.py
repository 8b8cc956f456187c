"""The service's one link to the engine's state API (docs/state.md, docs/service.md "Durability").

Everything the service needs from :class:`~duchaplugin.Engine` beyond events and time goes
through here: ``export_state`` / ``restore_state``, the store hook ``duchaplugin_store(changes,
actions)`` — called under the engine's lock after each decision unit and before delivery; raising
rolls the decision back — and :func:`apply_changes`, which folds a decision's changes into a
snapshot.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Callable, Mapping

from duchaplugin.engine import Engine
from duchaplugin.errors import StateError
from duchaplugin.hooks import hookimpl
from duchaplugin.models import Action
from duchaplugin.pack import Pack
from duchaplugin.state import apply_changes

log = logging.getLogger("duchaplugin.service")
Store = Callable[[dict[str, Any], list[Action]], None]

__all__ = ["EngineLink", "apply_changes"]


class _StorePlugin:
    """The host side of the store hook: hands each decision to the service."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @hookimpl
    def duchaplugin_store(self, changes: dict[str, Any], actions: list[Action]) -> None:
        self._store(changes, actions)


class EngineLink:
    """An engine whose every decision is handed to ``store`` before it counts."""

    def __init__(self, store: Store) -> None:
        self.engine = Engine(plugins=[_StorePlugin(store)])

    @property
    def packs(self) -> Mapping[str, Pack]:
        return self.engine.packs

    def export(self) -> dict[str, Any]:
        """The engine's complete state as JSON data."""
        return self.engine.export_state()

    def restore(self, snapshot: dict[str, Any]) -> None:
        """Replace the engine's state with ``snapshot``. Calendar data that changed since it was
        stored (a package upgrade with next year's notice) is accepted, with a warning: deadlines
        computed from now on use the new data."""
        try:
            self.engine.restore_state(snapshot)
        except StateError as exc:
            if exc.field != "calendar_version":
                raise
            log.warning("日历数据已变更，此后的期限按新数据计算 / calendar data changed since the state was stored; "
                        "deadlines from now on use the new data")
            self.engine.restore_state(snapshot, allow_calendar_change=True)

    def handle(self, event: dict[str, Any]) -> list[Action]:
        """Decide one event; raises :class:`~duchaplugin.errors.DuchaError` for a refused one."""
        return self.engine.handle(event)

    def advance(self, until: datetime) -> None:
        """Fire every time rule due at or before ``until``: stored (and so collected by the store
        hook) in bounded batches, never held here as one list."""
        for _ in self.engine.advance_iter(until):
            pass

    def next_check(self) -> datetime | None:
        return self.engine.next_check()

    def is_secret(self, subject: str) -> bool:
        """Whether a subject is 涉密 (its errors must not show its content)."""
        state = self.engine.states.get(subject)
        return bool(state is not None and state.attrs.get("secret"))

    def close(self) -> None:
        self.engine.close()
