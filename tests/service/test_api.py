"""The HTTP API through a real client against a running ``duchaplugin serve`` (manual clock, SQLite)."""

from __future__ import annotations

import copy
import io
import re

import httpx
import openpyxl
import pytest

from tests.service.conftest import Server, events, post_like_replay, replay_actions

DOCKET = "docket.jsonl"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Server:
    server = Server(tmp_path_factory.mktemp("api"), None, "--clock", "manual", "--max-body", "200000", "--max-events", "50")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def docket(server: Server) -> list[dict]:
    """The example docket posted as ``replay`` runs it; the results of each event."""
    return post_like_replay(server, events(DOCKET))


def test_the_feed_is_what_replay_prints(server: Server, docket: list[dict]) -> None:
    assert [r["status"] for r in docket] == ["accepted"] * len(events(DOCKET))
    feed = server.feed()
    assert [a["seq"] for a in feed] == list(range(1, len(feed) + 1))
    assert [{k: v for k, v in a.items() if k != "seq"} for a in feed] == replay_actions(DOCKET)
    answered = [a for r in docket for a in r["actions"]]
    assert answered == [a for a in feed if a["seq"] in {x["seq"] for x in answered}]


def test_reposting_is_safe(server: Server, docket: list[dict]) -> None:
    again = server.post("/v1/events", events(DOCKET)[:3]).json()["results"]
    assert [(r["id"], r["status"], r["actions"]) for r in again] == [(e["id"], "duplicate", []) for e in events(DOCKET)[:3]]


def test_feed_pages(server: Server, docket: list[dict]) -> None:
    everything = server.feed()
    page = server.get("/v1/actions", params={"after": 1, "limit": 2}).json()
    assert page["actions"] == everything[1:3] and page["next"] == everything[2]["seq"]
    end = server.get("/v1/actions", params={"after": everything[-1]["seq"]}).json()
    assert end == {"actions": [], "next": everything[-1]["seq"]}
    for bad in ({"after": -1}, {"limit": 0}, {"limit": 5000}, {"after": "x"}):
        answer = server.get("/v1/actions", params=bad)
        assert answer.status_code == 400 and answer.json()["error"]["field"] == next(iter(bad))


def test_a_pack_refusal_is_rejected_and_the_id_is_not_used_up(server: Server) -> None:
    first = copy.deepcopy(events(DOCKET)[0])
    first.update(id="rej-1", subject="DC-REJ-1")
    del first["data"]["basis"]
    result, = server.post("/v1/events", first).json()["results"]
    assert result["status"] == "rejected"
    assert [a["kind"] for a in result["actions"]] == ["rejection"] and result["actions"][0]["event"] == "rej-1"
    assert "error" not in result
    first["data"]["basis"] = events(DOCKET)[0]["data"]["basis"]  # corrected, sent again with the same id
    result, = server.post("/v1/events", first).json()["results"]
    assert result["status"] == "accepted"
    history = server.get("/v1/subjects/DC-REJ-1").json()["events"]
    assert [(e["id"], e["status"]) for e in history] == [("rej-1", "rejected"), ("rej-1", "accepted")]


def test_contract_errors_name_the_field_in_both_languages(server: Server) -> None:
    body = [{"id": "bad-1", "subject": "X", "type": "registered", "at": "2025-09-01"},  # no pack
            {"id": "bad-2", "subject": "X", "at": "2025-09-01", "pack": "cn"},  # no type
            {"id": "bad-3", "subject": "X", "type": "registered", "at": "2025-09-01", "pack": "no-such-pack"},
            {"id": "bad-4", "type": "tick", "at": "2025-09-01"},
            "not an object"]
    results = server.post("/v1/events", body).json()["results"]
    assert [r["status"] for r in results] == ["error"] * 5
    assert [r["error"]["field"] for r in results] == ["pack", "type", "pack", "type", None]
    assert [r["id"] for r in results] == ["bad-1", "bad-2", "bad-3", "bad-4", None]
    for r in results:
        assert re.search("[\u4e00-\u9fff]", r["error"]["message_zh"]) and r["error"]["message_en"].isascii()
    assert server.get("/v1/subjects/X").status_code == 404  # nothing of them was stored


def test_errors_never_show_a_secret_items_content(server: Server) -> None:
    event = {"id": "sec-1", "subject": "HTB-SEC", "type": "registered", "at": "2025-03-03T09:00", "pack": "cn-xj-hutubi",
             "data": {"secret": True, "title": "某绝密工程进度", "category": "某绝密工程的分类"}}
    result, = server.post("/v1/events", event).json()["results"]
    assert result["status"] == "error" and result["error"]["field"] == "data.category"
    text = str(result)
    assert "绝密" not in text and "涉密" in result["error"]["message_zh"]
    event["data"]["secret"] = False
    result, = server.post("/v1/events", event).json()["results"]
    assert "某绝密工程的分类" in result["error"]["message_zh"]  # not secret: the value is named, as for any error


@pytest.mark.parametrize(("content", "headers", "status", "field"), [
    (b'{"id": 1', {"Content-Type": "application/json"}, 400, "body"),
    (b'[1, NaN]', {"Content-Type": "application/json"}, 400, "body"),
    (b'"text"', {"Content-Type": "application/json"}, 400, "body"),
    (b'\xff\xfe', {"Content-Type": "application/json"}, 400, "body"),
    (b'{}', {"Content-Type": "text/plain"}, 415, "Content-Type"),
    (b'{}', {"Content-Type": "application/json; charset=gbk"}, 415, "Content-Type"),
    (b'[' + b'{},' * 50 + b'{}]', {"Content-Type": "application/json"}, 413, "events"),
    (b'[' + b'"x",' * 60000 + b'"x"]', {"Content-Type": "application/json"}, 413, "body"),
], ids=["unclosed", "NaN", "a string", "not UTF-8", "text/plain", "GBK", "too many events", "too large"])
def test_unreadable_bodies(server: Server, content: bytes, headers: dict, status: int, field: str) -> None:
    answer = httpx.post(server.url + "/v1/events", content=content, headers=headers, timeout=30)
    assert answer.status_code == status
    error = answer.json()["error"]
    assert error["field"] == field and error["message_zh"] and error["message_en"]


def test_the_clock_does_not_go_back(server: Server, docket: list[dict]) -> None:
    answer = server.post("/v1/clock", {"at": "2000-01-01"})
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "at"
    assert server.post("/v1/clock", {"at": "not a time"}).status_code == 400
    assert server.post("/v1/clock", {"when": "2025-01-01"}).status_code == 400


def test_subject(server: Server, docket: list[dict]) -> None:
    first = events(DOCKET)[0]
    answer = server.get(f"/v1/subjects/{first['subject']}").json()
    assert answer["pack"] == "cn" and answer["state"]["subject"] == first["subject"]
    assert [e["id"] for e in answer["events"]] == [e["id"] for e in events(DOCKET) if e["subject"] == first["subject"]]
    assert answer["actions"] == [a for a in server.feed() if a["subject"] == first["subject"]]
    slashed = copy.deepcopy(events(DOCKET)[0])
    slashed.update(id="slash-1", subject="州督〔2025〕17/1号")
    assert server.post("/v1/events", slashed).json()["results"][0]["status"] == "accepted"
    assert server.get("/v1/subjects/州督〔2025〕17%2F1号").json()["subject"] == "州督〔2025〕17/1号"
    missing = server.get("/v1/subjects/nobody")
    assert missing.status_code == 404 and missing.json()["error"]["field"] == "subject"


def test_ledger(server: Server, docket: list[dict]) -> None:
    answer = server.get("/v1/ledger", params={"pack": "cn"}).json()
    assert answer["columns"][0] == "编号"
    assert any(row["编号"].startswith(events(DOCKET)[0]["subject"]) for row in answer["rows"])
    assert server.get("/v1/ledger", params={"pack": "nope"}).status_code == 404
    workbook = server.get("/v1/ledger", params={"pack": "cn", "format": "xlsx"})
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert [c.value for c in sheet[2]] == answer["columns"]


def test_packs_coverage_calendar(server: Server) -> None:
    packs = {p["id"]: p for p in server.get("/v1/packs").json()["packs"]}
    assert packs["cn"]["document"] == "国务院令第733号"
    coverage = server.get("/v1/packs/cn/coverage").json()
    assert coverage["total"] == len(coverage["clauses"]) > 0
    assert server.get("/v1/packs/nope/coverage").status_code == 404
    day = server.get("/v1/calendar/workday", params={"date": "2025-10-01"}).json()
    assert day["workday"] is False and "国庆" in day["description"]
    assert server.get("/v1/calendar/workday", params={"date": "2025-09-28"}).json()["workday"] is True  # 调休
    added = server.get("/v1/calendar/add", params={"date": "2025-09-30", "n": 1}).json()
    assert added["result"] == "2025-10-09" and added["unit"] == "working_days"
    by_days = server.get("/v1/calendar/add", params={"date": "2025-09-26", "n": 5, "days": 1}).json()
    assert by_days["unit"] == "days" and by_days["moved_from"] == "2025-10-01" and by_days["result"] == "2025-10-09"
    for params, field in (({"date": "2025-13-01"}, "date"), ({"date": "1900-01-01"}, "date"),
                          ({"date": "2025-10-01", "region": "mars"}, "region")):
        answer = server.get("/v1/calendar/workday", params=params)
        assert answer.status_code == 400 and answer.json()["error"]["field"] == field
    answer = server.get("/v1/calendar/add", params={"date": "2025-10-01", "n": 99999})
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "n"


def test_health_metrics_openapi_docs(server: Server, docket: list[dict]) -> None:
    assert server.get("/healthz").json() == {"status": "ok", "role": "active"}
    metrics = server.get("/metrics").text
    assert 'duchaplugin_events_total{status="accepted"}' in metrics
    assert "duchaplugin_decision_seconds_bucket" in metrics and "duchaplugin_actions_total" in metrics
    assert "duchaplugin_next_check_seconds" in metrics and "duchaplugin_outbox_head_seq" in metrics
    spec = server.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.") and "/v1/events" in spec["paths"] and "Event" in spec["components"]["schemas"]
    page = server.get("/docs")
    assert page.status_code == 200 and "/v1/actions" in page.text
    assert not re.search(r"""(src|href)=['"]?(https?:)?//""", page.text)  # nothing from another host
    unknown = server.get("/v2/nothing")
    assert unknown.status_code == 404 and unknown.json()["error"]["message_en"] == "not found"
