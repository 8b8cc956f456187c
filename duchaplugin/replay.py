"""``duchaplugin replay``: run a history of events (JSON Lines) through the packs.

Policy, as documented in the README:
- time-based rules fire at their exact instants between events and up to ``until`` (default: the
  last event's time);
- an event id seen before is processed once (later copies are noted on stderr, not errors);
- an event older than its subject's last event is not applied: it is reported as an error, since
  actions already delivered would otherwise be rewritten;
- a line that cannot be read or validated is reported with its line number and reason (Chinese
  and English); the other lines are still processed; the exit status is then non-zero.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable

from duchaplugin.engine import Engine
from duchaplugin.errors import DuchaError
from duchaplugin.events import parse_event
from duchaplugin.models import Action, Event, parse_instant


@dataclass
class ReplayResult:
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    events: int = 0
    actions: int = 0
    end: datetime | None = None  # the instant time was advanced to


def replay(lines: Iterable[str], engine: Engine, on_actions: Callable[[list[Action]], None],
           until: datetime | str | None = None,
           on_event: Callable[[Event, list[Action]], None] | None = None) -> ReplayResult:
    """Feed ``lines`` to ``engine`` in order; ``on_actions`` receives actions as they are produced,
    ``on_event`` (optional) each event handled with the actions it produced."""
    result = ReplayResult()
    seen: set[str] = set()
    last: datetime | None = None

    def emit(actions: list[Action]) -> None:
        if actions:
            result.actions += len(actions)
            on_actions(actions)

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            event = parse_event(line)
            if event.id in seen:
                result.notes.append(f"第{number}行：事件编号 {event.id} 已处理过，忽略 / line {number}: event id {event.id} already processed, ignored")
                continue
            emit(engine.advance(event.at))
            actions = engine.handle(event)
            emit(actions)
            if on_event is not None:
                on_event(event, actions)
        except DuchaError as exc:
            result.errors.append(exc.at_line(number).describe())
            continue
        seen.add(event.id)
        result.events += 1
        last = event.at if last is None or event.at > last else last
    result.end = parse_instant(until) if until is not None else last
    if result.end is not None:
        emit(engine.advance(result.end))
    return result


def format_jsonl_row(action: Action) -> str:
    return json.dumps(action.to_json(), ensure_ascii=False)
