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


# -- delivery -------------------------------------------------------------------------------------


@hookspec
def duchaplugin_deliver_actions(actions: "list[Action]") -> None:
    """Receive actions as they are produced, in time order (to send 短信、站内信、公文).

    Called after each event, tick or replay step that produced at least one action, with those
    actions. Implemented by hosts; every implementation is called. No result.
    """
