"""``duchaplugin replay``: run a history of events (JSON Lines) through the packs.

Policy, as documented in the README:
- time-based rules fire at their exact instants between events and up to ``until`` (default: the
  last event's time);
- an event id seen before is processed once (later copies are noted on stderr, not errors); a
  refused or rejected event does not use up its id;
- with a state file (``--state``), the run continues from the state saved by the previous run and
  saves its own at the end: a history run in two halves gives the same actions as run at once;
- an event older than its subject's last event is not applied: it is reported as an error, since
  actions already delivered would otherwise be rewritten;
- a line that cannot be read or validated is reported with its line number and reason (Chinese
  and English); the other lines are still processed; the exit status is then non-zero.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

from duchaplugin.engine import Engine
from duchaplugin.errors import DuchaError, StateError
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
    last: datetime | None = None

    def advance(instant: datetime) -> None:
        for actions in engine.advance_iter(instant):  # a long gap: batch by batch, none kept
            result.actions += len(actions)
            on_actions(actions)

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            event = parse_event(line)
            if event.type != "tick" and engine.is_processed(event.id):
                result.notes.append(f"第{number}行：事件编号 {event.id} 已处理过，忽略 / line {number}: event id {event.id} already processed, ignored")
                continue
            advance(event.at)
            actions = engine.handle(event)
            result.actions += len(actions)
            if actions:
                on_actions(actions)
            if on_event is not None:
                on_event(event, actions)
        except DuchaError as exc:
            result.errors.append(exc.at_line(number).describe())
            continue
        result.events += 1
        last = event.at if last is None or event.at > last else last
    result.end = parse_instant(until) if until is not None else last
    if result.end is not None:
        advance(result.end)
    return result


def load_state(engine: Engine, path: Path) -> None:
    """Restore ``engine`` from a state file written by :func:`save_state`, if the file exists."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StateError(f"状态文件不是合法的 JSON：{exc.msg}（第{exc.lineno}行）", f"the state file is not valid JSON: {exc.msg} (line {exc.lineno})") from None
    engine.restore_state(data)


def save_state(engine: Engine, path: Path) -> None:
    """Write ``engine``'s exported state to ``path`` atomically: a temporary file in the same
    directory, flushed to disk, then renamed over ``path`` (a crash leaves the old file whole)."""
    path = path.resolve()
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(engine.export_state(), out, ensure_ascii=False, separators=(",", ":"))
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def format_jsonl_row(action: Action) -> str:
    return json.dumps(action.to_json(), ensure_ascii=False)
