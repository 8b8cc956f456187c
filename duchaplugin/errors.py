"""Errors a host or pack author sees, each in Chinese and English, naming the field and line."""

from __future__ import annotations

import difflib
from typing import Iterable


class DuchaError(Exception):
    """Base class: ``zh`` and ``en`` messages, plus where the problem is."""

    def __init__(self, zh: str, en: str, *, field: str | None = None, line: int | None = None) -> None:
        self.zh, self.en, self.field, self.line = zh, en, field, line
        self.subject: str | None = None
        self.event: str | None = None
        self.rule: str | None = None
        super().__init__(self.describe())

    def describe(self) -> str:
        where_zh = where_en = ""
        if self.line is not None:
            where_zh, where_en = f"第{self.line}行：", f"line {self.line}: "
        for name_zh, name_en, value in (("主体", "subject", self.subject), ("事件", "event", self.event), ("规则", "rule", self.rule)):
            if value:
                where_zh += f"{name_zh} {value}，"
                where_en += f"{name_en} {value}, "
        if self.field:
            where_zh += f"字段 {self.field}："
            where_en += f"field {self.field}: "
        return f"{where_zh}{self.zh} / {where_en}{self.en}"

    def in_decision(self, subject: str | None, event: str | None, rule: str | None) -> "DuchaError":
        """Name the decision that failed (its subject, event id and rule), keeping what is known."""
        self.subject, self.event, self.rule = self.subject or subject, self.event or event, self.rule or rule
        self.args = (self.describe(),)
        return self

    def at_line(self, line: int) -> "DuchaError":
        self.line = line
        self.args = (self.describe(),)
        return self


class ContractError(DuchaError):
    """An event that does not honour the host contract (bad JSON, missing field, unknown value…)."""


class StateError(ContractError):
    """Exported engine state that cannot be restored (another format or version, a bad field)."""


class PackError(DuchaError):
    """A rule pack that fails validation when loaded (unknown clause, unlabelled override…);
    ``file`` (``<pack dir>/<file>``) and ``line`` say where, ``field`` what."""

    def __init__(self, zh: str, en: str, *, field: str | None = None, line: int | None = None,
                 file: str | None = None) -> None:
        self.file = file
        super().__init__(zh, en, field=field, line=line)

    def describe(self) -> str:
        if not self.file:
            return super().describe()
        at = f"{self.file}:{self.line}" if self.line is not None else self.file
        return (f"{at}：{f'{self.field}：' if self.field else ''}{self.zh}"
                f" / {at}: {f'{self.field}: ' if self.field else ''}{self.en}")


class RuleError(DuchaError):
    """A rule whose action raised: surfaced, never swallowed (durable-rules would swallow it)."""


def did_you_mean(name: str, known: Iterable[str], cutoff: float = 0.75) -> tuple[str, str]:
    """``（是否想写 x？）`` / `` (did you mean x?)`` for the nearest known name, or two empty strings."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=cutoff)
    return (f"（是否想写 {close[0]}？）", f" (did you mean {close[0]}?)") if close else ("", "")
