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

Reading (:func:`read_lines`): the file is read as bytes and each line decoded on its own, so one
line in another encoding, or cut in the middle of a character, is one error, not the end of the
run; a UTF-8 byte-order mark is accepted; GBK/GB18030 files are read with ``encoding="gb18030"``
(the error for a line that is not UTF-8 but reads as GB18030 says so); a line longer than
:data:`MAX_LINE_BYTES` is refused without being held in memory.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

from duchaplugin.engine import Engine
from duchaplugin.errors import ContractError, DuchaError, StateError
from duchaplugin.events import parse_event
from duchaplugin.models import Action, Event, parse_instant

#: The longest line (one event) ``read_lines`` accepts: 1 MiB.
MAX_LINE_BYTES = 1 << 20


def check_encoding(name: str) -> str:
    """The codec name for ``--encoding``, if it reads JSON Lines line by line (ASCII-compatible:
    UTF-8, GB18030, GBK…); else a :class:`ValueError` in Chinese and English."""
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise ValueError(f"未知的编码 {name!r}（例如 utf-8、gb18030、gbk） / unknown encoding {name!r} (e.g. utf-8, gb18030, gbk)") from None
    if "\n{}".encode(codec, errors="replace") != b"\n{}":
        raise ValueError(f"不支持按行读取的编码 {name!r}：请先转换为 UTF-8 / encoding {name!r} cannot be read line by line: convert to UTF-8 first")
    return codec


def read_lines(stream: BinaryIO, encoding: str = "utf-8") -> Iterator[str | ContractError]:
    """The lines of a JSON Lines byte stream, each decoded on its own; a line that cannot be decoded
    or is too long is yielded as the :class:`ContractError` saying why."""
    first = True
    while raw := stream.readline(MAX_LINE_BYTES + 1):
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            size = len(raw)
            while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                size += len(rest)
            size += len(rest)
            yield ContractError(f"行过长（{size} 字节，上限 {MAX_LINE_BYTES}）", f"line too long ({size} bytes, limit {MAX_LINE_BYTES})")
            first = False
            continue
        yield decode_line(raw, encoding, first)
        first = False


def decode_line(raw: bytes, encoding: str = "utf-8", first: bool = False) -> str | ContractError:
    """One line as text; a UTF-8 byte-order mark on the first line is dropped."""
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        zh = en = ""
        if codecs.lookup(encoding).name == "utf-8":
            try:
                raw.decode("gb18030")
                zh, en = "；该行可按 GB18030/GBK 读取，请加 --encoding gb18030", "; it reads as GB18030/GBK: add --encoding gb18030"
            except UnicodeDecodeError:
                pass
        return ContractError(f"第{exc.start + 1}个字节起不是 {encoding} 编码的文字{zh}",
                             f"not {encoding} text from byte {exc.start + 1}{en}")
    return text.removeprefix("\ufeff") if first else text


@dataclass
class ReplayResult:
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    events: int = 0
    actions: int = 0
    end: datetime | None = None  # the instant time was advanced to


def replay(lines: Iterable[str | ContractError], engine: Engine, on_actions: Callable[[list[Action]], None],
           until: datetime | str | None = None,
           on_event: Callable[[Event, list[Action]], None] | None = None) -> ReplayResult:
    """Feed ``lines`` to ``engine`` in order; ``on_actions`` receives actions as they are produced,
    ``on_event`` (optional) each event handled with the actions it produced. A line given as a
    :class:`ContractError` (from :func:`read_lines`) is reported as that line's error. Time is
    advanced to ``until``, or to the last event's time when ``until`` is earlier (with a note)."""
    result = ReplayResult()
    last: datetime | None = None

    def advance(instant: datetime) -> None:
        for actions in engine.advance_iter(instant):  # a long gap: batch by batch, none kept
            result.actions += len(actions)
            on_actions(actions)

    for number, line in enumerate(lines, start=1):
        if isinstance(line, ContractError):
            result.errors.append(line.at_line(number).describe())
            continue
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
    if result.end is not None and last is not None and result.end < last:
        result.notes.append(f"--until {result.end.isoformat()} 早于最后一个事件的时间 {last.isoformat()}：时间推进到最后一个事件为止"
                            f" / --until {result.end.isoformat()} is before the last event ({last.isoformat()}):"
                            f" time was advanced to the last event only")
        result.end = last
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
