"""The engine's state as data (docs/state.md): what ``Engine.export_state()`` writes and
``Engine.restore_state()`` reads, the ``changes`` the store hook receives, and the ids of the
events already processed.

Traps this module exists to avoid:

- a state that is not plain data (a ``date`` in a flag, a model in an attribute) cannot be written
  as JSON, or comes back as something else — and a restored engine then decides differently from
  the one that never stopped. Each decision's states are therefore made plain (:func:`plain`)
  before anything reads them again, so the running engine and a restored one see the same values;
- dict order is behaviour (a pack's subjects are listed in the order they first appeared), so
  nothing here sorts a state: export keeps insertion order, restore keeps the file's order;
- processed event ids grow with every event: kept as runs of numbered ids (``e1``…``e20000`` is
  one pair of integers) plus a set for the rest, looked up without scanning, exported compactly.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from datetime import date, datetime
from typing import Any, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from duchaplugin.calendar import BEIJING
from duchaplugin.errors import StateError
from duchaplugin.models import Instant, SubjectState, Timer, construct

FORMAT = "duchaplugin-state"
VERSION = 1

_SCALARS = frozenset((str, int, float, bool, type(None)))
_NUMBERED = re.compile(r"(.*?)(0|[1-9][0-9]{0,14})")  # an id = prefix + a number written without leading zeros


# -- plain data ----------------------------------------------------------------------------------
def plain(value: Any) -> Any:
    """A JSON-plain copy of ``value``: containers copied, dates as ISO text (instants in Beijing
    time), models as their JSON; anything else is a :class:`TypeError` (a pack bug to surface)."""
    kind = type(value)
    if kind is dict:  # the common shapes inline: this runs for every state a decision touches
        return {k if type(k) is str else str(k): v if type(v) in _SCALARS else plain(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [v if type(v) in _SCALARS else plain(v) for v in value]
    if kind in _SCALARS:
        return value
    if isinstance(value, datetime):
        return value.astimezone(BEIJING).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    raise TypeError(f"状态中的值不是 JSON 数据：{value!r} / a state value is not JSON data: {value!r}")


def is_plain(value: Any) -> bool:
    kind = type(value)
    if kind is dict:
        return all(type(k) is str and (type(v) in _SCALARS or is_plain(v)) for k, v in value.items())
    if kind is list:
        return all(type(v) in _SCALARS or is_plain(v) for v in value)
    return kind in _SCALARS


def settle(state: SubjectState) -> None:
    """Make a state's flags plain data in place, after each decision (see above); its attributes
    are made plain as each event is recorded (``decide.record``)."""
    flags = state.flags
    for key, value in flags.items():
        if type(value) not in _SCALARS and not is_plain(value):
            flags[key] = plain(value)


def copy_state(state: SubjectState, *, deep: bool = True) -> SubjectState:
    """An independent copy of a (settled) state, for a host to read. ``deep=False`` is the
    before-image a decision keeps: flags are copied through (rules change them in place, e.g. a
    docket's lists), while attributes and timers are only ever replaced — an event records an
    attribute, the engine replaces a timer it fires — so they are shared."""
    d = state.__dict__
    timers = d["timers"]
    return construct(SubjectState, {
        "subject": d["subject"], "pack": d["pack"], "created_at": d["created_at"], "last_at": d["last_at"],
        "attrs": plain(d["attrs"]) if deep else dict(d["attrs"]), "flags": plain(d["flags"]), "counts": dict(d["counts"]),
        "timers": {name: construct(Timer, dict(t.__dict__)) for name, t in timers.items()} if deep else dict(timers),
        "actions": d["actions"]})


def _iso(instant: datetime | None) -> str | None:
    return None if instant is None else instant.astimezone(BEIJING).isoformat()


def state_to_json(state: SubjectState) -> dict[str, Any]:
    """A subject's state as JSON data (the same as ``state.model_dump(mode="json")``, faster)."""
    d = state.__dict__
    return {"subject": d["subject"], "pack": d["pack"], "created_at": _iso(d["created_at"]), "last_at": _iso(d["last_at"]),
            "attrs": plain(d["attrs"]), "flags": plain(d["flags"]), "counts": dict(d["counts"]),
            "timers": {name: _timer_json(t) for name, t in d["timers"].items()}, "actions": d["actions"]}


def _timer_json(timer: Timer) -> dict[str, Any]:
    t = timer.__dict__
    return {"name": t["name"], "rule": t["rule"], "last_day": t["last_day"].isoformat(), "overdue_at": _iso(t["overdue_at"]),
            "warn_at": _iso(t["warn_at"]), "provisional": t["provisional"], "warned": t["warned"], "overdue": t["overdue"]}


# -- processed event ids ---------------------------------------------------------------------------
def _add_run(runs: list[list[int]], n: int) -> bool:
    """Add ``n`` to sorted, disjoint, non-adjacent inclusive runs; False if it was there."""
    i = bisect_right(runs, n, key=lambda r: r[0]) - 1
    if i >= 0 and n <= runs[i][1]:
        return False
    joins_left = i >= 0 and runs[i][1] == n - 1
    joins_right = i + 1 < len(runs) and runs[i + 1][0] == n + 1
    if joins_left and joins_right:
        runs[i][1] = runs[i + 1][1]
        del runs[i + 1]
    elif joins_left:
        runs[i][1] = n
    elif joins_right:
        runs[i + 1][0] = n
    else:
        runs.insert(i + 1, [n, n])
    return True


class SeenIds:
    """The ids of the events processed, host-wide. Membership is a dict look-up and a binary search
    among one prefix's runs (one run for ids numbered in sequence); memory is per run, not per id."""

    def __init__(self) -> None:
        self._runs: dict[str, list[list[int]]] = {}
        self._ids: set[str] = set()
        self._count = 0

    def __contains__(self, event_id: str) -> bool:
        match = _NUMBERED.fullmatch(event_id)
        if match is None:
            return event_id in self._ids
        runs = self._runs.get(match[1])
        if not runs:
            return False
        n = int(match[2])
        i = bisect_right(runs, n, key=lambda r: r[0]) - 1
        return i >= 0 and n <= runs[i][1]

    def add(self, event_id: str) -> bool:
        """Record an id; False if it was already recorded."""
        match = _NUMBERED.fullmatch(event_id)
        if match is None:
            added = event_id not in self._ids
            self._ids.add(event_id)
        else:
            added = _add_run(self._runs.setdefault(match[1], []), int(match[2]))
        self._count += added
        return added

    def __len__(self) -> int:
        return self._count

    def to_json(self) -> dict[str, Any]:
        """``{"runs": {prefix: [[first, last], …]}, "ids": [other ids]}``, sorted (canonical)."""
        return {"runs": {p: [list(r) for r in self._runs[p]] for p in sorted(self._runs)}, "ids": sorted(self._ids)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SeenIds":
        seen = cls()
        for prefix, runs in data.get("runs", {}).items():
            if any(not 0 <= first <= last for first, last in runs):
                raise StateError("编号区间应为 [首, 末]，首 ≤ 末", "a run must be [first, last] with 0 <= first <= last",
                                 field=f"seen.runs.{prefix}")
            seen._runs[prefix] = merged = _normalised([[first, last] for first, last in runs])
            seen._count += sum(last - first + 1 for first, last in merged)
        seen._ids = set(data.get("ids", ()))
        seen._count += len(seen._ids)
        return seen


def _normalised(runs: list[list[int]]) -> list[list[int]]:
    """Runs sorted and merged (a hand-edited or concatenated file may overlap)."""
    out: list[list[int]] = []
    for first, last in sorted(runs):
        if out and first <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], last)
        else:
            out.append([first, last])
    return out


def add_seen_json(seen: dict[str, Any], ids: Iterable[str]) -> dict[str, Any]:
    """The exported form of ``seen`` with ``ids`` added; only the lists touched are copied."""
    runs, others = dict(seen.get("runs", {})), seen.get("ids", [])
    copied = False
    for event_id in ids:
        match = _NUMBERED.fullmatch(event_id)
        if match is None:
            i = bisect_right(others, event_id)
            if not (i and others[i - 1] == event_id):
                others = others if copied else list(others)
                copied = True
                insort(others, event_id)
            continue
        prefix = match[1]
        runs[prefix] = [list(r) for r in runs.get(prefix, [])]
        _add_run(runs[prefix], int(match[2]))
    return {"runs": {p: runs[p] for p in sorted(runs)}, "ids": others}


# -- the document ----------------------------------------------------------------------------------
class SeenDocument(BaseModel):
    """Processed event ids: numbered ids as runs per prefix, the others listed."""

    model_config = ConfigDict(extra="forbid")
    runs: dict[str, list[tuple[int, int]]] = Field(
        default_factory=dict, description="前缀 → 连续编号区间 [首, 末] / prefix → inclusive runs [first, last] of the number after it")
    ids: list[str] = Field(default_factory=list, description="其余事件编号 / the other ids")


class StateDocument(BaseModel):
    """Everything an engine needs to continue exactly where another stopped (docs/state.md)."""

    model_config = ConfigDict(extra="forbid", title="duchaplugin state")
    format: Literal["duchaplugin-state"]
    version: Literal[1]
    calendar_version: str = Field(description="导出时所用工作日历数据的指纹 / fingerprint of the calendar data in force")
    parameters: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="宿主选定的参数值（set_parameter）/ parameter values a host chose, by pack")
    clocks: dict[str, Instant] = Field(
        default_factory=dict, description="各规则包定期日程已推进到的时刻 / instant each pack's fixed-date schedules fired up to")
    subjects: dict[str, SubjectState] = Field(
        default_factory=dict, description="各主体（及规则包台账 @<pack>）的状态，按首次出现的顺序 / states in the order they first appeared")
    seen: SeenDocument = Field(default_factory=SeenDocument, description="已处理的事件编号（全宿主）/ processed event ids, host-wide")


def read_document(data: Any) -> StateDocument:
    """Validate exported state; a wrong format or version, or any bad field, is a :class:`StateError`
    naming the field."""
    if not isinstance(data, dict):
        raise StateError("状态应为 JSON 对象", "state must be a JSON object")
    if data.get("format") != FORMAT:
        raise StateError(f"不是 duchaplugin 状态（format 应为 {FORMAT!r}）", f"not duchaplugin state (format must be {FORMAT!r})",
                         field="format")
    version = data.get("version")
    if version != VERSION:
        newer = isinstance(version, int) and version > VERSION
        raise StateError(
            f"状态版本 {version!r} 不受支持：本程序读写第 {VERSION} 版" + ("，该文件由更新的 duchaplugin 写出" if newer else ""),
            f"state version {version!r} is not supported: this duchaplugin reads and writes version {VERSION}"
            + (" (written by a newer duchaplugin)" if newer else ""), field="version")
    try:
        document = StateDocument.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise StateError(f"状态数据有误：{first['msg']}", f"invalid state: {first['msg']}", field=where) from None
    for subject, state in document.subjects.items():
        if state.subject != subject:
            raise StateError(f"主体编号与其状态中的 subject（{state.subject}）不一致", f"key differs from the state's subject ({state.subject})",
                             field=f"subjects.{subject}")
    return document


def apply_changes(snapshot: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Fold the ``changes`` of one decision (the store hook's argument) into an exported snapshot:
    ``apply_changes(export_before, changes) == export_after``. ``snapshot`` is not modified; what did
    not change is shared with the result."""
    out = dict(snapshot)
    out["calendar_version"] = changes.get("calendar_version", snapshot.get("calendar_version"))
    if changes.get("subjects"):
        subjects = dict(snapshot.get("subjects", {}))
        for subject, state in changes["subjects"].items():
            if state is None:
                subjects.pop(subject, None)
            else:
                subjects[subject] = state
        out["subjects"] = subjects
    if changes.get("clocks"):
        out["clocks"] = {**snapshot.get("clocks", {}), **changes["clocks"]}
    if changes.get("seen"):
        out["seen"] = add_seen_json(snapshot.get("seen", {}), changes["seen"])
    if changes.get("parameters"):
        parameters = {pack: dict(values) for pack, values in snapshot.get("parameters", {}).items()}
        for pack, values in changes["parameters"].items():
            parameters.setdefault(pack, {}).update(values)
        out["parameters"] = parameters
    return out
