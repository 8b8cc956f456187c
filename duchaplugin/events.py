"""Reading events: JSON → :class:`Event`, contract field checks, and the pack's vocabulary.

Every failure is a :class:`ContractError` naming the field, in Chinese and English; nothing is
guessed or silently defaulted (CONTRACT.md: "Unknown values are an error"). Booleans are ``true`` or
``false`` (not ``"yes"``, not 1); numbers are finite (``NaN`` and ``Infinity`` are refused anywhere in
``data``) and within their range (``percent`` 0–100, levels 1–10, time limits whole numbers up to ten
years); ids carry no control characters (lengths and sizes: :mod:`duchaplugin.limits`). A vocabulary field is checked whether the host sends the document's words or
the short code (``<field>_code``), and on every event that carries it.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date
from typing import Annotated, Any, Callable

from pydantic import Field, StrictBool, StrictFloat, StrictInt, TypeAdapter, ValidationError


from duchaplugin.errors import ContractError
from duchaplugin.limits import check_event_limits
from duchaplugin.models import Event, TimeLimit
from duchaplugin.packset import ResolvedPack
from duchaplugin.timing import as_limit

_SLOW = object()  # "only the adapter can tell" (it then also words the error)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_UNITS = frozenset(("working_days", "days", "weeks", "months"))
_LIMIT_MAX = {"working_days": 2500, "days": 3660, "weeks": 522, "months": 120}  # as models.TimeLimit
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]")


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
        if unit in _UNITS and type(amount) is int and 0 <= amount <= _LIMIT_MAX[unit]:
            return as_limit(value)
    return _SLOW


def _plain_percent(value: Any) -> Any:
    return float(value) if type(value) in (int, float) and 0 <= value <= 100 else _SLOW


# (adapter, 应为…, expected…, the adapter's result for the plain shapes hosts send — or _SLOW)
Check = tuple[TypeAdapter[Any], str, str, Callable[[Any], Any]]
_BOOL: Check = (TypeAdapter(StrictBool), "布尔值 true/false", "a boolean true/false", lambda v: v if type(v) is bool else _SLOW)
_LEVEL: Check = (TypeAdapter(Annotated[StrictInt, Field(ge=1, le=10)]), "1–10 的整数（层级，数字越大层级越低）",
                 "a whole number 1-10 (a level)", lambda v: v if type(v) is int and 1 <= v <= 10 else _SLOW)
_DATE: Check = (TypeAdapter(date), "ISO 日期，如 2025-10-08", "an ISO date such as 2025-10-08", _plain_date)
_LIMIT: Check = (TypeAdapter(TimeLimit), '{"working_days": N} 或 {"days": N}、{"weeks": N}、{"months": N}',
                 '{"working_days": N} or {"days": N}, {"weeks": N}, {"months": N}', _plain_limit)
_LIST: Check = (TypeAdapter(list[str]), "字符串列表", "a list of strings",
         lambda v: list(v) if type(v) is list and all(type(x) is str for x in v) else _SLOW)

#: Contract fields of ``data`` with a fixed type, whatever the event type.
DATA_TYPES: dict[str, Check] = {
    "major": _BOOL, "urgent": _BOOL, "secret": _BOOL, "regular": _BOOL, "passed": _BOOL,
    "requires_rectification": _BOOL, "sealed": _BOOL, "serious": _BOOL,
    "due": _DATE, "targets": _LIST, "co_units": _LIST,
    "time_limit": _LIMIT, "feedback_interval": _LIMIT,
    "percent": (TypeAdapter(Annotated[StrictInt | StrictFloat, Field(ge=0, le=100, allow_inf_nan=False)]), "0–100 的数字",
                "a number 0-100", _plain_percent),
    "organiser_level": _LEVEL, "target_level": _LEVEL,
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
            raw = json.loads(raw, parse_constant=_no_constant)
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
    for name in ("id", "subject"):  # their lengths: duchaplugin.limits
        text = getattr(event, name)
        if text is not None and _CONTROL.search(text):
            raise ContractError("编号含控制字符或不可见的格式字符", "has control or invisible format characters", field=name)
    data = event.data
    for name, value in data.items():
        _check_finite(value, f"data.{name}")
    if event.type == "declassified" and data.get("approved_by") in (None, "", []):
        raise ContractError("解密须经批准：应注明批准解密的机关或负责人（approved_by）",
                            "a declassification must say who approved it (approved_by)", field="data.approved_by")
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


def _no_constant(name: str) -> Any:
    raise ContractError(f"不接受 {name}：数字须为有限值", f"{name} is not accepted: numbers must be finite")


def _check_finite(value: Any, where: str) -> None:
    """No non-finite number anywhere in a data value (a Python host may send ``float("nan")``)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ContractError("数字须为有限值（不接受 NaN、Infinity）", "numbers must be finite (no NaN, Infinity)", field=where)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_finite(item, f"{where}.{key}")
    elif isinstance(value, list):
        for item in value:
            _check_finite(item, where)


def check_vocabulary(event: Event, pack: ResolvedPack) -> None:
    """Normalise vocabulary fields to the document's words, ``<field>_code`` to the short code, whichever
    of the two the host sent (a code is checked as a word is); an unknown value, or a word and a code
    that disagree, is an error naming the accepted words. A vocabulary with ``on:`` applies to those
    event types only."""
    data = event.data
    for name, vocabulary in pack.vocabulary.items():
        on = vocabulary.get("on")
        if on and event.type not in on:
            continue
        field = vocabulary.get("field", name)
        value, code = data.get(field), data.get(f"{field}_code")
        given = value if value not in (None, "", []) else code
        if given in (None, "", []):
            continue
        texts, codes = _words(given, name, field if value not in (None, "", []) else f"{field}_code", pack)
        if value not in (None, "", []) and code not in (None, "", []):
            _, sent = _words(code, name, f"{field}_code", pack)
            if sent != codes:
                raise ContractError(f"{field} 与 {field}_code 不一致：{'；'.join(texts)} / {'；'.join(map(str, sent))}",
                                    f"{field} and {field}_code disagree", field=f"data.{field}_code")
        many = isinstance(given, list)
        data[field] = texts if many else texts[0]
        data[f"{field}_code"] = codes if many else codes[0]


def _words(given: Any, name: str, where: str, pack: ResolvedPack) -> tuple[list[str], list[str]]:
    """The document's words and codes of a value (or list of values) in vocabulary ``name``."""
    words = pack.vocabulary_index[name]
    texts, codes = [], []
    for item in given if isinstance(given, list) else [given]:
        entry = words.get(item) if isinstance(item, str) else None
        if entry is None:
            accepted = "；".join(v["text"] for v in pack.vocabulary[name].get("values", []))
            shown = repr(item) if not isinstance(item, str) else repr(item[:50] + ("…" if len(item) > 50 else ""))
            raise ContractError(f"未知的取值 {shown}；{pack.id} 接受文件原文：{accepted}，或其简码",
                                f"unknown value {shown}; {pack.id} accepts the document's words or their codes",
                                field=f"data.{where}")
        texts.append(entry["text"])
        codes.append(entry.get("code") or entry["text"])
    return texts, codes
