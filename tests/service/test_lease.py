"""The lease: one process decides; a node whose lease moved on cannot commit (fencing)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from duchaplugin.service.clock import ManualClock
from duchaplugin.service.lease import Lease
from duchaplugin.service.node import Node
from duchaplugin.service.problems import Problem
from duchaplugin.service.store import LEASE, Database, lease
from tests.service.conftest import events


def test_a_node_that_lost_its_lease_commits_nothing(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'fenced.db'}")
    db.migrate()
    node = Node(db, ManualClock())
    node._try_lead()
    assert node.active and node.lease.epoch == 1
    assert Lease(Database(f"sqlite:///{tmp_path / 'fenced.db'}")).acquire() is False  # the file lock is held

    first, second = events("docket.jsonl")[:2]
    assert node.decide_events([first])[0]["status"] == "accepted"
    with db.engine.begin() as conn:  # another node took over (as after a partition)
        conn.execute(update(lease).where(lease.c.name == LEASE).values(epoch=2, holder="elsewhere"))
    with pytest.raises(Problem) as refused:
        node.decide_events([second])
    assert refused.value.status == 503 and not node.active
    assert db.heads()["events"] == 1  # the second event was not committed
    node.stop()
