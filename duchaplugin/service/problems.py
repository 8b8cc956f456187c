"""Errors the service answers with, in Chinese and English, naming the field:
``{"error": {"field", "message_zh", "message_en"}}`` (per-event errors use the same three keys)."""

from __future__ import annotations

from typing import Any

from duchaplugin.errors import DuchaError


class Problem(Exception):
    """An HTTP error: status, field (or None), message in Chinese and English."""

    def __init__(self, status: int, field: str | None, zh: str, en: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(en)
        self.status, self.field, self.zh, self.en, self.headers = status, field, zh, en, headers

    def body(self) -> dict[str, Any]:
        return {"error": detail(self.field, self.zh, self.en)}


def detail(field: str | None, zh: str, en: str) -> dict[str, Any]:
    return {"field": field, "message_zh": zh, "message_en": en}


def from_error(error: DuchaError) -> dict[str, Any]:
    return detail(error.field, error.zh, error.en)


def unavailable(zh: str, en: str) -> Problem:
    return Problem(503, None, zh, en, {"Retry-After": "1"})


#: what replaces a message that would show a 涉密 item's content (条例 第二十四条)
SECRET_ZH = "取值不符合要求（涉密事项，内容不予显示）"
SECRET_EN = "invalid value (secret item: its content is not shown)"


def redact(error: dict[str, Any], item: Any) -> dict[str, Any]:
    """``error`` without any text of the event's ``data`` (for a 涉密 item)."""
    texts = [t for t in _strings(item.get("data") if isinstance(item, dict) else None) if len(t) >= 2]
    if any(t in error["message_zh"] or t in error["message_en"] for t in texts):
        return detail(error["field"], SECRET_ZH, SECRET_EN)
    return error


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [str(value)] if isinstance(value, (int, float)) and not isinstance(value, bool) else []
