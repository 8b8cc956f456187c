"""Title templates of actions: ``{id}``, ``{at}``, ``{subject.x}``, ``{data.x}``, ``{state.x}``,
``{timer.x}`` (its last day), ``{param.x}`` and named extras, with 涉密 fields redacted.

A template is parsed once (:func:`compile_template`, cached by its text) into literal text and
field readers, so filling it costs one join; templates using format specs, conversions or deeper
paths are filled by :meth:`str.format_map` over the same views, with the same result.

Only a pack writes templates. A value inserted into one — an event's field, a subject's id — is
text: never parsed again, stripped of control characters (C0/C1 controls, NUL, bidirectional and
other format marks such as U+202E, zero-width characters; line and tab breaks become a space) and
capped (:data:`VALUE_CAP` characters, then “…”). Actions' titles are capped at :data:`TITLE_CAP`,
each recipient or approval at :data:`RECIPIENT_CAP` (at most :data:`RECIPIENTS_MAX` of them), texts
in an action's data at :data:`DATA_CAP` (:func:`clean`, :func:`clean_data`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from string import Formatter
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from duchaplugin.effects import Decision

REDACTED = "【涉密，内容不予显示】"
UNSET = "（未填）"

VALUE_CAP = 200        # characters of one value inserted into a title
TITLE_CAP = 1000       # characters of an action's title
RECIPIENT_CAP = 100    # characters of one recipient or approval
RECIPIENTS_MAX = 200   # recipients (or approvals) of one action
DATA_CAP = 2000        # characters of one text in an action's data


def _invisible() -> re.Pattern[str]:
    """Characters never shown in an action: controls, format marks (bidirectional overrides and
    isolates, zero-width, BOM…), surrogates, private use, line and paragraph separators."""
    ranges: list[list[int]] = []
    for code in range(0x10000):
        if unicodedata.category(chr(code)) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    ranges += [[0xE0000, 0xE007F], [0xF0000, 0x10FFFF]]
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]")


_INVISIBLE = _invisible()
_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]+")


def clean(text: str, cap: int = VALUE_CAP) -> str:
    """``text`` as an action shows it: one line, no control or format characters, at most ``cap``
    characters (cut with “…”)."""
    if len(text) > 4 * cap:
        text = text[:4 * cap]  # what is cut anyway is not scanned
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", _BREAKS.sub(" ", text))
    return text if len(text) <= cap else text[:cap - 1] + "…"


def clean_data(value: Any) -> Any:
    """An action's ``data`` with every text cleaned (:data:`DATA_CAP`), lists and mappings alike."""
    if isinstance(value, str):
        return clean(value, DATA_CAP)
    if isinstance(value, dict):
        return {k: clean_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_data(v) for v in value]
    return value

Filler = Callable[["Decision", dict[str, Any]], str]


def describe_limit(value: dict[str, Any]) -> str:
    units = {"working_days": "个工作日", "days": "日", "weeks": "周", "months": "个月"}
    return "".join(f"{n}{units.get(k, k)}" for k, n in value.items())


_FIELDS = re.compile(r"\{(param|timer)\.([A-Za-z_][A-Za-z0-9_]*)")


@lru_cache(maxsize=4096)
def _template_fields(template: str) -> tuple[tuple[str, str], ...]:
    return tuple(_FIELDS.findall(template))


def template_parameters(template: str) -> list[str]:
    """The parameters a template shows (``{param.x}``)."""
    return [name for root, name in _template_fields(template) if root == "param"]


def template_timers(template: str) -> list[str]:
    """The timers whose last day a template shows (``{timer.x}``)."""
    return [name for root, name in _template_fields(template) if root == "timer"]


def shown(values: dict[str, Any], name: str, safe: frozenset[str] | None = None) -> Any:
    """A field as a title shows it: （未填） when empty, redacted when the subject is 涉密 (``safe``:
    the fields it may show, :attr:`ResolvedPack.secret_safe`) and the field is not among them, lists
    joined by 、, time limits in words."""
    value = values.get(name)
    if value is None or value == "":
        return UNSET
    if safe is not None and name not in safe:
        return REDACTED
    if isinstance(value, list):
        return clean("、".join(str(v) for v in value))
    if hasattr(value, "model_dump"):
        return describe_limit(value.model_dump(exclude_none=True))
    if isinstance(value, dict):
        return clean(describe_limit(value))
    return clean(value) if isinstance(value, str) else value


class _View:
    """Attribute access over :func:`shown`, for templates filled by ``format_map``."""

    __slots__ = ("_values", "_safe")

    def __init__(self, values: dict[str, Any], safe: frozenset[str] | None = None) -> None:
        self._values, self._safe = values, safe

    def __getattr__(self, name: str) -> Any:
        return shown(self._values, name, self._safe)


def is_secret(d: "Decision") -> bool:
    """涉密: the subject was recorded secret (only an approved declassification lifts it), or this event makes it so."""
    return d.state.attrs.get("secret") is True or d.data.get("secret") is True


def _safe(d: "Decision") -> frozenset[str] | None:
    return d.pack.secret_safe if is_secret(d) else None


def _timers(d: "Decision") -> dict[str, str]:
    return {name: t.last_day.isoformat() for name, t in d.state.timers.items()}


#: How each top-level name reads a field ``name`` of it (``None``: the name itself is the value).
_READERS: dict[str, Callable[["Decision", str | None], Any]] = {
    "id": lambda d, _: clean(d.state.subject),
    "at": lambda d, _: d.at.date().isoformat(),
    "subject": lambda d, name: shown(d.state.attrs, name, _safe(d)) if name else _View(d.state.attrs, _safe(d)),
    "data": lambda d, name: shown(d.data, name, _safe(d)) if name else _View(d.data, _safe(d)),
    "state": lambda d, name: shown(d.state.flags, name) if name else _View(d.state.flags),
    "timer": lambda d, name: shown(_timers(d), name) if name else _View(_timers(d)),
    "param": lambda d, name: shown(d.pack.param_values, name) if name else _View(d.pack.param_values),
}


@lru_cache(maxsize=4096)
def compile_template(template: str) -> Filler:
    """``template`` → a function filling it for a decision and named extras."""
    if "{" not in template and "}" not in template:
        return lambda d, extra: template
    parts: list[tuple[str, str | None, str | None]] = []  # (literal, root, field)
    simple = True
    for literal, name, spec, conversion in Formatter().parse(template):
        if name is None:
            parts.append((literal, None, None))
            continue
        root, dot, rest = name.partition(".")
        if spec or conversion or not root.isidentifier() or (dot and not rest.isidentifier()):
            simple = False
            break
        parts.append((literal, root, rest or None))
    if not simple:
        return _by_format_map(template)

    def fill(d: "Decision", extra: dict[str, Any]) -> str:
        out = []
        for literal, root, name in parts:
            out.append(literal)
            if root is None:
                continue
            if root in extra:
                value = extra[root]
                out.append(clean(str(getattr(value, name) if name else value)))
            elif root in _READERS:
                out.append(str(_READERS[root](d, name)))
            else:
                raise KeyError(root)
        return "".join(out)
    return fill


def _by_format_map(template: str) -> Filler:
    def fill(d: "Decision", extra: dict[str, Any]) -> str:
        fields = {root: reader(d, None) for root, reader in _READERS.items()}
        return template.format_map({**fields, **{k: clean(v) if isinstance(v, str) else v for k, v in extra.items()}})
    return fill
