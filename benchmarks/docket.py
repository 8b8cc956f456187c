"""A seeded synthetic docket (督办台账) for the benchmarks: events of many subjects, in time order.

Mix (by subject): 10 % ``cn`` inspection activities (督查活动), 45 % ``cn-yn`` items and 45 %
``cn-xj-hutubi`` items (督办事项). Only event types and ``data`` fields of the host contract
(shared/design/CONTRACT.md) are used. Vocabulary fields (category, source, scope, method, basis,
situation, …) are read from ``engine.compiled(pack).pack.vocabulary`` at run time, so the
generator keeps producing valid events while the packs grow; any value the generator would send
for a field that a pack has a vocabulary for is replaced by one of that pack's own values.

``generate(engine, size, seed)`` → list of event dicts sorted by ``at`` (ties keep subject order).
``open_items(engine, size, seed)`` → the first events only (registered + assigned, or an activity
up to its conclusion being received): subjects with running time limits, for the sweep benchmark.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any, Iterator

from duchaplugin.calendar import BEIJING

START = date(2024, 1, 2)  # after every built-in pack's effective date
SPAN_DAYS = 330  # subjects start within this many days of START
MIX = (("cn", 0.10), ("cn-yn", 0.45), ("cn-xj-hutubi", 0.45))

UNITS = ["县发展和改革委员会", "县财政局", "县住房和城乡建设局", "县交通运输局", "县自然资源局", "县生态环境局",
         "县农业农村局", "县教育局", "县卫生健康委员会", "县水利局", "县应急管理局", "县市场监督管理局"]
LEADERS = ["张副县长", "李副县长", "王副县长", "赵常务副县长"]
HANDLERS = ["刘明", "陈静", "杨帆", "黄磊", "周敏", "吴强", "徐丽", "孙伟"]
TITLES = ["推进重点项目建设", "整治农村人居环境", "办理12345热线反映问题", "落实政府工作报告重点任务",
          "推进老旧小区改造", "办理人大代表建议", "整改审计反馈问题", "推进高标准农田建设"]


def _accepted(vocab: dict[str, Any], value: Any) -> bool:
    for entry in vocab.get("values", []):
        if value == entry["text"] or value == entry.get("code") or value in (entry.get("aliases") or []):
            return True
    return False


class Vocab:
    """A pack's vocabulary, read at run time: pick values, make data valid."""

    def __init__(self, engine: Any, pack_id: str) -> None:
        self.fields: dict[str, dict[str, Any]] = dict(engine.compiled(pack_id).pack.vocabulary)
        self.choices = {name: [e.get("code") or e["text"] for e in v.get("values", []) if not e.get("parent")]
                        or [e.get("code") or e["text"] for e in v.get("values", [])]
                        for name, v in self.fields.items()}

    def pick(self, rng: random.Random, name: str, default: Any = None) -> Any:
        values = self.choices.get(name)
        return rng.choice(values) if values else default

    def fix(self, rng: random.Random, data: dict[str, Any]) -> dict[str, Any]:
        """Replace any value the pack's vocabulary would refuse by one it accepts."""
        for name, value in list(data.items()):
            vocab = self.fields.get(name)
            if vocab is None or value in (None, ""):
                continue
            if isinstance(value, list):
                if not all(_accepted(vocab, v) for v in value):
                    data[name] = [self.pick(rng, name)]
            elif not _accepted(vocab, value):
                data[name] = self.pick(rng, name)
        return data


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59)), BEIJING)


def _item(rng: random.Random, vocab: Vocab, pack: str, subject: str, day: date, open_only: bool) -> Iterator[tuple]:
    regular = rng.random() < 0.5
    data = {"title": rng.choice(TITLES), "major": rng.random() < 0.2, "urgent": rng.random() < 0.1,
            "secret": False, "regular": regular, "handler": rng.choice(HANDLERS),
            "number": subject, "lead_unit": rng.choice(UNITS), "requirement": "按期办结并反馈"}
    if "category" in vocab.fields:  # a pack with categories wants one on every item
        data["category"] = vocab.pick(rng, "category")
    if "source" in vocab.fields and not regular:
        data["source"] = vocab.pick(rng, "source")
    if "kind" in vocab.fields:
        data["kind"] = "regular" if regular else "ad_hoc"
    yield day, "registered", data
    day += timedelta(days=rng.randint(0, 3))
    assign = {"lead_unit": rng.choice(UNITS), "co_units": rng.sample(UNITS, 2), "leader": rng.choice(LEADERS),
              "handler": rng.choice(HANDLERS), "signed_by": "县政府办主任",
              "goal": "按期完成" + data["title"], "tasks": "制定方案、推进实施、按时反馈"}
    if rng.random() < 0.8:
        assign["time_limit"] = {"working_days": rng.choice([5, 10, 15, 20, 30])}
    else:
        assign["due"] = (day + timedelta(days=rng.randint(10, 60))).isoformat()
    yield day, "assigned", assign
    if open_only:
        return
    for _ in range(rng.randint(0, 3)):
        day += timedelta(days=rng.randint(1, 12))
        yield day, "progress_reported", {"percent": rng.randint(10, 90), "text": "按计划推进", "sealed": True,
                                             "signed_by": rng.choice(HANDLERS)}
    if rng.random() < 0.15:
        day += timedelta(days=rng.randint(1, 10))
        yield day, "extension_granted", {"due": (day + timedelta(days=rng.randint(10, 40))).isoformat(),
                                         "reason": "项目审批手续尚未完成", "approved_by": rng.choice(LEADERS)}
    if rng.random() < 0.2:
        problem = "发现问题" + str(rng.randint(1, 99))
        day += timedelta(days=rng.randint(1, 10))
        yield day, "problem_found", {"problem": problem, "time_limit": {"working_days": rng.choice([5, 10, 15])}}
        day += timedelta(days=rng.randint(1, 5))
        yield day, "rectification_planned", {"problem": problem}
        day += timedelta(days=rng.randint(1, 10))
        yield day, "rectification_reported", {"problem": problem}
        day += timedelta(days=rng.randint(1, 5))
        yield day, "verified", {"passed": rng.random() < 0.9, "problem": problem}
    if rng.random() < 0.03 and "situation" in vocab.fields:
        day += timedelta(days=rng.randint(1, 5))
        yield day, "finding", {"situation": vocab.pick(rng, "situation"), "evidence": "督查组核查记录"}
    if rng.random() < 0.85:  # the rest stay open (and run overdue)
        day += timedelta(days=rng.randint(1, 15))
        yield day, "completion_reported", {"percent": 100, "text": "已完成", "sealed": True,
                                               "signed_by": rng.choice(HANDLERS)}
        day += timedelta(days=rng.randint(0, 5))
        yield day, "closed", {"approved_by": rng.choice(LEADERS)}


def _activity(rng: random.Random, vocab: Vocab, pack: str, subject: str, day: date, open_only: bool) -> Iterator[tuple]:
    targets = rng.sample(UNITS, rng.randint(1, 3))
    proposal = {"organiser": "县人民政府督查室", "in_name_of": "government", "targets": targets,
                "scope": vocab.pick(rng, "scope"), "method": vocab.pick(rng, "method"),
                "activity_type": vocab.pick(rng, "activity_type"), "basis": vocab.pick(rng, "basis"),
                "target_kind": vocab.pick(rng, "target_kind"), "period": "30日",
                "approved_by": "县长"}
    yield day, "proposed", {k: v for k, v in proposal.items() if v is not None}
    day += timedelta(days=rng.randint(1, 5))
    yield day, "approved", {"by": "县长", "kind": "consent", "reference": f"批示{rng.randint(1, 999)}号"}
    day += timedelta(days=rng.randint(1, 5))
    yield day, "plan_filed", {"content": "督查方案", "targets": targets, "scope": proposal["scope"]}
    day += timedelta(days=rng.randint(1, 5))
    yield day, "started", {}
    day += timedelta(days=rng.randint(3, 20))
    yield day, "ended", {}
    day += timedelta(days=rng.randint(1, 10))
    yield day, "conclusion_issued", {"targets": targets, "requires_rectification": rng.random() < 0.4, "evidence": "核查记录"}
    day += timedelta(days=rng.randint(1, 5))
    yield day, "conclusion_received", {"target": targets[0]}
    if open_only:
        return
    if rng.random() < 0.1:
        day += timedelta(days=rng.randint(1, 40))  # some after the 30-day window: rejected by the pack (counted)
        yield day, "review_requested", {"target": targets[0]}
        if rng.random() < 0.8:
            day += timedelta(days=rng.randint(1, 25))
            yield day, "review_decided", {"target": targets[0], "result": "维持"}


def _events(engine: Any, size: int, seed: int, open_only: bool, span_days: int = SPAN_DAYS) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    vocabs = {pack: Vocab(engine, pack) for pack, _ in MIX if pack in engine.packs}
    packs = [p for p, _ in MIX if p in vocabs]
    weights = [w for p, w in MIX if p in vocabs]
    rows: list[tuple[datetime, int, dict[str, Any]]] = []
    serial = 0
    for n in range(size):
        pack = rng.choices(packs, weights)[0]
        vocab = vocabs[pack]
        subject = f"{pack}-{n:07d}"
        flow = _activity if pack == "cn" else _item
        first, previous = True, None
        for i, (day, kind, data) in enumerate(flow(rng, vocab, pack, subject,
                                                   START + timedelta(days=rng.randrange(span_days)), open_only)):
            at = _at(day, rng)
            if previous is not None and at <= previous:  # same day: keep the subject's order
                at = previous + timedelta(minutes=1)
            previous = at
            event = {"id": f"{subject}-{i}", "subject": subject, "type": kind, "at": at,
                     "data": vocab.fix(rng, data)}
            if first:
                event["pack"] = pack
                first = False
            rows.append((event["at"], serial, event))
            serial += 1
    rows.sort(key=lambda r: (r[0], r[1]))
    return [event for _, _, event in rows]


def generate(engine: Any, size: int = 100_000, seed: int = 20251121) -> list[dict[str, Any]]:
    """The full docket: every subject's lifecycle, all events in chronological order."""
    return _events(engine, size, seed, open_only=False)


def open_items(engine: Any, size: int = 100_000, seed: int = 20251122) -> list[dict[str, Any]]:
    """Subjects left open with running time limits, all started in the same week (for the sweep)."""
    return _events(engine, size, seed, open_only=True, span_days=7)
