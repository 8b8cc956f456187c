"""Who decides: one ``serve`` process at a time holds the decider's lease.

Several processes may serve one database; any of them accepts events (a node without the lease
queues them in ``ducha_inbox`` for the one with it, see node.py), but only the lease holder
decides, for every pack (so two processes never decide for the same pack, nor read a docket
another is changing). The lease is

- on PostgreSQL, a session advisory lock (``pg_try_advisory_lock``) on a connection kept open for
  it: when the holder dies its connection closes and the server frees the lock at once;
- on SQLite, an exclusive ``flock`` on ``<database>.lease`` (freed by the kernel when the process
  dies).

Taking the lease increments ``ducha_lease.epoch``; every commit of the holder checks that epoch
under a shared row lock (store.Database.commit), so a holder that lost its lock without noticing
(a network partition) cannot commit after another took over: it is fenced, not trusted.
"""

from __future__ import annotations

import fcntl
import os
import socket
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, insert, select, text, update

from duchaplugin.calendar import BEIJING
from duchaplugin.service.store import LEASE, Database, lease

ADVISORY_KEY = 0x6475636861  # "ducha"


def node_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Lease:
    """The decider's lease for one process: :meth:`acquire` (non-blocking), :meth:`held`
    (checked again each second by the node), :meth:`release`; ``epoch`` while held."""

    def __init__(self, db: Database, holder: str | None = None) -> None:
        self.db = db
        self.holder = holder or node_name()
        self.epoch: int | None = None
        self._conn: Connection | None = None
        self._file: int | None = None

    def acquire(self) -> bool:
        if self.epoch is not None:
            return True
        if not self._lock():
            return False
        try:
            self.epoch = self._bump()
        except Exception:
            self._unlock()
            raise
        return True

    def held(self) -> bool:
        """Still ours? On PostgreSQL the lock's connection must still answer."""
        if self.epoch is None:
            return False
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT 1"))
            except Exception:
                self.release()
                return False
        return True

    def release(self) -> None:
        self.epoch = None
        self._unlock()

    def _lock(self) -> bool:
        if self.db.postgres:
            conn = self.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            try:
                got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}).scalar()
            except Exception:
                conn.close()
                raise
            if not got:
                conn.close()
                return False
            self._conn = conn
            return True
        path = Path(str(self.db.url.database) + ".lease")
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._file = fd
        return True

    def _unlock(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()  # closing the session frees its advisory lock
            except Exception:
                pass
            self._conn = None
        if self._file is not None:
            os.close(self._file)  # closing the descriptor frees the flock
            self._file = None

    def _bump(self) -> int:
        now = datetime.now(BEIJING).isoformat(timespec="seconds")
        with self.db.engine.begin() as conn:
            epoch = conn.execute(select(lease.c.epoch).where(lease.c.name == LEASE).with_for_update()).scalar()
            if epoch is None:
                conn.execute(insert(lease).values(name=LEASE, epoch=1, holder=self.holder, acquired_at=now))
                return 1
            conn.execute(update(lease).where(lease.c.name == LEASE).values(epoch=epoch + 1, holder=self.holder, acquired_at=now))
            return epoch + 1
