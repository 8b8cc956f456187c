"""The facade hosts use: :class:`Engine` — events in, actions out, time advanced on request, state
exported and restored.

It wires modules that each own one thing: the subjects' states (:mod:`~duchaplugin.statetable`,
:mod:`~duchaplugin.state`), the time queue and the packs' schedules (:mod:`~duchaplugin.timeline`),
all-or-nothing decision units (:mod:`~duchaplugin.transaction`), rule evaluation
(:mod:`~duchaplugin.decide`, one :class:`~duchaplugin.runtime.Runtime` whatever the number of
subjects). Every unit runs under one lock: decided → stored (``duchaplugin_store``) → delivered
(``duchaplugin_deliver_actions``).
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable, Iterator

from duchaplugin import calendar as cal, confirmations
from duchaplugin.calendar import CalendarRangeError
from duchaplugin.calendar.registry import LAST
from duchaplugin.decide import CompiledPack, due_firings, evaluate
from duchaplugin.effects import Decision
from duchaplugin.errors import ContractError, DuchaError, PackError, RuleError, StateError
from duchaplugin.events import check_vocabulary, parse_event
from duchaplugin.hooks import hookimpl
from duchaplugin.hooks.manager import BrokenPack, plugin_manager, register_packs, validate_packs
from duchaplugin.models import INSTANT_END, Action, Event, SubjectState, Timer, construct, parse_instant
from duchaplugin.pack import Pack, load_pack
from duchaplugin.packset import resolve
from duchaplugin.runtime import Runtime
from duchaplugin.state import FORMAT, VERSION, SeenIds, copy_state, is_plain, read_document, state_to_json
from duchaplugin.statetable import StatesView, StateTable
from duchaplugin.timeline import Schedules, TimeQueue, schedule_dates  # noqa: F401  (schedule_dates: public)
from duchaplugin.transaction import Transaction


class Engine:
    """Decides events for every installed pack.

    ``plugins``: host plugins (objects with ``@hookimpl`` methods, e.g. ``duchaplugin_deliver_actions``,
    ``duchaplugin_store``). ``entry_points``: load third-party packs from the entry-point group
    ``duchaplugin``. ``with Engine() as engine:`` closes it (frees its rulesets) at the end.
    """

    #: Most actions an ``advance`` decides, stores and delivers in one unit (a long catch-up is
    #: several units, each stored and delivered before the next is decided).
    batch_size = 5_000

    def __init__(self, plugins: Iterable[object] = (), *, entry_points: bool = True) -> None:
        self.pm = plugin_manager([self, *plugins], entry_points=entry_points)
        self.packs: dict[str, Pack] = {}
        owners = register_packs(self.pm, self._register_pack, self.packs)  # a broken third-party pack is skipped
        self.pm.hook.duchaplugin_add_calendar_data(register=cal.DATA)
        self._defaults = {pack_id: dict(pack.parameters) for pack_id, pack in self.packs.items()}
        self._overrides: dict[str, dict[str, Any]] = {}  # pack → parameter → value a host chose
        self.runtime = Runtime()
        self._compiled: dict[str, CompiledPack] = {}
        self._generation = itertools.count(1)  # a parameter change rebuilds rulesets under new names
        self._ruleset_generation = 0
        self._lock = threading.RLock()
        self._closed = False
        self._digest: tuple[int, str] | None = None
        self._reset(StateTable(), {}, SeenIds())
        validate_packs(self.pm, self.packs, self.compiled, owners)  # every pack built now, not on its first event
        self._compiled = {pack_id: c for pack_id, c in self._compiled.items() if pack_id in self.packs}
        self._defaults = {pack_id: d for pack_id, d in self._defaults.items() if pack_id in self.packs}

    @property
    def broken_packs(self) -> list[BrokenPack]:
        """Third-party packs that failed to load and were skipped, with their entry point and cause."""
        return self.pm.broken

    def _reset(self, table: StateTable, clocks: dict[str, datetime], seen: SeenIds) -> None:
        self._table, self._seen = table, seen
        self._queue = TimeQueue()
        for subject, state in table.items():
            self._queue.set(subject, state.next_check())
        self._schedules = Schedules(self.compiled)
        self._schedules.clocks.update(clocks)
        self._tx = Transaction(table, self._queue, self._schedules.clocks, seen)

    @property
    def states(self) -> StatesView:
        """Subject → state (dockets ``@<pack>`` too), read-only: each read is a copy of a committed
        state, safe while other threads decide. To store and put back, use :meth:`export_state`
        and :meth:`restore_state`."""
        return StatesView(self._table, self._lock)

    # -- packs and parameters -----------------------------------------------------------------------
    def _register_pack(self, directory: str | Path, module: ModuleType | None = None) -> None:
        pack = load_pack(Path(directory), module)
        if pack.id in self.packs:
            raise PackError(f"规则包编号重复：{pack.id}", f"duplicate pack id: {pack.id}")
        self.packs[pack.id] = pack

    def set_parameter(self, pack_id: str, name: str, value: Any) -> None:
        """Choose another value for a pack's parameter (e.g. the other reading of a clause), as
        JSON data like the values in parameters.yaml. Takes effect for the next decision of every
        subject of that pack and of packs extending it; stored through ``duchaplugin_store``
        (``changes["parameters"]``) and exported with the state."""
        with self._lock:
            self._check_open()
            resolved = self.compiled(pack_id).pack
            if name not in resolved.parameters:
                raise PackError(f"规则包 {pack_id} 没有参数 {name}", f"pack {pack_id} has no parameter {name}", field=name)
            if not is_plain(value):
                raise PackError(f"参数值应为 JSON 数据（文本、数字、列表、映射）：{value!r}",
                                f"a parameter value must be JSON data (text, number, list, mapping): {value!r}", field=name)
            owner = resolved.parameters[name].pack
            before = dict(self._overrides.get(owner, {}))
            self._set_parameters({**self._overrides, owner: {**before, name: value}})
            try:
                self._store({"format": FORMAT, "version": VERSION, "calendar_version": self._calendar_version(),
                             "subjects": {}, "clocks": {}, "seen": [], "parameters": {owner: {name: value}}}, [])
            except BaseException:
                self._set_parameters({**self._overrides, owner: before})
                raise

    def _set_parameters(self, overrides: dict[str, dict[str, Any]]) -> None:
        """Every pack's parameters: its own values, then ``overrides``; rulesets rebuilt, the old ones freed."""
        for pack_id, pack in self.packs.items():
            pack.parameters.clear()
            pack.parameters.update(self._defaults[pack_id])
        for pack_id, values in overrides.items():
            parameters = self.packs[pack_id].parameters
            for name, value in values.items():
                parameters[name] = replace(parameters[name], value=value)
        self._overrides = {p: dict(v) for p, v in overrides.items() if v}
        for compiled in self._compiled.values():
            self.runtime.unregister(compiled.ruleset)
        self._compiled.clear()
        self._ruleset_generation = next(self._generation)

    def compiled(self, pack_id: str) -> CompiledPack:
        """A pack ready to decide; its calendar follows calendar data a host adds at any time
        (``duchaplugin.calendar.add_notice`` …) from the next decision on."""
        with self._lock:
            compiled = self._compiled.get(pack_id)
            if compiled is None:
                self._check_open()
                if pack_id not in self.packs:
                    raise ContractError(f"未安装规则包 {pack_id}（已安装：{'、'.join(sorted(self.packs))}）",
                                        f"pack {pack_id} is not installed", field="pack")
                resolved = resolve(pack_id, self.packs)
                compiled = self._compiled[pack_id] = CompiledPack.build(
                    resolved, self.runtime, cal.get_calendar(resolved.pack.region), cal.DATA.version,
                    f"pack:{pack_id}#{self._ruleset_generation}")
            elif compiled.calendar_version != cal.DATA.version:
                compiled.use_calendar(cal.get_calendar(compiled.pack.pack.region), cal.DATA.version)
            return compiled

    def _calendar_version(self) -> str:
        """A fingerprint of the working-day tables the packs decide with (library and host data),
        the same in every process that has the same calendar data."""
        if self._digest is None or self._digest[0] != cal.DATA.version:
            digest = hashlib.sha256()
            for region in sorted({p.region or "" for p in self.packs.values()}):
                calendar = cal.get_calendar(region or None)
                days = [calendar.first + timedelta(days=i) for i in range((calendar.last - calendar.first).days + 1)]
                digest.update(f"{region}|{calendar.first}|".encode())
                digest.update(bytes(calendar.is_workday(d) + 2 * calendar.is_provisional(d) for d in days))
            self._digest = (cal.DATA.version, "sha256:" + digest.hexdigest()[:32])
        return self._digest[1]

    # -- hook implementation (the engine is its own plugin) ----------------------------------------
    @hookimpl
    def duchaplugin_handle_event(self, event: Event | dict[str, Any], now: datetime | None) -> list[Action]:
        return self.handle(event, now)

    # -- events -----------------------------------------------------------------------------------
    def handle(self, event: Event | dict[str, Any] | str, now: datetime | date | str | None = None) -> list[Action]:
        """Decide one event; its actions are stored and delivered, then returned.

        Time-based rules of the event's subject due before the event fire first, at their own
        instants; the event and those firings apply completely or not at all. ``now`` (optional,
        not before the event) is the decision instant: every time-based rule due up to it then
        fires too. A ``tick`` (its subject optional) advances time for all subjects. An event id
        already processed — for any subject — is ignored (idempotency); a refused or rejected
        event does not use up its id."""
        event = parse_event(event)
        until = _instant(now, "now") if now is not None else None
        if until is not None and until < event.at:
            raise ContractError("决定时刻 now 早于事件时间", "now is before the event's time", field="now")
        with self._lock:
            self._check_open()
            if event.type == "tick":
                return self._advance(event.at)
            actions = self._unit(lambda: self._handle(event))
            if until is not None:
                actions += self._advance(until)
        return actions

    def is_processed(self, event_id: str) -> bool:
        """True if an event with this id was applied (a refused or rejected event was not)."""
        with self._lock:
            return event_id in self._seen

    def _handle(self, event: Event) -> list[Action]:
        if event.id in self._seen:
            return []
        assert event.subject is not None  # only a tick may omit it
        tx = self._tx
        state = self._table.get(event.subject)
        compiled = self._compiled_for(event, state)
        pack = compiled.pack
        if event.type not in pack.event_types:
            raise ContractError(f"未知的事件类型 {event.type!r}（{pack.id} 接受：{'、'.join(pack.event_types)}）",
                                f"unknown event type {event.type!r} for pack {pack.id}", field="type")
        check_vocabulary(event, pack)
        _check_dates(event)
        confirmations.check(event, state, self.states)
        actions: list[Action] = []
        if state is None:
            if event.at.date() < pack.pack.effective:
                raise ContractError(
                    f"事件时间 {event.at.date()} 早于规则包 {pack.id}（{pack.pack.number}）的施行日期 {pack.pack.effective}，不受该规则包调整",
                    f"event dated {event.at.date()} precedes the effective date {pack.pack.effective} of pack {pack.id}", field="at")
            state = SubjectState(subject=event.subject, pack=pack.id, created_at=event.at, last_at=event.at)
            if self._schedules.wants_start(pack.id):
                tx.set_clock(pack.id, event.at)
        else:
            if event.at < state.last_at:
                raise ContractError(
                    f"事件时间早于该主体上一事件（{state.last_at.isoformat()}）：按约定不予处理，已产生的动作不会被改写",
                    f"event is older than its subject's last event ({state.last_at.isoformat()}): not applied (policy: no rewriting of history)",
                    field="at")
            tx.touch(event.subject)
            actions += self._fire_timers(compiled, state, event.at)
        decision = Decision(pack, compiled.calendar, state, event.type, event.at, event=event, data=event.data, docket=tx)
        self._evaluate(compiled, decision)
        if decision.rejected:  # the event leaves no trace; the timers that fired before it stand
            tx.undo()
            state = self._table.get(event.subject)
            if state is not None:
                tx.touch(event.subject)
                actions = self._fire_timers(compiled, state, event.at)
            tx.settle()
            return actions + decision.actions
        state.actions += len(decision.actions)
        if event.subject not in self._table:
            tx.add(state)
        tx.mark_seen(event.id)
        tx.settle()
        _check_timers(tx.touched(), event)
        return actions + decision.actions

    def _compiled_for(self, event: Event, state: SubjectState | None) -> CompiledPack:
        if state is not None:
            if event.pack and event.pack != state.pack:
                raise ContractError(f"主体 {event.subject} 已属规则包 {state.pack}，不能改为 {event.pack}",
                                    f"subject {event.subject} belongs to pack {state.pack}, not {event.pack}", field="pack")
            return self.compiled(state.pack)
        if not event.pack:
            raise ContractError("主体的首个事件须注明规则包", "the first event of a subject must name its pack", field="pack")
        return self.compiled(event.pack)

    def _evaluate(self, compiled: CompiledPack, decision: Decision) -> None:
        """Run one decision; any failure is raised naming its subject, event and rule."""
        try:
            evaluate(compiled, self.runtime, [decision])
        except Exception as exc:
            rule = f"{decision.rule.pack}:{decision.rule.id}" if decision.rule else None
            event = decision.event.id if decision.event else None
            if isinstance(exc, DuchaError):
                raise exc.in_decision(decision.state.subject, event, rule)
            if isinstance(exc, CalendarRangeError):
                field = next((f"data.{k}" for k in ("time_limit", "due") if decision.data.get(k) is not None), "at")
                raise ContractError(f"期限超出工作日历的范围：{exc}", f"a time limit falls outside the calendar's range: {exc}",
                                    field=field).in_decision(decision.state.subject, event, rule) from None
            raise RuleError(f"判定出错：{exc!r}", f"the decision failed: {exc!r}").in_decision(
                decision.state.subject, event, rule) from exc

    # -- decision units: decided → stored → delivered ------------------------------------------------
    def _unit(self, decide: Callable[[], list[Action]]) -> list[Action]:
        tx = self._tx
        try:
            actions = decide()
            if tx or actions:
                self._store_unit(actions)
        except BaseException:
            tx.undo()
            raise
        tx.commit()
        self._deliver(actions)
        return actions

    def _store_unit(self, actions: list[Action]) -> None:
        if self.pm.hook.duchaplugin_store.get_hookimpls():
            self._store(self._tx.changes(self._calendar_version()), actions)

    def _store(self, changes: dict[str, Any], actions: list[Action]) -> None:
        if self.pm.hook.duchaplugin_store.get_hookimpls():
            self.pm.hook.duchaplugin_store(changes=changes, actions=actions)

    def _deliver(self, actions: list[Action]) -> None:
        if actions:
            self.pm.hook.duchaplugin_deliver_actions(actions=actions)

    # -- time ---------------------------------------------------------------------------------------
    def advance(self, until: datetime | date | str) -> list[Action]:
        """Fire every time-based rule due at or before ``until`` — subjects' timers and packs'
        fixed-date schedules — in time order; return the actions (each batch of at most about
        :attr:`batch_size` actions is stored and delivered as it is decided). For a long catch-up,
        :meth:`advance_iter` does not keep the actions."""
        instant = _instant(until, "until")
        with self._lock:
            self._check_open()
            return self._advance(instant)

    def _advance(self, until: datetime) -> list[Action]:
        return [action for batch in self._batches(until) for action in batch]

    def advance_iter(self, until: datetime | date | str) -> Iterator[list[Action]]:
        """:meth:`advance` in batches: yields each batch's actions after they were stored and
        delivered. The engine's lock is held until the iterator is exhausted or closed (other
        threads wait; the same thread may call the engine meanwhile)."""
        instant = _instant(until, "until")
        with self._lock:
            self._check_open()
            yield from self._batches(instant)

    def _batches(self, until: datetime) -> Iterator[list[Action]]:
        """Decision units of an advance, each ending between subjects or after an instant's
        schedules (never inside one instant's schedules, whose clocks move together)."""
        tx, batch = self._tx, []  # one list throughout: _sweep appends to it

        def flush() -> list[Action]:
            done = batch[:]
            batch.clear()
            self._store_unit(done)
            tx.commit()
            self._deliver(done)
            return done

        try:
            for instant, firings in itertools.groupby(self._schedules.firings(until), key=lambda f: f[0]):
                for _ in self._sweep(instant, batch):
                    yield flush()
                for _, pack_id, schedule in firings:
                    batch += self._fire_schedule(pack_id, schedule, instant)
                    tx.set_clock(pack_id, instant)
                if len(batch) >= self.batch_size:
                    yield flush()
            for _ in self._sweep(until, batch):
                yield flush()
            for pack_id, clock in list(self._schedules.clocks.items()):
                if clock < until:
                    tx.set_clock(pack_id, until)
            if batch or tx:
                done = flush()
                if done:
                    yield done
        except BaseException:
            tx.undo()
            raise

    def _sweep(self, until: datetime, batch: list[Action]) -> Iterator[None]:
        """Fire the subjects' timers due up to ``until``, earliest first (subject id at one
        instant); yields when ``batch`` is full (the caller ends the unit there)."""
        queue, tx = self._queue, self._tx
        while (head := queue.head()) is not None and head[0] <= until:
            instant, subject = head
            tx.touch(subject)
            queue.pop(until)
            state = self._table[subject]
            batch += self._fire_timers(self.compiled(state.pack), state, instant)
            tx.settle()
            if len(batch) >= self.batch_size:
                yield

    def _fire_timers(self, compiled: CompiledPack, state: SubjectState, until: datetime) -> list[Action]:
        """Fire a (touched) subject's timers due up to ``until``, in time order."""
        actions: list[Action] = []
        while firings := due_firings(state, until):
            instant, name, phase = firings[0]
            fired = "warned" if phase == "warn" else "overdue"  # replaced, not changed: see state.copy_state
            state.timers[name] = construct(Timer, {**state.timers[name].__dict__, fired: True})
            decision = Decision(compiled.pack, compiled.calendar, state, f"timer:{name}:{phase}", instant, docket=self._tx)
            self._evaluate(compiled, decision)
            state.actions += len(decision.actions)
            actions += decision.actions
        return actions

    def _fire_schedule(self, pack_id: str, schedule: Any, instant: datetime) -> list[Action]:
        compiled = self.compiled(pack_id)
        docket = self._tx.docket_state(pack_id, instant)
        decision = Decision(compiled.pack, compiled.calendar, docket, f"schedule:{schedule.id}", instant, docket=self._tx)
        self._evaluate(compiled, decision)
        docket.actions += len(decision.actions)
        self._tx.settle()
        return decision.actions

    def next_check(self, subject: str | None = None) -> datetime | None:
        """When a subject — or, without one, anything: a subject's time rule or a pack's fixed-date
        schedule (每周一《督查专报》…) — must be looked at again. A host that ticks only at this
        instant gets the same actions as one that ticks every day."""
        with self._lock:
            if subject is not None:
                state = self._table.get(subject)
                return _in_range(state.next_check()) if state else None
            head = self._queue.head()
            instants = [head[0]] if head else []
            schedule = self._schedules.next()
            if schedule is not None:
                instants.append(schedule)
            return min(instants, default=None)

    # -- state ----------------------------------------------------------------------------------------
    def export_state(self) -> dict[str, Any]:
        """Everything needed to continue: every subject and docket, the schedules' clocks, the
        parameter values chosen, the processed event ids, the calendar data's fingerprint —
        JSON data, versioned (docs/state.md, ``schemas/state.schema.json``)."""
        with self._lock:
            return {"format": FORMAT, "version": VERSION, "calendar_version": self._calendar_version(),
                    "parameters": {p: dict(v) for p, v in self._overrides.items()},
                    "clocks": {p: c.isoformat() for p, c in self._schedules.clocks.items()},
                    "subjects": {s: state_to_json(state) for s, state in self._table.items()},
                    "seen": self._seen.to_json()}

    def restore_state(self, data: dict[str, Any], *, allow_calendar_change: bool = False) -> None:
        """Replace everything with exported state (from :meth:`export_state`, possibly of another
        process), on a fresh or a used engine; the time queue and schedules are rebuilt, so the
        engine continues as the one that exported would have. Refused as a whole, with a
        :class:`~duchaplugin.errors.StateError` naming the field, if the data is not state of this
        format and version, names a pack or parameter not installed, or was exported with other
        calendar data (unless ``allow_calendar_change``: later deadlines then use this engine's)."""
        document = read_document(data)
        with self._lock:
            self._check_open()
            for pack_id, values in document.parameters.items():
                for name in values:
                    if pack_id not in self.packs or name not in self._defaults[pack_id]:
                        raise StateError(f"未安装规则包 {pack_id} 或其没有参数 {name}", f"pack {pack_id} or its parameter {name} is not installed",
                                         field=f"parameters.{pack_id}.{name}")
                    if not is_plain(values[name]):
                        raise StateError("参数值应为 JSON 数据", "a parameter value must be JSON data", field=f"parameters.{pack_id}.{name}")
            for where, pack_id in [*((f"clocks.{p}", p) for p in document.clocks),
                                   *((f"subjects.{s}.pack", st.pack) for s, st in document.subjects.items())]:
                if pack_id not in self.packs:
                    raise StateError(f"未安装规则包 {pack_id}", f"pack {pack_id} is not installed", field=where)
            if document.calendar_version != self._calendar_version() and not allow_calendar_change:
                raise StateError(
                    "状态导出时的工作日历数据与本引擎的不同：先加入相同的日历数据（如同一放假通知），或以 allow_calendar_change=True 继续（此后的期限按本引擎的日历计算）",
                    "the state was exported with other calendar data: add the same calendar data first, or pass "
                    "allow_calendar_change=True (deadlines from now on use this engine's calendar)", field="calendar_version")
            seen = SeenIds.from_json(document.seen.model_dump())
            if document.parameters != self._overrides:
                self._set_parameters(document.parameters)
            self._reset(StateTable({s: copy_state(st) for s, st in document.subjects.items()}), dict(document.clocks), seen)

    # -- life cycle -------------------------------------------------------------------------------------
    def close(self) -> None:
        """Free the engine's rulesets in the durable-rules C engine; the engine then refuses work."""
        with self._lock:
            self._closed = True
            self._compiled.clear()
            self.runtime.close()

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("引擎已关闭 / the engine is closed")


def _instant(value: Any, field: str) -> datetime:
    """An instant a host passes (``now``, ``until``): Beijing time, inside the calendar's range."""
    try:
        return parse_instant(value)
    except ValueError as exc:
        zh, _, en = str(exc).partition(" / ")
        raise ContractError(zh, en or zh, field=field) from None


def _in_range(instant: datetime | None) -> datetime | None:
    """A next check the calendar can reach (a time rule due after its range never fires)."""
    return instant if instant is not None and instant < INSTANT_END else None


def _check_dates(event: Event) -> None:
    """Dates an event gives (``due`` …) must lie in the calendar's range."""
    for name, value in event.data.items():
        if isinstance(value, date):
            try:
                parse_instant(value)
            except ValueError as exc:
                zh, _, en = str(exc).partition(" / ")
                raise ContractError(zh, en, field=f"data.{name}") from None


def _check_timers(states: list[SubjectState], event: Event) -> None:
    """A time limit an event set must end inside the calendar's range (its overdue instant too)."""
    for state in states:
        for timer in state.timers.values():
            if timer.overdue_at >= INSTANT_END:
                field = next((f"data.{k}" for k in ("due", "time_limit") if event.data.get(k) is not None), "at")
                raise ContractError(
                    f"期限 {timer.name} 的最后一日 {timer.last_day} 超出工作日历的范围（至 {LAST}）",
                    f"time limit {timer.name} ends on {timer.last_day}, outside the calendar's range (up to {LAST})",
                    field=field).in_decision(state.subject, event.id, timer.rule)
