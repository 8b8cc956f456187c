"""Hook specifications of duchaplugin (documented, with examples, in ``docs/hooks.md``).

Names are ``duchaplugin_<verb>_<object>``. Contributions go through a ``register`` callback.
``firstresult`` marks the one decision hook.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable

from duchaplugin.hooks import hookspec

if TYPE_CHECKING:
    from duchaplugin.calendar import CalendarData
    from duchaplugin.models import Action, Event

# -- configuration: called once, when an Engine starts -------------------------------------------


@hookspec
def duchaplugin_register_packs(register: Callable[..., None]) -> None:
    """Contribute rule packs.

    Called once when an :class:`~duchaplugin.Engine` starts, for every plugin (the built-in packs
    are plugins too). Call ``register(directory, module=None)`` for each pack: ``directory`` holds
    ``pack.yaml``, ``clauses.yaml``, ``parameters.yaml``, ``rules.yaml``; ``module`` is the Python
    module whose ``FUNCTIONS`` mapping supplies the functions the pack's rules ``call``. The pack is
    validated then; an invalid pack raises :class:`~duchaplugin.PackError`. No result.
    """


@hookspec
def duchaplugin_add_calendar_data(register: "CalendarData") -> None:
    """Contribute calendar data: a year's official notice, local rest days, a regional overlay.

    Called once when an Engine starts, before any deadline is computed. ``register`` is the
    calendar registry: ``register.add_notice(year, rest_days, work_days, source)``,
    ``register.add_days(region, rest_days=…, work_days=…, source=…)``,
    ``register.load_overlay(path)``. Host data wins over the library's. No result.
    """


# -- decisions ------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def duchaplugin_handle_event(event: "Event | dict[str, Any]", now: datetime | None) -> "list[Action] | None":
    """Decide one event: return the actions it produces.

    Called by a host for every event (the built-in engine plugin implements it). ``event`` is an
    :class:`~duchaplugin.Event` or its JSON form; ``now`` is the decision instant (default: the
    event's ``at``); time-based rules of the event's subject fire first, at their own instants.
    Stops at the first non-None result (firstresult: only one plugin decides). Raises
    :class:`~duchaplugin.ContractError` for an event that breaks the contract.
    """


# -- storage --------------------------------------------------------------------------------------


@hookspec
def duchaplugin_store(changes: dict[str, Any], actions: "list[Action]") -> None:
    """Store what one decision changed, with the actions it produced, before they are delivered.

    Called under the engine's lock after each decision unit — one event (with the timers of its
    subject it fired first), one batch of an ``advance``/``tick``, or one ``set_parameter`` — that
    changed state or produced actions; before ``duchaplugin_deliver_actions``. ``changes`` has
    the shape of ``Engine.export_state()`` holding only what changed (``subjects``: id → state,
    or None when removed; ``clocks``; ``seen``: the event ids added; ``parameters``), and
    ``duchaplugin.state.apply_changes(before, changes)`` gives the export after it
    (docs/state.md). Raising rolls the decision back (no trace in the engine, nothing delivered)
    and the exception propagates to the caller. Refused and duplicate events are not stored.
    Every implementation is called. No result.
    """


# -- delivery -------------------------------------------------------------------------------------


@hookspec
def duchaplugin_deliver_actions(actions: "list[Action]") -> None:
    """Receive actions as they are produced, in time order (to send 短信、站内信、公文).

    Called after each decision unit that produced at least one action (an event, a batch of an
    ``advance`` or ``tick``), with those actions, after ``duchaplugin_store`` and still under the
    engine's lock: calls follow the order the engine decided in, whatever the threads. Implemented
    by hosts; every implementation is called. No result.
    """
