"""Confirmed actions: what the plugin proposed is a fact only once the host says it was done.

An ``emit`` effect with ``confirm: <key>`` proposes an action the 督查机构 must issue (a 通报, a
《催办函》, a 责令改正…). The action carries ``data.confirmation`` (``required``, or ``assumed`` where
the pack's reading takes a proposal as issued) and the subject's state records it, by action id,
under the flag :data:`FLAG`. The host confirms with an event ``action_taken`` whose ``data.action``
is that id and whose ``at`` is the day it was issued (optional ``time_limit``/``due``: the period
it set, running from that day). A confirmation then fires the trigger ``confirmed:<key>`` for the
subject, with the event's data plus ``stage``, ``action`` and ``withdrawn`` (the proposal had been
withdrawn before it was confirmed), so rules ``on: confirmed:<key>`` count the next step from the
day the action was issued.

A proposal not confirmed within the parameter ``confirmation_reminder`` gets one notice asking the
body in ``confirmation_reminder_to`` whether it was issued (the pack's rule ``<key>-remind``,
generated when the pack is loaded). Proposals a later event makes moot (the item was reported done,
an extension was granted) are withdrawn by ``core.withdraw_proposals``; a confirmation of a withdrawn
proposal is still recorded as a fact.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Iterable

from duchaplugin.errors import ContractError, PackError
from duchaplugin.models import Action, Event, SubjectState
from duchaplugin.timing import make_timer

if TYPE_CHECKING:
    from duchaplugin.effects import Decision
    from duchaplugin.packset import ResolvedPack

FLAG = "proposals"  # state.flags[FLAG]: action id → its proposal record
AWAITING, ASSUMED, CONFIRMED, WITHDRAWN, SUPERSEDED = "awaiting", "assumed", "confirmed", "withdrawn", "superseded"
REMINDER_PARAMETERS = ("confirmation_reminder", "confirmation_reminder_to")


def reminder_timer(key: str) -> str:
    return f"confirm_{key}"


def reminder_rule(key: str, pack_id: str, clauses: list[str]) -> dict[str, Any]:
    """The rule sending the reminder of ``key``'s unconfirmed proposals (added to the pack that emits them)."""
    return {"id": f"{key}-remind", "clauses": clauses, "on": f"timer:{reminder_timer(key)}:overdue",
            "then": [{"call": {"function": "core.remind_confirmation", "args": {"key": key}}}]}


def check_reminder_parameters(pack: "ResolvedPack", where: str) -> None:
    missing = [name for name in REMINDER_PARAMETERS if name not in pack.parameters]
    if missing:
        raise PackError(f"须确认的动作（confirm）需要参数 {'、'.join(missing)}", f"a confirmed action (confirm) needs the "
                        f"parameters {', '.join(missing)}", field=where)


def proposals(state: SubjectState) -> dict[str, dict[str, Any]]:
    return state.flags.setdefault(FLAG, {})


def propose(d: "Decision", action: Action, key: str, *, assumed: bool, remind: bool) -> None:
    """Record ``action`` as proposed under ``key``; unless assumed, remind if unconfirmed in time."""
    rule = d.rule
    record = {"key": key, "stage": action.stage or "", "kind": action.kind, "pack": rule.pack if rule else d.pack.id,
              "clause": action.basis.article if rule is None else _clause_ref(d, action),
              "proposed": d.at.date().isoformat(), "status": ASSUMED if assumed else AWAITING}
    if isinstance((action.data or {}).get("rung"), int):
        record["rung"] = action.data["rung"]
    if not assumed and remind:
        timer = make_timer(d.calendar, reminder_timer(key), f"{record['pack']}:{rule.id if rule else 'core'}",
                           d.at.date(), limit=d.pack.param("confirmation_reminder"), defaults=_reminder_defaults(d))
        record["remind"] = timer.last_day.isoformat()
        if reminder_timer(key) not in d.state.timers:
            d.state.timers[reminder_timer(key)] = timer
    proposals(d.state)[action.id] = record


def _clause_ref(d: "Decision", action: Action) -> str:
    """The clause reference the action's basis came from, as the emitting rule wrote it."""
    basis = action.basis
    return basis.article if basis.pack == d.rule.pack else f"{basis.pack}:{basis.article}"


# -- the host's confirmation --------------------------------------------------------------------------
def check(event: Event, state: SubjectState | None, states: Any = None) -> None:
    """Refuse an ``action_taken`` naming no action, an unknown one, or another subject's (bilingual,
    naming ``data.action``). ``states`` (subject → state) lets the error name the other subject."""
    if event.type != "action_taken":
        return
    action = event.data.get("action")
    if action in (None, ""):
        raise ContractError("“已执行”须注明所执行的动作编号（插件提出该动作时给出的 id）",
                            "action_taken must name the action carried out (the id the plugin gave it)", field="data.action")
    if not isinstance(action, str):
        raise ContractError("动作编号应为文字", "the action id must be a string", field="data.action")
    if state is not None and action in state.flags.get(FLAG, {}):
        return
    owner = next((s.subject for s in (states.values() if states is not None else ())
                  if action in s.flags.get(FLAG, {})), None)
    if owner is not None:
        raise ContractError(f"动作 {action} 是事项 {owner} 的动作，不是事项 {event.subject} 的，不能在此报送已执行",
                            f"action {action} belongs to subject {owner}, not {event.subject}", field="data.action")
    raise ContractError(f"事项 {event.subject} 没有须确认的动作 {action}（只有标明须确认的动作可报送已执行）",
                        f"subject {event.subject} has no action {action} awaiting confirmation", field="data.action")


def confirmed_decision(d: "Decision") -> "Decision | None":
    """After an accepted ``action_taken``: record the confirmation and return the decision of the
    trigger ``confirmed:<key>`` (sharing ``d``'s actions); None when the event is not a confirmation
    (:func:`check` refused those naming no proposal)."""
    from duchaplugin.effects import Decision

    action = d.data.get("action")
    records = d.state.flags.get(FLAG, {})
    record = records.get(action) if isinstance(action, str) else None
    if record is None:
        return None
    withdrawn = record["status"] == WITHDRAWN
    record["status"], record["issued"] = CONFIRMED, d.at.date().isoformat()
    for other in records.values():  # earlier steps of the same key that never got confirmed are moot now
        if other is not record and other["key"] == record["key"] and other["status"] in (AWAITING, ASSUMED) \
                and other["proposed"] <= record["proposed"]:
            other["status"] = SUPERSEDED
    _rearm(d, record["key"])
    data = {**d.data, "stage": record["stage"], "action": action, "withdrawn": withdrawn}
    return Decision(d.pack, d.calendar, d.state, f"confirmed:{record['key']}", d.at, event=d.event, data=data,
                    actions=d.actions, docket=d.docket)


def _pending(state: SubjectState, key: str) -> Iterable[tuple[str, dict[str, Any]]]:
    return ((i, r) for i, r in state.flags.get(FLAG, {}).items() if r["key"] == key and r["status"] == AWAITING)


def _rearm(d: "Decision", key: str) -> None:
    """Point the key's reminder timer at the next unreminded awaiting proposal, or stop it."""
    name = reminder_timer(key)
    days = sorted(r["remind"] for _, r in _pending(d.state, key) if r.get("remind") and not r.get("reminded"))
    current = d.state.timers.get(name)
    if not days:
        d.state.timers.pop(name, None)
    elif current is None or current.overdue or current.last_day.isoformat() != days[0]:
        d.state.timers[name] = make_timer(d.calendar, name, current.rule if current else "core", d.at.date(),
                                          due=date.fromisoformat(days[0]), defaults=_reminder_defaults(d))


def _reminder_defaults(d: "Decision") -> dict[str, Any]:
    return {n: d.pack.param(n) for n in ("confirmation_reminder",) if n in d.pack.default_names}


# -- core functions (``core.<name>`` in rules) --------------------------------------------------------
def remind_confirmation(d: "Decision", key: str) -> None:
    """One notice per proposal of ``key`` still unconfirmed on its reminder day: was it issued?"""
    to = d.value("param:confirmation_reminder_to")
    today = d.at.date().isoformat()
    for action, record in sorted(_pending(d.state, key), key=lambda p: p[1]["proposed"]):
        if record.get("reminded") or not record.get("remind") or record["remind"] >= today:
            continue
        record["reminded"] = today
        what = f"“{record['stage']}”" if record["stage"] else "须确认的动作"
        d.emit("notice", f"{record['proposed']} 提出的{what}（动作 {action}）尚未收到印发或实施的确认：请核实是否已经印发或实施，"
                         f"已印发或实施的请以“已执行”报送其日期；未确认前不据此进入下一步",
               clause=record["clause"], to=to, data={"confirms": action}, key=action)
    _rearm(d, key)


def withdraw_proposals(d: "Decision", key: str, ladder: str | None = None) -> None:
    """The proposals of ``key`` still awaiting confirmation that a next step waits for (those with a
    reminder) are moot — the item was reported done, an extension was granted…: withdrawn, no reminder.
    One nothing waits for (a ladder's last rung, a 问责 suggestion) stands. ``ladder``: an escalation
    ladder's id, whose ``<ladder>_proposed`` flag falls back to the rung actually reached."""
    for _, record in list(_pending(d.state, key)):
        if record.get("remind"):
            record["status"] = WITHDRAWN
    d.state.timers.pop(reminder_timer(key), None)
    if ladder:
        standing = [int(r.get("rung") or 0) for _, r in _pending(d.state, key)]
        d.state.flags[f"{ladder}_proposed"] = max([int(d.state.flags.get(f"{ladder}_rung") or 0), *standing])


# -- dockets written by hand ------------------------------------------------------------------------
def name_confirmed_actions(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For a docket written by hand (the examples, tests): an ``action_taken`` whose ``data.action``
    is ``{"stage": …}`` gets the id of the subject's latest action at that stage, found by running
    the docket in order through a fresh engine. Hosts always send the id they were given."""
    from duchaplugin.engine import Engine

    engine = Engine(entry_points=False)
    for event in events:
        engine.advance(event["at"])
        action = (event.get("data") or {}).get("action")
        if event["type"] == "action_taken" and isinstance(action, dict):
            records = engine.states[event["subject"]].flags.get(FLAG, {}) if event["subject"] in engine.states else {}
            found = [i for i, r in records.items() if r["stage"] == action["stage"]]
            if not found:
                raise ValueError(f"{event['subject']} has no action at stage {action['stage']} before {event['at']}")
            event["data"]["action"] = found[-1]
        engine.handle(event)
    return events
