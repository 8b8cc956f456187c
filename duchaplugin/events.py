"""Reading events: JSON → :class:`Event`, contract field checks, and the pack's vocabulary.

Every failure is a :class:`ContractError` naming the field, in Chinese and English; nothing is
guessed or silently defaulted (CONTRACT.md: "Unknown values are an error").
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any, Callable

from pydantic import TypeAdapter, ValidationError

from duchaplugin.errors import ContractError
from duchaplugin.limits import check_event_limits
from duchaplugin.models import Event, TimeLimit
from duchaplugin.packset import ResolvedPack
from duchaplugin.timing import as_limit

_SLOW = object()  # "only the adapter can tell" (it then also words the error)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_UNITS = frozenset(("working_days", "days", "weeks", "months"))


def _plain_date(value: Any) -> Any:
    if type(value) is str and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return _SLOW


def _plain_limit(value: Any) -> Any:
    if type(value) is dict and len(value) == 1:
        (unit, amount), = value.items()
        if unit in _UNITS and type(amount) is int and amount >= 0:
            return as_limit(value)
    return _SLOW


# (adapter, 应为…, expected…, the adapter's result for the plain shapes hosts send — or _SLOW)
Check = tuple[TypeAdapter[Any], str, str, Callable[[Any], Any]]
_BOOL: Check = (TypeAdapter(bool), "布尔值 true/false", "a boolean", lambda v: v if type(v) is bool else _SLOW)
_DATE: Check = (TypeAdapter(date), "ISO 日期，如 2025-10-08", "an ISO date such as 2025-10-08", _plain_date)
_LIST: Check = (TypeAdapter(list[str]), "字符串列表", "a list of strings",
         lambda v: list(v) if type(v) is list and all(type(x) is str for x in v) else _SLOW)

#: Contract fields of ``data`` with a fixed type, whatever the event type.
DATA_TYPES: dict[str, Check] = {
    "major": _BOOL, "urgent": _BOOL, "secret": _BOOL, "regular": _BOOL, "passed": _BOOL,
    "requires_rectification": _BOOL, "sealed": _BOOL, "serious": _BOOL,
    "due": _DATE, "targets": _LIST, "co_units": _LIST,
    "time_limit": (TypeAdapter(TimeLimit), '{"working_days": N} 或 {"days": N}、{"weeks": N}、{"months": N}',
                   '{"working_days": N} or {"days": N}, {"weeks": N}, {"months": N}', _plain_limit),
    "percent": (TypeAdapter(float), "0–100 的数字", "a number 0-100",
                lambda v: float(v) if type(v) in (int, float) else _SLOW),
}


def _explain(error: ValidationError) -> tuple[str, str, str]:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return where, first["msg"].removeprefix("Value error, "), first["type"]


def parse_event(raw: str | bytes | dict[str, Any] | Event) -> Event:
    """Parse and check the contract fields of one event."""
    if isinstance(raw, Event):
        return raw
    if isinstance(raw, (str, bytes)):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ContractError(f"不是合法的 JSON：{exc.msg}（第{exc.colno}列）", f"not valid JSON: {exc.msg} (column {exc.colno})") from None
        except UnicodeDecodeError as exc:
            raise ContractError(f"不是 UTF-8 编码的文字（第{exc.start + 1}个字节起）", f"not UTF-8 text (from byte {exc.start + 1})") from None
        except RecursionError:
            raise ContractError("JSON 嵌套过深", "JSON nested too deeply") from None
    if not isinstance(raw, dict):
        raise ContractError("事件应为 JSON 对象", "an event must be a JSON object")
    check_event_limits(raw)
    try:
        event = Event.model_validate(raw)
    except ValidationError as exc:
        where, msg, kind = _explain(exc)
        if kind == "missing":
            raise ContractError("缺少必填字段", "required field missing", field=where) from None
        zh, _, en = msg.partition(" / ")  # our validators word their errors in both languages
        raise ContractError(f"取值不符合要求：{zh}", f"invalid value: {en or msg}", field=where) from None
    data = event.data
    for name, (adapter, zh, en, plain) in DATA_TYPES.items():
        if data.get(name) is None:
            continue
        value = plain(data[name])
        if value is _SLOW:
            try:
                value = adapter.validate_python(data[name])
            except ValidationError as exc:
                raise ContractError(f"取值不符合要求，应为{zh}", f"invalid value, expected {en}: {_explain(exc)[1]}",
                                    field=f"data.{name}") from None
        data[name] = value
    return event


def check_vocabulary(event: Event, pack: ResolvedPack) -> None:
    """Normalise vocabulary fields to the document's words (``<field>_code`` keeps the short code);
    an unknown value is an error naming the accepted words."""
    data = event.data
    for name, words in pack.vocabulary_index.items():
        value = data.get(name)
        if value is None or value == "":
            continue
        values = value if isinstance(value, list) else [value]
        texts, codes = [], []
        for item in values:
            entry = words.get(str(item))
            if entry is None:
                accepted = "；".join(v["text"] for v in pack.vocabulary[name].get("values", []))
                raise ContractError(f"未知的取值 {item!r}；{pack.id} 接受文件原文：{accepted}，或其简码",
                                    f"unknown value {item!r}; {pack.id} accepts the document's words or their codes",
                                    field=f"data.{name}")
            texts.append(entry["text"])
            codes.append(entry.get("code") or entry["text"])
        data[name] = texts if isinstance(value, list) else texts[0]
        data[f"{name}_code"] = codes if isinstance(value, list) else codes[0]
