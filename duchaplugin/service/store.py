"""The durable store: tables (SQLAlchemy Core, plain SQL types a DBA recognises) and transactions.

One database holds everything a deployment must not lose:

- ``ducha_events`` — every decided event: id, body as received, status (accepted / rejected);
- ``ducha_outbox`` — every action, numbered ``seq`` in delivery order (the feed);
- ``ducha_subjects`` — each subject's latest state (the engine's JSON of it);
- ``ducha_state_base`` + ``ducha_state_log`` — the rest of the engine's state (seen ids, schedule
  clocks, parameters…) as a snapshot and the changes decided since, folded at start and by
  :meth:`Database.compact`;
- ``ducha_meta`` — the manual clock, webhook cursors;
- ``ducha_lease``, ``ducha_inbox``, ``ducha_results`` — several nodes on one PostgreSQL (lease.py).

A decision's rows are written together by :meth:`Database.commit` in one transaction, after the
epoch of the lease is checked under a shared row lock (fencing: a node that lost its lease cannot
commit). Reads never need the engine, so any node answers them.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Callable, Iterable

from alembic import command
from alembic.config import Config
from sqlalchemy import (BigInteger, bindparam, Column, Connection, Engine, Integer, MetaData, String, Table, Text, create_engine,
                        delete, event, func, insert, select, text, update)
from sqlalchemy.engine import make_url

metadata = MetaData()

events = Table(
    "ducha_events", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("id", String, nullable=False, index=True),
    Column("subject", String, index=True),
    Column("pack", String),
    Column("type", String),
    Column("at", String(40)),
    Column("status", String(16), nullable=False),
    Column("body", Text, nullable=False),
    Column("decided_at", String(40), nullable=False),
)
outbox = Table(
    "ducha_outbox", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("id", String, nullable=False, index=True),
    Column("subject", String, nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("at", String(40), nullable=False),
    Column("event_seq", BigInteger),
    Column("body", Text, nullable=False),
)
subjects = Table(
    "ducha_subjects", metadata,
    Column("subject", String, primary_key=True),
    Column("pack", String, nullable=False, index=True),
    Column("position", BigInteger, nullable=False),  # first appearance: restored in the engine's order
    Column("body", Text, nullable=False),
)
state_base = Table(
    "ducha_state_base", metadata,
    Column("name", String(32), primary_key=True),
    Column("upto", BigInteger, nullable=False),
    Column("body", Text, nullable=False),
)
state_log = Table(
    "ducha_state_log", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("body", Text, nullable=False),
)
meta = Table(
    "ducha_meta", metadata,
    Column("name", String(200), primary_key=True),
    Column("value", Text, nullable=False),
)
lease = Table(
    "ducha_lease", metadata,
    Column("name", String(32), primary_key=True),
    Column("epoch", BigInteger, nullable=False),
    Column("holder", String(200), nullable=False),
    Column("acquired_at", String(40), nullable=False),
)
inbox = Table(
    "ducha_inbox", metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("request", String(64), nullable=False),
    Column("position", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
)
results = Table(
    "ducha_results", metadata,
    Column("request", String(64), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("body", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
)

BASE = "engine"  # the one row of ducha_state_base


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class NotLeader(Exception):
    """The lease's epoch moved on: another node decides now; nothing was committed."""


@dataclass
class Batch:
    """The rows of one transaction, gathered while deciding (nothing touches the database until
    :meth:`Database.commit`)."""

    events: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    subjects: dict[str, tuple[str, str] | None] = field(default_factory=dict)  # subject → (pack, body), None: removed
    positions: dict[str, int] = field(default_factory=dict)  # subjects new to the table → their position
    log: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    after: list[Callable[[Connection], None]] = field(default_factory=list)  # more statements, same transaction

    def __bool__(self) -> bool:
        return bool(self.events or self.actions or self.subjects or self.log or self.meta or self.after)


class Database:
    """The store behind one ``serve`` process: SQLite (one file, WAL, full fsync at commit) or
    PostgreSQL (psycopg 3)."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        if parsed.drivername in ("postgresql", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        self.url = parsed
        self.sqlite = parsed.get_backend_name() == "sqlite"
        self.postgres = parsed.get_backend_name() == "postgresql"
        if self.sqlite:
            if parsed.database in (None, "", ":memory:"):
                raise ValueError("SQLite 数据库须为文件 / the SQLite database must be a file")
            self.engine = _sqlite_engine(parsed, immediate=True)
            self.reader = _sqlite_engine(parsed, immediate=False)
        else:
            self.engine = self.reader = create_engine(parsed, pool_pre_ping=True, pool_size=8, max_overflow=8)
        self._compacting = threading.Lock()

    def dispose(self) -> None:
        self.engine.dispose()
        if self.reader is not self.engine:
            self.reader.dispose()

    # -- schema -----------------------------------------------------------------------------------
    def migrate(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` (Alembic; the scripts ship inside the package). On
        PostgreSQL an advisory lock keeps two nodes starting at once from migrating together."""
        with self.engine.connect() as conn:
            if self.postgres:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK})
                conn.commit()
            try:
                command.upgrade(alembic_config(conn), revision)
                conn.commit()
            finally:
                if self.postgres:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK})
                    conn.commit()

    def revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.reader.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    # -- writing ------------------------------------------------------------------------------------
    def commit(self, batch: Batch, epoch: int | None) -> None:
        """Write ``batch`` in one transaction; with ``epoch`` (the lease held), refuse with
        :class:`NotLeader` if the lease moved on (checked under a shared lock on its row, so a
        take-over waits for this transaction or this transaction sees the take-over)."""
        with self.engine.begin() as conn:
            if batch.events:
                conn.execute(insert(events), batch.events)
            if batch.subjects:
                _write_subjects(conn, batch)
            if batch.log:
                conn.execute(insert(state_log), batch.log)
            if batch.actions:
                conn.execute(insert(outbox), batch.actions)
            for name, value in batch.meta.items():
                _put_meta(conn, name, value)
            for statement in batch.after:
                statement(conn)
            if epoch is not None:
                held = conn.execute(select(lease.c.epoch).where(lease.c.name == LEASE).with_for_update(read=True)).scalar()
                if held != epoch:
                    raise NotLeader(held)

    def put_meta(self, name: str, value: str) -> None:
        with self.engine.begin() as conn:
            _put_meta(conn, name, value)

    def compact(self, fold: Callable[[dict[str, Any], Iterable[dict[str, Any]]], dict[str, Any]], keep: int = 0) -> int:
        """Fold the state log into the base snapshot (``fold(base, changes…)``); returns the rows
        folded. Safe beside a deciding node: only rows up to the highest seq read are removed."""
        with self._compacting:
            with self.reader.connect() as conn:
                base_row = conn.execute(select(state_base.c.upto, state_base.c.body).where(state_base.c.name == BASE)).first()
                if base_row is None:
                    return 0
                rows = conn.execute(select(state_log.c.seq, state_log.c.body).where(state_log.c.seq > base_row.upto)
                                    .order_by(state_log.c.seq)).all()
            if len(rows) <= keep:
                return 0
            folded = fold(json.loads(base_row.body), (json.loads(r.body) for r in rows))
            upto = rows[-1].seq
            with self.engine.begin() as conn:
                done = conn.execute(update(state_base).where(state_base.c.name == BASE, state_base.c.upto == base_row.upto)
                                    .values(upto=upto, body=dumps(folded))).rowcount
                if done:
                    conn.execute(delete(state_log).where(state_log.c.seq <= upto))
            return len(rows) if done else 0

    def put_base(self, snapshot: dict[str, Any], upto: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(state_base).where(state_base.c.name == BASE))
            conn.execute(insert(state_base).values(name=BASE, upto=upto, body=dumps(snapshot)))

    # -- reading ------------------------------------------------------------------------------------
    def load_state(self) -> tuple[dict[str, Any] | None, list[dict[str, Any]], dict[str, Any]]:
        """(base snapshot or None, the changes logged since, subject → state) — one consistent read."""
        with self.reader.connect() as conn, conn.begin():
            base_row = conn.execute(select(state_base.c.upto, state_base.c.body).where(state_base.c.name == BASE)).first()
            upto = base_row.upto if base_row else 0
            log = [json.loads(b) for b in conn.execute(select(state_log.c.body).where(state_log.c.seq > upto)
                                                       .order_by(state_log.c.seq)).scalars()]
            states = {s: json.loads(b) for s, b in conn.execute(select(subjects.c.subject, subjects.c.body)
                                                                .order_by(subjects.c.position))}
        return (json.loads(base_row.body) if base_row else None), log, states

    def positions(self) -> dict[str, int]:
        """Subject → its position (order of first appearance)."""
        with self.reader.connect() as conn:
            return {s: p for s, p in conn.execute(select(subjects.c.subject, subjects.c.position))}

    def heads(self) -> dict[str, int]:
        """The highest seq of each numbered table (0 when empty); ``base``: the log seq the base
        snapshot folds (the log's numbering continues after it even once its rows are folded)."""
        with self.reader.connect() as conn, conn.begin():
            heads = {name: conn.execute(select(func.coalesce(func.max(table.c.seq), 0))).scalar() or 0
                     for name, table in (("events", events), ("actions", outbox), ("log", state_log))}
            heads["base"] = conn.execute(select(state_base.c.upto).where(state_base.c.name == BASE)).scalar() or 0
        heads["log"] = max(heads["log"], heads["base"])
        return heads

    def get_meta(self, name: str) -> str | None:
        with self.reader.connect() as conn:
            return conn.execute(select(meta.c.value).where(meta.c.name == name)).scalar()


LEASE = "decider"
MIGRATION_LOCK = 0x64756368  # "duch": the advisory lock key migrations take on PostgreSQL


def _write_subjects(conn: Connection, batch: Batch) -> None:
    """Changed states updated in place, new ones inserted at their position, removed ones deleted."""
    removed = [s for s, v in batch.subjects.items() if v is None and s not in batch.positions]
    for i in range(0, len(removed), 500):
        conn.execute(delete(subjects).where(subjects.c.subject.in_(removed[i:i + 500])))
    changed = [{"key": s, "pack": v[0], "body": v[1]} for s, v in batch.subjects.items() if v and s not in batch.positions]
    if changed:
        conn.execute(update(subjects).where(subjects.c.subject == bindparam("key"))
                     .values(pack=bindparam("pack"), body=bindparam("body")), changed)
    new = [{"subject": s, "pack": batch.subjects[s][0], "position": p, "body": batch.subjects[s][1]}
           for s, p in batch.positions.items() if batch.subjects.get(s)]
    if new:
        conn.execute(insert(subjects), new)


def _put_meta(conn: Connection, name: str, value: str) -> None:
    if conn.execute(update(meta).where(meta.c.name == name).values(value=value)).rowcount == 0:
        conn.execute(insert(meta).values(name=name, value=value))


def _sqlite_engine(url: Any, *, immediate: bool) -> Engine:
    """SQLite with WAL and ``synchronous=FULL`` (a commit survives a power cut); writers open with
    ``BEGIN IMMEDIATE`` so two processes on one file queue instead of failing on lock upgrade."""
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event below opens transactions
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the migration scripts shipped in ``duchaplugin/service/migrations``
    (``alembic -c`` is not needed: ``duchaplugin serve`` migrates at start)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("duchaplugin.service") / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg
