"""Upgrading the package keeps a deployment's data: a database made by schema v1 (revision 0001,
before several nodes) is migrated at start and the service continues from it."""

from __future__ import annotations

from sqlalchemy import MetaData, insert, inspect, select

from duchaplugin.service.store import Database
from tests.service.conftest import events, post_like_replay, replay_actions

DOCKET = "docket.jsonl"
V1_TABLES = ("ducha_events", "ducha_outbox", "ducha_subjects", "ducha_state_base", "ducha_state_log", "ducha_meta")


def test_a_v1_database_is_migrated_and_continued(server_factory, tmp_path) -> None:
    history = events(DOCKET)
    source = server_factory("--clock", "manual", directory=tmp_path)
    post_like_replay(source, history[:6])
    served = source.feed()
    source.stop()

    # the same data in a database at revision 0001, as the previous release wrote it
    old = Database(f"sqlite:///{tmp_path / 'v1.db'}")
    old.migrate("0001")
    assert old.revision() == "0001"
    assert not {"ducha_lease", "ducha_inbox", "ducha_results"} & set(inspect(old.engine).get_table_names())
    new = Database(source.db)
    tables = MetaData()
    tables.reflect(new.engine, only=V1_TABLES)
    with new.engine.connect() as src, old.engine.begin() as dst:
        for name in V1_TABLES:
            rows = [dict(r._mapping) for r in src.execute(select(tables.tables[name]))]
            if rows:
                dst.execute(insert(tables.tables[name]), rows)
    old.dispose()
    new.dispose()

    upgraded = server_factory("--clock", "manual", db=f"sqlite:///{tmp_path / 'v1.db'}", directory=tmp_path)
    assert Database(upgraded.db).revision() == "0002"
    assert upgraded.feed() == served
    assert {r["status"] for r in upgraded.post("/v1/events", history[:6]).json()["results"]} == {"duplicate"}
    post_like_replay(upgraded, history[6:], until="2025-12-31")
    assert [{k: v for k, v in a.items() if k != "seq"} for a in upgraded.feed()] == replay_actions(DOCKET, until="2025-12-31")
