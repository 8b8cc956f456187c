"""How much one event may carry: a host's mistake (a whole file pasted into ``text``, a list of
every unit in the province) is refused with the field named, before it reaches the rules, the
ledger or a title. The limits are part of the contract (``docs/contract.md``, "Limits").
"""

from __future__ import annotations

from typing import Any

from duchaplugin.errors import ContractError

#: Characters in ``id``, ``subject``, ``type`` and ``pack``.
MAX_NAME = 200
#: Characters in any text inside ``data`` (a progress report, a problem's description…).
MAX_TEXT = 10_000
#: Items in any list inside ``data`` (``targets``, ``co_units``…).
MAX_ITEMS = 1_000
#: Keys in ``data`` or any mapping inside it.
MAX_KEYS = 200
#: Levels of lists and mappings inside ``data``.
MAX_DEPTH = 8


def check_event_limits(raw: dict[str, Any]) -> None:
    """Raise :class:`ContractError` naming the first field of ``raw`` (an event's JSON) over a limit."""
    for name in ("id", "subject", "type", "pack"):
        value = raw.get(name)
        if isinstance(value, str) and len(value) > MAX_NAME:
            raise _too_long(name, len(value), MAX_NAME)
    data = raw.get("data")
    if isinstance(data, (dict, list)):
        _check(data, "data", 1)


def _check(value: Any, where: str, depth: int) -> None:
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise _too_long(where, len(value), MAX_TEXT)
        return
    if not isinstance(value, (dict, list)):
        return
    if depth > MAX_DEPTH:
        raise ContractError(f"嵌套超过 {MAX_DEPTH} 层", f"nested more than {MAX_DEPTH} levels deep", field=where)
    if isinstance(value, list):
        if len(value) > MAX_ITEMS:
            raise ContractError(f"列表过长（{len(value)} 项，上限 {MAX_ITEMS}）", f"list too long ({len(value)} items, limit {MAX_ITEMS})",
                                field=where)
        for index, item in enumerate(value):
            _check(item, f"{where}[{index}]", depth + 1)
        return
    if len(value) > MAX_KEYS:
        raise ContractError(f"键过多（{len(value)} 个，上限 {MAX_KEYS}）", f"too many keys ({len(value)}, limit {MAX_KEYS})", field=where)
    for key, item in value.items():
        if len(key) > MAX_NAME:
            raise _too_long(f"{where} 的键", len(key), MAX_NAME)
        _check(item, f"{where}.{key}", depth + 1)


def _too_long(where: str, length: int, limit: int) -> ContractError:
    return ContractError(f"文字过长（{length} 字，上限 {limit}）", f"text too long ({length} characters, limit {limit})", field=where)
