""":class:`Node` — one ``serve`` process: decides while it holds the lease, queues otherwise.

Order of a decision (docs/service.md, "Durability"): the engine decides; its store hook hands this
node the changed states and the new actions, which go into the request's :class:`~.store.Batch`
(each action numbered in the outbox); the batch commits in one transaction (events, states,
actions, and for queued requests their answers); only then is anything answered or sent. If the
commit fails, the engine's memory is ahead of the database: it is reloaded from the database,
and the request is answered 503 (re-posting is safe: accepted events answer ``duplicate``).

One lock orders every decision of the process (the engine decides one thing at a time anyway), so
outbox numbers follow decision order and commits happen in that order.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from duchaplugin.calendar import BEIJING
from duchaplugin.errors import DuchaError
from duchaplugin.models import Action, parse_instant
from duchaplugin.service import inbox
from duchaplugin.service.clock import ManualClock, SystemClock
from duchaplugin.service.lease import Lease
from duchaplugin.service.link import EngineLink, apply_changes
from duchaplugin.service.metrics import Metrics
from duchaplugin.service.problems import Problem, detail, from_error, redact, unavailable
from duchaplugin.service.store import Batch, Database, NotLeader, dumps

log = logging.getLogger("duchaplugin.service")

CLOCK = "clock"  # ducha_meta: the manual clock's instant
TICK_HINT = ("时间推进请用 POST /v1/clock（--clock manual），或由服务按系统时钟自行推进",
             "advance time with POST /v1/clock (--clock manual); with --clock system the service advances itself")


@dataclass
class _Pending:
    """The event being decided: its body, and what the store hook recorded for it."""

    item: dict[str, Any]
    id: str | None
    status: str | None = None  # set by the store hook: accepted / rejected
    actions: list[dict[str, Any]] = field(default_factory=list)


class Node:
    """Events in, decisions committed, answers out — for one process."""

    def __init__(self, db: Database, clock: SystemClock | ManualClock, *, metrics: Metrics | None = None,
                 compact_after: int = 5000, wait_queued: float = 30.0) -> None:
        self.db, self.clock = db, clock
        self.metrics = metrics or Metrics()
        self.link = EngineLink(self._on_store)
        self.lease = Lease(db)
        self.compact_after, self.wait_queued = compact_after, wait_queued
        self.lock = threading.RLock()
        self.active = False
        self.wake = threading.Event()  # new actions committed (the webhook waits on it)
        self._batch: Batch | None = None
        self._pending: _Pending | None = None
        self._advanced: list[dict[str, Any]] = []  # actions of time advances in the current batch
        self._heads = {"events": 0, "actions": 0, "log": 0}
        self._positions: dict[str, int] = {}  # subject → position in ducha_subjects (first appearance)
        self._last_position = 0
        self._base_upto = 0
        self._failed_at = -1e9
        self._stop = threading.Event()
        self._keeper: threading.Thread | None = None
        self.metrics.bind(self)

    # -- life -----------------------------------------------------------------------------------------
    def start(self) -> None:
        """Try for the lease once (a single node decides from its first request), then keep it —
        or wait for it — in the background."""
        self._try_lead()
        self._keeper = threading.Thread(target=self._keep, name="duchaplugin-keeper", daemon=True)
        self._keeper.start()

    def stop(self) -> None:
        self._stop.set()
        if self._keeper is not None:
            self._keeper.join(timeout=10)
        with self.lock:
            self._step_down()
            self.link.close()
        self.db.dispose()

    @property
    def role(self) -> str:
        return "active" if self.active else "standby"

    def _try_lead(self) -> None:
        with self.lock:
            if self.active:
                if not self.lease.held():
                    log.warning("失去决定权（租约）/ lost the decider's lease")
                    self._step_down()
                return
            try:
                if not self.lease.acquire():
                    return
                self._load()
            except Exception as exc:
                if time.monotonic() - self._failed_at > 60:  # tried each second: said once a minute
                    self._failed_at = time.monotonic()
                    log.exception("无法从数据库恢复状态，本节点暂不决定（每秒重试）/ cannot restore the state from the "
                                  "database; this node does not decide (retrying each second): %s", exc)
                self._step_down()
                return
            self.active = True
            log.info("本节点负责决定（租约第 %s 代）/ this node decides (lease epoch %s)", self.lease.epoch, self.lease.epoch)

    def _step_down(self) -> None:
        self.active = False
        self.lease.release()

    def _load(self) -> None:
        """Restore the engine from the database: base snapshot ⊕ logged changes ⊕ subjects."""
        base, changes, states = self.db.load_state()
        heads = self.db.heads()
        if base is None:
            base = {**self.link.export(), "subjects": {}}
            self.db.put_base(base, upto=heads["log"])
        else:
            snapshot = _fold(base, changes)
            snapshot["subjects"] = states
            self.link.restore(snapshot)
        self._heads = {name: heads[name] for name in ("events", "actions", "log")}
        self._positions = self.db.positions()
        self._last_position = max(self._positions.values(), default=0)
        self._base_upto = heads["base"]
        if isinstance(self.clock, ManualClock):
            stored = self.db.get_meta(CLOCK)
            self.clock.instant = parse_instant(stored) if stored else None

    def _keep(self) -> None:
        """The background loop: keep or seek the lease (each second), decide queued requests, fire
        time rules on the system clock, fold the state log."""
        last_lease_check = 0.0
        while not self._stop.is_set():
            if time.monotonic() - last_lease_check >= 1.0:
                last_lease_check = time.monotonic()
                self._try_lead()
            if self.active:
                try:
                    self._decide_queued()
                    if not self.clock.manual:
                        with self.lock:
                            if self.active:
                                self._catch_up()
                    if self._heads["log"] - self._base_upto > self.compact_after:
                        self._base_upto += self.db.compact(_fold, keep=0)
                except Problem as problem:
                    log.warning("%s / %s", problem.zh, problem.en)
                except Exception:
                    log.exception("后台处理出错 / background work failed")
            self._stop.wait(0.1)

    # -- events ---------------------------------------------------------------------------------------
    def decide_events(self, items: list[Any]) -> list[dict[str, Any]]:
        """Decide ``items`` in order and commit; the results (or queue them for the decider)."""
        if not self.active:
            return self._queue("events", items)
        return self._decide_events(items)

    def _decide_events(self, items: list[Any], answer: Callable[[list[Any]], Callable] | None = None) -> list[dict[str, Any]]:
        with self.lock:
            self._require_active()
            if not self.clock.manual:
                self._catch_up()
            self._begin()
            results = [self._decide_one(item) for item in items]
            if answer is not None:
                self._batch.after.append(answer(results))
            self._commit()
            if not self.clock.manual:
                self._catch_up()  # what the events' timers made due by now (e.g. an event from last month)
        for result in results:
            self.metrics.events.labels(result["status"]).inc()
            for action in result["actions"]:
                self.metrics.actions.labels(action["kind"]).inc()
        return results

    def _decide_one(self, item: Any) -> dict[str, Any]:
        if not isinstance(item, dict):
            return _error(None, detail(None, "事件应为 JSON 对象", "an event must be a JSON object"))
        event_id = item["id"] if isinstance(item.get("id"), str) else None
        if item.get("type") == "tick":
            return _error(event_id, detail("type", *TICK_HINT))
        pending = self._pending = _Pending(item, event_id)
        started = time.perf_counter()
        try:
            self.link.handle(item)
        except DuchaError as exc:
            error = from_error(exc)
            return _error(event_id, redact(error, item) if self._secret(item) else error)
        except Exception:
            log.exception("事件 %s 处理出错 / event %s failed", event_id, event_id)
            return _error(event_id, detail(None, "内部错误，该事件未处理，可重新提交", "internal error: the event was not applied; it may be posted again"))
        finally:
            self._pending = None
            self.metrics.latency.observe(time.perf_counter() - started)
        return {"id": event_id, "status": pending.status or "duplicate", "actions": pending.actions}

    def _secret(self, item: dict[str, Any]) -> bool:
        data = item.get("data")
        if isinstance(data, dict) and data.get("secret") not in (None, False, "", 0, "否", "false"):
            return True
        subject = item.get("subject")
        return isinstance(subject, str) and self.link.is_secret(subject)

    # -- time -----------------------------------------------------------------------------------------
    def set_clock(self, at: Any) -> dict[str, Any]:
        """Manual clock: advance to ``at``; the actions of every time rule due up to it."""
        if not self.clock.manual:
            raise Problem(409, "at", "服务使用系统时钟（--clock system），时间由服务自行推进",
                          "the service runs on the system clock (--clock system); time advances by itself")
        if not self.active:
            answer = self._queue("clock", [at])[0]
            if "error" in answer:
                error = answer["error"]
                raise Problem(400, error["field"], error["message_zh"], error["message_en"])
            return answer
        return self._set_clock(at)

    def _set_clock(self, at: Any, answer: Callable[[list[Any]], Callable] | None = None) -> dict[str, Any]:
        try:
            instant = parse_instant(at)
        except ValueError as exc:
            raise Problem(400, "at", *str(exc).split(" / ", 1)) from None
        if not isinstance(instant, datetime):
            raise Problem(400, "at", "应为 ISO-8601 日期时间", "an ISO-8601 datetime is expected")
        with self.lock:
            self._require_active()
            current = self.clock.instant
            if current is not None and instant < current:
                raise Problem(400, "at", f"时钟不能倒退（当前 {current.isoformat()}）",
                              f"the clock cannot go back (now {current.isoformat()})")
            self._begin()
            try:
                self._advance_through(instant)
            except DuchaError as exc:
                self._batch = None
                self._reload()
                raise Problem(400, exc.field or "at", exc.zh, exc.en) from None
            self._batch.meta[CLOCK] = instant.isoformat()
            result = {"at": instant.astimezone(BEIJING).isoformat(), "actions": self._advanced}
            if answer is not None:
                self._batch.after.append(answer([result]))
            self._commit()
            self.clock.instant = instant
        for action in result["actions"]:
            self.metrics.actions.labels(action["kind"]).inc()
        return result

    def _catch_up(self) -> None:
        """System clock: every instant due by now, rung by rung, each committed on its own."""
        while self.active:
            due, now = self.link.next_check(), self.clock.now()
            if due is None or due > now:
                return
            self._begin()
            self._advance_through(due)
            self._commit()
            for action in self._advanced:
                self.metrics.actions.labels(action["kind"]).inc()

    def _advance_through(self, until: datetime) -> None:
        step_through(self.link, until)

    def next_check_seconds(self) -> float | None:
        due, now = self.link.next_check(), self.clock.now()
        return None if due is None or now is None else (due - now).total_seconds()

    # -- the store hook and the transaction -------------------------------------------------------------
    def _begin(self) -> None:
        self._batch, self._advanced = Batch(), []

    def _on_store(self, changes: dict[str, Any], actions: list[Action]) -> None:
        """The engine's store hook: the decision's rows join the batch (committed by :meth:`_commit`)."""
        batch, pending = self._batch, self._pending
        if batch is None:
            raise RuntimeError("decision outside a transaction")
        event_seq = None
        if pending is not None and pending.status is None:
            rejected = any(a.kind == "rejection" and a.event == pending.id for a in actions)
            pending.status = "rejected" if rejected else "accepted"
            event_seq = self._next("events")
            item = pending.item
            batch.events.append({"seq": event_seq, "id": str(pending.id), "subject": _text(item.get("subject")),
                                 "pack": _text(item.get("pack")), "type": _text(item.get("type")), "at": _text(item.get("at")),
                                 "status": pending.status, "body": dumps(item),
                                 "decided_at": datetime.now(BEIJING).isoformat(timespec="milliseconds")})
        out = pending.actions if pending is not None else self._advanced
        for action in actions:
            body = action.to_json()
            seq = self._next("actions")
            batch.actions.append({"seq": seq, "id": action.id, "subject": action.subject, "kind": action.kind,
                                  "at": body["at"], "event_seq": event_seq, "body": dumps(body)})
            out.append({"seq": seq, **body})
        for subject, state in (changes.get("subjects") or {}).items():
            if state is None:
                batch.positions.pop(subject, None)
                self._positions.pop(subject, None)
                batch.subjects[subject] = None
                continue
            if subject not in self._positions:
                self._last_position += 1
                self._positions[subject] = batch.positions[subject] = self._last_position
            batch.subjects[subject] = (state["pack"], dumps(state))
        rest = {k: v for k, v in changes.items() if k not in ("subjects", "format", "version") and v not in (None, {}, [])}
        if rest:
            batch.log.append({"seq": self._next("log"), "body": dumps({k: v for k, v in changes.items() if k != "subjects"})})

    def _next(self, table: str) -> int:
        self._heads[table] += 1
        return self._heads[table]

    def _commit(self) -> None:
        batch, self._batch = self._batch, None
        if not batch:
            return
        try:
            self.db.commit(batch, self.lease.epoch)
        except NotLeader:
            log.warning("租约已被其他节点接管，本节点停止决定 / another node took the lease; this node stops deciding")
            self._step_down()
            raise unavailable("本节点已不负责决定，请重新提交（已受理的事件会答复 duplicate）",
                              "this node no longer decides; post again (accepted events answer duplicate)") from None
        except Exception:
            log.exception("提交失败 / commit failed")
            self._reload()
            raise unavailable("数据库提交失败，本次请求未生效，请重新提交", "the database commit failed: nothing of this request was applied; post again") from None
        if batch.actions:
            self.wake.set()

    def _reload(self) -> None:
        """After a failed commit the engine is ahead of the database: start again from the database."""
        try:
            self._load()
        except Exception:
            log.exception("无法从数据库恢复，本节点停止决定 / cannot reload from the database; this node stops deciding")
            self._step_down()

    def _require_active(self) -> None:
        if not self.active:
            raise unavailable("本节点当前不负责决定，请稍后重试", "this node does not decide at the moment; try again shortly")

    # -- requests queued by nodes without the lease ------------------------------------------------------
    def _queue(self, kind: str, items: list[Any]) -> list[Any]:
        request = uuid.uuid4().hex
        inbox.enqueue(self.db, request, kind, items)
        deadline, pause = time.monotonic() + self.wait_queued, 0.005
        while time.monotonic() < deadline:
            answers = inbox.take(self.db, request, len(items))
            if answers is not None:
                return answers
            time.sleep(pause)
            pause = min(pause * 2, 0.1)
        raise unavailable("事件已排队等待决定节点处理，但尚未完成；稍后重新提交同样的事件是安全的（已受理的会答复 duplicate）",
                          "the events are queued for the deciding node but not decided yet; posting them again later is safe")

    def _decide_queued(self) -> None:
        for request in inbox.pending(self.db):
            if request.kind == "clock":
                try:
                    self._set_clock(request.items[0], answer=request.answer)
                except Problem as problem:
                    self._answer_alone(request, problem.body())
            else:
                self._decide_events(request.items, answer=request.answer)

    def _answer_alone(self, request: inbox.Request, answer: dict[str, Any]) -> None:
        with self.lock:
            self._begin()
            self._batch.after.append(request.answer([answer]))
            self._commit()


def step_through(engine: Any, until: datetime) -> None:
    """Advance ``engine`` (an :class:`~duchaplugin.Engine` or the link) to each instant due up to
    ``until`` in turn — rung by rung — then to ``until`` itself."""
    previous = None
    while (due := engine.next_check()) is not None and due <= until and due != previous:
        engine.advance(due)
        previous = due
    engine.advance(until)


def _error(event_id: str | None, error: dict[str, Any]) -> dict[str, Any]:
    return {"id": event_id, "status": "error", "actions": [], "error": error}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None if value is None else json.dumps(value, ensure_ascii=False)


def _fold(base: dict[str, Any], changes: Any) -> dict[str, Any]:
    return functools.reduce(lambda snapshot, change: apply_changes(snapshot, {**change, "subjects": {}}), changes, base)

