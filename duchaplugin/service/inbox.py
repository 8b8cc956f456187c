"""Events and clock moves a node without the lease queues for the one with it (``ducha_inbox``),
and the results the decider writes back (``ducha_results``) in the transaction that commits the
decisions — so a queued event is decided exactly once, even across a take-over."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy import Connection, delete, func, insert, select

from duchaplugin.calendar import BEIJING
from duchaplugin.service.store import Database, dumps, inbox, results


@dataclass
class Request:
    """One queued request: its id, kind (``events`` / ``clock``), payloads in order, inbox rows."""

    id: str
    kind: str
    items: list[Any]
    seqs: list[int]

    def answer(self, answers: list[Any]) -> Callable[[Connection], None]:
        """The statements that remove the request from the inbox and store its answers."""
        now = _now()

        def write(conn: Connection) -> None:
            conn.execute(delete(inbox).where(inbox.c.seq.in_(self.seqs)))
            conn.execute(insert(results), [{"request": self.id, "position": i, "body": dumps(a), "created_at": now}
                                           for i, a in enumerate(answers)])
        return write


def enqueue(db: Database, request: str, kind: str, items: list[Any]) -> None:
    now = _now()
    with db.engine.begin() as conn:
        conn.execute(insert(inbox), [{"request": request, "position": i, "kind": kind, "body": dumps(item), "created_at": now}
                                     for i, item in enumerate(items)])


def pending(db: Database, limit: int = 20) -> list[Request]:
    """The oldest queued requests, each whole (a request's rows are committed together)."""
    first = func.min(inbox.c.seq)
    with db.reader.connect() as conn, conn.begin():
        ids = conn.execute(select(inbox.c.request).group_by(inbox.c.request).order_by(first).limit(limit)).scalars().all()
        if not ids:
            return []
        rows = conn.execute(select(inbox).where(inbox.c.request.in_(ids)).order_by(inbox.c.seq)).all()
    requests: dict[str, Request] = {}
    for row in rows:
        request = requests.setdefault(row.request, Request(row.request, row.kind, [], []))
        request.items.append(json.loads(row.body))
        request.seqs.append(row.seq)
    return list(requests.values())


def take(db: Database, request: str, count: int) -> list[Any] | None:
    """The answers to ``request`` once all ``count`` are there (and removed), else None."""
    with db.reader.connect() as conn:
        rows = conn.execute(select(results.c.position, results.c.body).where(results.c.request == request)
                            .order_by(results.c.position)).all()
    if len(rows) < count:
        return None
    with db.engine.begin() as conn:
        conn.execute(delete(results).where(results.c.request == request))
    return [json.loads(r.body) for r in rows]


def forget_old(db: Database, hours: int = 24) -> None:
    """Drop answers nobody collected (the node that queued them died)."""
    cutoff = (datetime.now(BEIJING) - timedelta(hours=hours)).isoformat(timespec="seconds")
    with db.engine.begin() as conn:
        conn.execute(delete(results).where(results.c.created_at < cutoff))


def _now() -> str:
    return datetime.now(BEIJING).isoformat(timespec="seconds")
