"""Read-only views of the store for ``GET /v1/subjects/{subject}`` and ``GET /v1/ledger``: read
from the database, not the engine, so every node answers them the same."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping

from sqlalchemy import select

from duchaplugin.ledger import COLUMNS, Entry, Ledger, Score
from duchaplugin.ledger_xlsx import write_xlsx
from duchaplugin.models import Action, Event, SubjectState
from duchaplugin.service import outbox as feed
from duchaplugin.service.store import Database, events, outbox, subjects


def subject(db: Database, subject_id: str) -> dict[str, Any] | None:
    """A subject's state, its events (id, type, time, status) and its actions, in order."""
    with db.reader.connect() as conn:
        row = conn.execute(select(subjects.c.pack, subjects.c.body).where(subjects.c.subject == subject_id)).first()
        history = conn.execute(select(events.c.seq, events.c.id, events.c.type, events.c.at, events.c.status)
                               .where(events.c.subject == subject_id).order_by(events.c.seq)).all()
    if row is None:
        return None
    return {"subject": subject_id, "pack": row.pack, "state": json.loads(row.body),
            "events": [dict(r._mapping) for r in history], "actions": feed.of_subject(db, subject_id)}


def ledger(db: Database, packs: Mapping[str, Any], pack: str | None) -> tuple[list[Entry], list[Score]]:
    """The 督查台账 of a pack (or of every pack) and its 督查考核 results, as ``duchaplugin.ledger``
    fills them from the stored states, the decided events and the actions."""
    of_pack = subjects.c.pack == pack if pack else subjects.c.pack.is_not(None)
    with db.reader.connect() as conn, conn.begin():
        states = [SubjectState.model_validate_json(b) for b in conn.execute(select(subjects.c.body).where(of_pack)
                                                                            .order_by(subjects.c.position)).scalars()]
        decided = conn.execute(select(events.c.seq, events.c.body).join(subjects, subjects.c.subject == events.c.subject)
                               .where(of_pack).order_by(events.c.seq)).all()
        produced = conn.execute(select(outbox.c.event_seq, outbox.c.body).join(subjects, subjects.c.subject == outbox.c.subject)
                                .where(of_pack).order_by(outbox.c.seq)).all()
    actions = [(event_seq, Action.model_validate_json(body)) for event_seq, body in produced]
    by_event: dict[int, list[Action]] = {}
    for event_seq, action in actions:
        if event_seq is not None:
            by_event.setdefault(event_seq, []).append(action)
    book = Ledger(packs)
    for seq, body in decided:
        book.event(Event.model_validate_json(body), by_event.get(seq, []))
    book.actions([a for _, a in actions])
    entries = book.entries(states, pack)
    return entries, book.scores(entries, pack)


def ledger_json(entries: list[Entry], scores: list[Score], pack: str | None, as_of: datetime | None) -> dict[str, Any]:
    return {"pack": pack, "as_of": as_of.isoformat() if as_of else None, "columns": list(COLUMNS),
            "rows": [e.cells() for e in entries],
            "scores": [{"unit": s.unit, "period": s.period, "score": s.score, "items": s.items, "deductions": s.deductions,
                        "note": s.note, "action": s.action.id} for s in scores]}


def ledger_xlsx(entries: list[Entry], scores: list[Score], as_of: datetime | None) -> bytes:
    """The same as a workbook (``duchaplugin ledger --xlsx``)."""
    with tempfile.TemporaryDirectory() as directory:
        return write_xlsx(Path(directory) / "ledger.xlsx", entries, scores, as_of).read_bytes()
