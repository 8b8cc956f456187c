"""The outbox: every committed action, numbered ``seq`` in delivery order — the feed hosts poll
(``GET /v1/actions?after=SEQ``) and the webhook sends from. Only committed rows exist here, so
nothing a crash rolled back is ever served or sent."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from duchaplugin.service.store import Database, outbox

MAX_LIMIT = 1000


def feed(db: Database, after: int, limit: int) -> tuple[list[dict[str, Any]], int]:
    """Actions with ``seq`` > ``after`` (at most ``limit``), and the seq to ask after next."""
    with db.reader.connect() as conn:
        rows = conn.execute(select(outbox.c.seq, outbox.c.body).where(outbox.c.seq > after)
                            .order_by(outbox.c.seq).limit(limit)).all()
    actions = [_action(seq, body) for seq, body in rows]
    return actions, (rows[-1].seq if rows else after)


def of_subject(db: Database, subject: str) -> list[dict[str, Any]]:
    with db.reader.connect() as conn:
        rows = conn.execute(select(outbox.c.seq, outbox.c.body).where(outbox.c.subject == subject).order_by(outbox.c.seq)).all()
    return [_action(seq, body) for seq, body in rows]


def _action(seq: int, body: str) -> dict[str, Any]:
    return {"seq": seq, **json.loads(body)}
