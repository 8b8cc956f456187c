"""The facade hosts use: :class:`Engine` — events in, actions out, time advanced on request.

It keeps every subject's state in memory (hosts may export and reload it), a queue of next-check
instants, and the packs' fixed-date schedules. All rule evaluation goes through one
:class:`~duchaplugin.runtime.Runtime`, whatever the number of subjects.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any, Iterable

from duchaplugin import calendar as cal
from duchaplugin.calendar import schedules
from duchaplugin.decide import CompiledPack, due_firings, evaluate
from duchaplugin.effects import Decision
from duchaplugin.errors import ContractError, PackError
from duchaplugin.events import check_vocabulary, parse_event
from duchaplugin.hooks import hookimpl
from duchaplugin.hooks.manager import BrokenPack, plugin_manager, register_packs, validate_packs
from duchaplugin.models import Action, Event, SubjectState, parse_instant
from duchaplugin.pack import Pack, Schedule, load_pack
from duchaplugin.packset import resolve
from duchaplugin.runtime import Runtime
from duchaplugin.statetable import DOCKET_PREFIX, StateTable
from duchaplugin.timing import midnight


class Engine:
    """Decides events for every installed pack.

    ``plugins``: host plugins (objects with ``@hookimpl`` methods, e.g. ``duchaplugin_deliver_actions``).
    ``entry_points``: load third-party packs from the entry-point group ``duchaplugin``.
    """

    def __init__(self, plugins: Iterable[object] = (), *, entry_points: bool = True) -> None:
        self.pm = plugin_manager([self, *plugins], entry_points=entry_points)
        self.packs: dict[str, Pack] = {}
        owners = register_packs(self.pm, self._register_pack, self.packs)  # a broken third-party pack is skipped
        self.pm.hook.duchaplugin_add_calendar_data(register=cal.DATA)
        self.runtime = Runtime()
        self._compiled: dict[str, CompiledPack] = {}
        self._generation = 0  # bumped when a parameter changes: rulesets are rebuilt under new names
        self._states = StateTable()
        self._queue: list[tuple[datetime, int, str]] = []
        self._queued: dict[str, datetime] = {}  # subject → the latest instant pushed for it
        self._serial = itertools.count()
        self._schedules: dict[str, datetime] = {}  # pack → schedules fired up to this instant
        self._lock = threading.RLock()
        validate_packs(self.pm, self.packs, self.compiled, owners)  # every pack built now, not on its first event
        self._compiled = {pack_id: c for pack_id, c in self._compiled.items() if pack_id in self.packs}

    @property
    def broken_packs(self) -> list[BrokenPack]:
        """Third-party packs that failed to load and were skipped, with their entry point and cause."""
        return self.pm.broken

    @property
    def states(self) -> StateTable:
        """Subject → state: plain data a host may read, store and put back (assigning any mapping
        here keeps the per-pack index that schedule rules read)."""
        return self._states

    @states.setter
    def states(self, states: dict[str, SubjectState]) -> None:
        self._states = states if isinstance(states, StateTable) else StateTable(states)

    # -- packs ------------------------------------------------------------------------------------
    def _register_pack(self, directory: str | Path, module: ModuleType | None = None) -> None:
        pack = load_pack(Path(directory), module)
        if pack.id in self.packs:
            raise PackError(f"规则包编号重复：{pack.id}", f"duplicate pack id: {pack.id}")
        self.packs[pack.id] = pack

    def set_parameter(self, pack_id: str, name: str, value: Any) -> None:
        """Choose another value for a pack's parameter (e.g. the other reading of a clause).

        Takes effect for the next decision of every subject of that pack and of packs extending it."""
        with self._lock:
            resolved = self.compiled(pack_id).pack
            if name not in resolved.parameters:
                raise PackError(f"规则包 {pack_id} 没有参数 {name}", f"pack {pack_id} has no parameter {name}", field=name)
            owner = self.packs[resolved.parameters[name].pack]
            owner.parameters[name] = replace(owner.parameters[name], value=value)
            self._compiled.clear()
            self._generation += 1

    def compiled(self, pack_id: str) -> CompiledPack:
        """A pack ready to decide; its calendar follows calendar data a host adds at any time
        (``duchaplugin.calendar.add_notice`` …) from the next decision on."""
        compiled = self._compiled.get(pack_id)
        if compiled is None:
            if pack_id not in self.packs:
                raise ContractError(f"未安装规则包 {pack_id}（已安装：{'、'.join(sorted(self.packs))}）",
                                    f"pack {pack_id} is not installed", field="pack")
            resolved = resolve(pack_id, self.packs)
            compiled = self._compiled[pack_id] = CompiledPack.build(
                resolved, self.runtime, cal.get_calendar(resolved.pack.region), cal.DATA.version,
                f"pack:{pack_id}#{self._generation}")
        elif compiled.calendar_version != cal.DATA.version:
            compiled.use_calendar(cal.get_calendar(compiled.pack.pack.region), cal.DATA.version)
        return compiled

    # -- hook implementation (the engine is its own plugin) ----------------------------------------
    @hookimpl
    def duchaplugin_handle_event(self, event: Event | dict[str, Any], now: datetime | None) -> list[Action]:
        return self.handle(event, now)

    # -- events -----------------------------------------------------------------------------------
    def handle(self, event: Event | dict[str, Any] | str, now: datetime | None = None) -> list[Action]:
        """Decide one event; actions are also delivered through ``duchaplugin_deliver_actions``.

        Time-based rules of the event's subject due before the event fire first, at their own
        instants. ``now`` (optional, not before the event) is the decision instant: every
        time-based rule due up to it then fires too. A ``tick`` advances time for all subjects.
        An event id already processed for its subject is ignored (idempotency)."""
        event = parse_event(event)
        with self._lock:
            if event.type == "tick":
                actions = self._advance(event.at)
            else:
                actions = self._handle(event)
                if now is not None:
                    actions += self._advance(parse_instant(now))
        self._deliver(actions)
        return actions

    def _handle(self, event: Event) -> list[Action]:
        state = self.states.get(event.subject)
        if state is not None and event.id in state.seen:
            return []
        compiled = self._compiled_for(event, state)
        pack = compiled.pack
        if event.type not in pack.event_types:
            raise ContractError(f"未知的事件类型 {event.type!r}（{pack.id} 接受：{'、'.join(pack.event_types)}）",
                                f"unknown event type {event.type!r} for pack {pack.id}", field="type")
        check_vocabulary(event, pack)
        actions: list[Action] = []
        if state is None:
            if event.at.date() < pack.pack.effective:
                raise ContractError(
                    f"事件时间 {event.at.date()} 早于规则包 {pack.id}（{pack.pack.number}）的施行日期 {pack.pack.effective}，不受该规则包调整",
                    f"event dated {event.at.date()} precedes the effective date {pack.pack.effective} of pack {pack.id}", field="at")
            state = SubjectState(subject=event.subject, pack=pack.id, created_at=event.at, last_at=event.at)
            self._start_schedules(pack.id, event.at)
        else:
            if event.at < state.last_at:
                raise ContractError(
                    f"事件时间早于该主体上一事件（{state.last_at.isoformat()}）：按约定不予处理，已产生的动作不会被改写",
                    f"event is older than its subject's last event ({state.last_at.isoformat()}): not applied (policy: no rewriting of history)",
                    field="at")
            actions += self._fire_timers(compiled, state, event.at)
        decision = Decision(pack, compiled.calendar, state, event.type, event.at, event=event, data=event.data, docket=self)
        evaluate(compiled, self.runtime, [decision])
        state.seen.append(event.id)
        state.actions += len(decision.actions)
        self.states[event.subject] = state
        self._enqueue(state)
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

    # -- time ---------------------------------------------------------------------------------------
    def _enqueue(self, state: SubjectState) -> None:
        """Queue the subject's next check, unless that very instant is already queued for it."""
        instant = state.next_check()
        if instant is not None and self._queued.get(state.subject) != instant:
            self._queued[state.subject] = instant
            heapq.heappush(self._queue, (instant, next(self._serial), state.subject))

    def _fire_timers(self, compiled: CompiledPack, state: SubjectState, until: datetime) -> list[Action]:
        actions: list[Action] = []
        while firings := due_firings(state, until):
            instant, name, phase = firings[0]
            timer = state.timers[name]
            if phase == "warn":
                timer.warned = True
            else:
                timer.overdue = True
            decision = Decision(compiled.pack, compiled.calendar, state, f"timer:{name}:{phase}", instant, docket=self)
            evaluate(compiled, self.runtime, [decision])
            state.actions += len(decision.actions)
            actions += decision.actions
        return actions

    def advance(self, until: datetime | date | str) -> list[Action]:
        """Fire every time-based rule due at or before ``until`` — subjects' timers and packs'
        fixed-date schedules — in time order; return (and deliver) the actions."""
        with self._lock:
            actions = self._advance(parse_instant(until))
        self._deliver(actions)
        return actions

    def _advance(self, until: datetime) -> list[Action]:
        actions: list[Action] = []
        for instant, pack_id, schedule in self._schedule_firings(until):
            actions += self._sweep(instant)
            actions += self._fire_schedule(pack_id, schedule, instant)
        actions += self._sweep(until)
        actions.sort(key=lambda a: a.at)
        return actions

    def _sweep(self, until: datetime) -> list[Action]:
        actions: list[Action] = []
        while self._queue and self._queue[0][0] <= until:
            instant, state = self._pop()
            if state is not None:
                actions += self._fire_timers(self.compiled(state.pack), state, instant)
                self._enqueue(state)
        return actions

    def _pop(self) -> tuple[datetime, SubjectState | None]:
        """The queue's head: its instant, and its subject's state unless the entry is stale (the
        subject changed since it was queued, or the host took its state away)."""
        instant, _, subject = heapq.heappop(self._queue)
        if self._queued.get(subject) == instant:
            del self._queued[subject]
        return instant, self._current(instant, subject)

    def _current(self, instant: datetime, subject: str) -> SubjectState | None:
        """The subject's state if ``instant`` is still its next check, else None (a stale entry)."""
        state = self.states.get(subject)
        return state if state is not None and state.next_check() == instant else None

    def next_check(self, subject: str | None = None) -> datetime | None:
        """When a subject — or, without one, anything: a subject's time rule or a pack's fixed-date
        schedule (每周一《督查专报》…) — must be looked at again. A host that ticks only at this
        instant gets the same actions as one that ticks every day."""
        if subject is not None:
            state = self.states.get(subject)
            return state.next_check() if state else None
        with self._lock:
            while self._queue and self._current(self._queue[0][0], self._queue[0][2]) is None:
                self._pop()  # a stale entry: the answer must be a real instant
            instants = [self._queue[0][0]] if self._queue else []
            instants += [i for i in (self._next_schedule(p, since) for p, since in self._schedules.items()) if i]
        return min(instants, default=None)

    def _next_schedule(self, pack_id: str, since: datetime) -> datetime | None:
        """The first 00:00 after ``since`` at which a schedule of the pack fires (looking 3 years ahead)."""
        compiled = self.compiled(pack_id)
        days = [d for schedule in compiled.pack.schedules for year in range(since.year, since.year + 3)
                for d in _year_dates(compiled, schedule, year) if d > since.date()]
        return midnight(min(days)) if days else None

    # -- schedules ---------------------------------------------------------------------------------
    def _start_schedules(self, pack_id: str, at: datetime) -> None:
        if pack_id in self._schedules or not self.compiled(pack_id).pack.schedules:
            return
        self._schedules[pack_id] = at

    def _schedule_firings(self, until: datetime) -> list[tuple[datetime, str, Schedule]]:
        out = []
        for pack_id, since in list(self._schedules.items()):
            compiled = self.compiled(pack_id)
            for schedule in compiled.pack.schedules:
                for day in schedule_dates(compiled, schedule, since, until):
                    out.append((midnight(day), pack_id, schedule))
            self._schedules[pack_id] = max(since, until)
        out.sort(key=lambda f: (f[0], f[1], f[2].id))
        return out

    def _fire_schedule(self, pack_id: str, schedule: Schedule, instant: datetime) -> list[Action]:
        compiled = self.compiled(pack_id)
        docket = self.docket_state(pack_id, instant)
        decision = Decision(compiled.pack, compiled.calendar, docket, f"schedule:{schedule.id}", instant, docket=self)
        evaluate(compiled, self.runtime, [decision])
        docket.actions += len(decision.actions)
        self._enqueue(docket)  # a schedule rule may start a timer on the docket
        return decision.actions

    def docket_state(self, pack_id: str, at: datetime) -> SubjectState:
        """The state of a pack's docket (subject ``@<pack>``): its schedules' timers and the indexes
        cross-subject rules keep, plain data like every subject's state."""
        subject = DOCKET_PREFIX + pack_id
        docket = self.states.get(subject)
        if docket is None:
            docket = self.states[subject] = SubjectState(subject=subject, pack=pack_id, created_at=at, last_at=at)
        return docket

    def subjects(self, pack_id: str) -> Iterable[SubjectState]:
        """The subjects of a pack (its docket), for schedule and cross-subject rules."""
        return self.states.of_pack(pack_id)

    def _deliver(self, actions: list[Action]) -> None:
        if actions:
            self.pm.hook.duchaplugin_deliver_actions(actions=actions)


def schedule_dates(compiled: CompiledPack, schedule: Schedule, since: datetime, until: datetime) -> list[date]:
    """Days of a fixed-date schedule whose 00:00 falls in (since, until], after moving a date off a
    rest day when the schedule's ``shift`` says so."""
    start, end = since.date() + timedelta(days=1), until.date()
    return [d for year in range(start.year, end.year + 1) for d in _year_dates(compiled, schedule, year) if start <= d <= end]


def _year_dates(compiled: CompiledPack, schedule: Schedule, year: int) -> tuple[date, ...]:
    """A schedule's days in one year, computed once per pack build: raw dates from 20 days before
    the year are shifted too, so a date moved into the year (or back into it) is not lost."""
    key = (schedule.pack, schedule.id, year)
    if key in compiled.schedule_days:
        return compiled.schedule_days[key]
    pack = compiled.pack

    def value(spec: Any) -> Any:
        return pack.param(spec[6:]) if isinstance(spec, str) and spec.startswith("param:") else spec

    shift = value(schedule.shift)
    shift = None if shift in (None, "none") else shift
    (kind, arg), = schedule.every.items()
    arg = value(arg)
    options = {"shift": shift, "calendar": compiled.calendar}
    first, last = date(year, 1, 1), date(year, 12, 31)
    early, late = (first - timedelta(days=20), last + timedelta(days=20)) if shift else (first, last)
    if kind == "monthly":
        days = schedules.monthly(int(arg), early, late, **options)
    elif kind == "weekly":
        days = schedules.weekly(int(arg), early, late, **options)
    elif kind == "yearly_start":
        days = schedules.yearly_start(early, late, first_workday=bool(shift), calendar=compiled.calendar)
    elif kind == "half_yearly":
        days = schedules.half_yearly(early, late, at=arg, **options)
    else:
        raise PackError(f"未知的日程类型 {kind}", f"unknown schedule kind {kind}", field=f"{schedule.pack} schedules: {schedule.id}")
    result = compiled.schedule_days[key] = tuple(sorted({d for d in days if d.year == year}))
    return result
