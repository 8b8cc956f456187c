"""Benchmark suite (not tests): ``python benchmarks/run.py [--quick] [--size N] [--profile FILE]``.

Measures, in one process and one run, against the targets of shared/design/ARCHITECTURE.md:
events decided per second over a synthetic docket (all built-in packs), a sweep of open items at
a new instant, calendar add/count (benchmarks/bench_calendar.py), RSS growth over decisions, and
p50/p99 latency of one event. For the engine figures it also measures, on the very facts the
engine built, a floor (the rule conditions as plain-Python predicates) and the raw durable-rules
cost (Runtime.evaluate on prebuilt facts), so the report shows where the time goes; ratios are
against those baselines because machines are shared and noisy.

Output: one JSON object per line ``{"name", "value", "unit", "target", "met"}``, then a table.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil  # noqa: E402

from benchmarks import bench_calendar, bench_growth, docket  # noqa: E402
from duchaplugin.calendar import BEIJING  # noqa: E402
from duchaplugin.compiler import compile_ruleset  # noqa: E402
from duchaplugin.engine import Engine  # noqa: E402
from duchaplugin.errors import ContractError  # noqa: E402
from duchaplugin.runtime import Runtime  # noqa: E402

RESULTS: list[dict[str, Any]] = []
LABELS: dict[str, str] = {}


def metric(name: str, value: float, unit: str, target: float | None = None, lower_is_better: bool = False,
           label: str = "") -> float:
    met = None if target is None else (value <= target if lower_is_better else value >= target)
    RESULTS.append({"name": name, "value": round(value, 4), "unit": unit, "target": target, "met": met})
    LABELS[name] = label
    print(json.dumps(RESULTS[-1], ensure_ascii=False), flush=True)
    return value


def print_table() -> None:
    """The results as a table, Chinese headers first."""
    print()
    print(f"{'指标 metric':<48} {'数值 value':>16} {'单位 unit':<10} {'目标 target':>12} {'达标 met':<8} 说明")
    for r in RESULTS:
        met = {True: "是 yes", False: "否 NO", None: "—"}[r["met"]]
        target = "—" if r["target"] is None else f"{r['target']:,}"
        print(f"{r['name']:<48} {r['value']:>16,.2f} {r['unit']:<10} {target:>12} {met:<8} {LABELS.get(r['name'], '')}")


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def midnight(at: datetime) -> datetime:
    return datetime.combine(at.date(), datetime.min.time(), BEIJING)


# -- the floor: the same conditions as plain-Python predicates ------------------------------------
def predicate(match: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    """A durable-rules match expression (as duchaplugin.compiler writes them) → a Python predicate."""
    (key, value), = match.items()
    if key == "$and":
        parts = [predicate(m) for m in value]
        return lambda f: all(p(f) for p in parts)
    if key == "$or":
        parts = [predicate(m) for m in value]
        return lambda f: any(p(f) for p in parts)
    ops = {"$lt": lambda a, b: a < b, "$lte": lambda a, b: a <= b, "$gt": lambda a, b: a > b,
           "$gte": lambda a, b: a >= b, "$neq": lambda a, b: a != b}
    if key in ops:
        (k, v), = value.items()
        op = ops[key]
        return lambda f: k in f and f[k] is not None and op(f[k], v)
    if key == "$ex":
        (k, _), = value.items()
        return lambda f: k in f
    if key == "$nex":
        (k, _), = value.items()
        return lambda f: k not in f
    if value is None:
        return lambda f: f.get(key) is None
    return lambda f: f.get(key) == value


def python_rules(definition: dict[str, dict]) -> list[tuple[str, Callable]]:
    return [(name, predicate(rule["all"][0]["m"])) for name, rule in definition.items()]


class GcClock:
    """Seconds spent in the cyclic garbage collector while the clock runs (gc.callbacks)."""

    def __init__(self) -> None:
        self.seconds, self._start, self.running = 0.0, 0.0, False
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        elif self.running:
            self.seconds += time.perf_counter() - self._start


GC = GcClock()


# -- benchmarks ------------------------------------------------------------------------------------
def run_docket(engine: Engine, events: list[dict], capture: dict[str, list]) -> dict[str, Any]:
    """Engine.handle over the docket, Engine.advance at each new day; latency of each handle."""
    original = engine.runtime.evaluate

    def recording(name: str, facts: list[dict]) -> list[list[str]]:
        if len(capture.setdefault(name, [])) < 200_000:
            capture[name].extend(facts)
        return original(name, facts)

    engine.runtime.evaluate = recording  # instance attribute: the engine's own code path is unchanged
    GC.seconds, GC.running = 0.0, True
    latencies = []
    errors = rejected = actions = 0
    advance_time = handle_time = 0.0
    day = None
    clock = time.perf_counter
    for event in events:
        if event["at"].date() != day:
            day = event["at"].date()
            t = clock()
            actions += len(engine.advance(midnight(event["at"])))
            advance_time += clock() - t
        t = clock()
        try:
            out = engine.handle(event)
        except ContractError:
            errors += 1
            out = []
        except Exception as exc:  # a pack being edited (e.g. a missing fact function): count, go on
            errors += 1
            out = []
            if errors <= 3:
                print(f"# engine error on {event['id']}: {exc!r}", file=sys.stderr)
        dt = clock() - t
        handle_time += dt
        latencies.append(dt)
        actions += len(out)
        if any(a.kind == "rejection" for a in out):
            rejected += 1
    GC.running = False
    engine.runtime.evaluate = original
    latencies.sort()
    return {"events": len(events), "handle": handle_time, "advance": advance_time, "errors": errors,
            "rejected": rejected, "actions": actions, "latencies": latencies, "gc": GC.seconds}


def floor_and_ceiling(engine: Engine, capture: dict[str, list]) -> dict[str, float]:
    """Rates on the facts the engine built: Python predicates; durable-rules one fact per call
    (what the engine does) and 1,000 facts per call (what batching would give)."""
    names = {c.ruleset: c for c in engine._compiled.values()}
    total = sum(len(v) for v in capture.values())
    py_time = dr_time = batch_time = 0.0
    runtime = Runtime()
    for name, facts in capture.items():
        definition = compile_ruleset(names[name].pack)
        rules = python_rules(definition)
        t = time.perf_counter()
        for fact in facts:
            [n for n, p in rules if p(fact)]
        py_time += time.perf_counter() - t
        runtime.register(name, definition)
        t = time.perf_counter()
        for fact in facts:
            runtime.evaluate(name, [fact])
        dr_time += time.perf_counter() - t
        t = time.perf_counter()
        for i in range(0, len(facts), 1000):
            runtime.evaluate(name, facts[i:i + 1000])
        batch_time += time.perf_counter() - t
    return {"facts": total, "python": total / py_time, "durable": total / dr_time, "durable_batched": total / batch_time}


def _open_docket(size: int) -> tuple[Engine, datetime]:
    """An engine holding ``size`` open items (started within one week), and its last event's
    instant; time is advanced day by day while loading, as a live host's ticks would, so every
    time rule due before that instant has fired and the sweeps measure only what is new."""
    engine = Engine(entry_points=False)
    events = docket.open_items(engine, size)
    day = None
    for event in events:
        if event["at"].date() != day:
            day = event["at"].date()
            engine.advance(midnight(event["at"]))
        try:
            engine.handle(event)
        except Exception:  # ContractError, or a pack in mid-edit: the sweep measures what loaded
            pass
    last = max(e["at"] for e in events)
    engine.advance(last)
    return engine, last


def run_daily_sweep(size: int, days: int = 30) -> dict[str, Any]:
    """The host's nightly tick: the open docket advanced to 00:00 of each of the next ``days`` days."""
    engine, last = _open_docket(size)
    items = sum(1 for s in engine.states.values() if not s.subject.startswith("@") and s.next_check())
    firings = _count_firings(engine)
    gc.collect()
    times, actions, due = [], 0, []
    for k in range(1, days + 1):
        before = firings[0]
        t = time.perf_counter()
        actions += len(engine.advance(midnight(last) + timedelta(days=k)))
        times.append(time.perf_counter() - t)
        due.append(firings[0] - before)
    return {"subjects": items, "days": days, "seconds": sum(times), "slowest": max(times),
            "slowest_due": due[times.index(max(times))], "firings": sum(due), "actions": actions}


def run_sweep(size: int) -> dict[str, Any]:
    """One advance to the first instant by which every open item has a time rule due (a month of
    time rules at once: the worst case, e.g. a host that did not tick for weeks)."""
    engine, _ = _open_docket(size)
    checks = [c for s in engine.states.values() if not s.subject.startswith("@") and (c := s.next_check())]
    instant = max(checks)  # the new instant: every open item has at least one time rule due by then
    firings = _count_firings(engine)
    gc.collect()
    GC.seconds, GC.running = 0.0, True
    t = time.perf_counter()
    actions = engine.advance(instant)
    elapsed = time.perf_counter() - t
    GC.running = False
    return {"subjects": len(checks), "seconds": elapsed, "actions": len(actions), "firings": firings[0],
            "instant": instant.isoformat(), "gc": GC.seconds}


def _count_firings(engine: Engine) -> list[int]:
    """Counts due checks during the next advance: a subject whose timers are due at an instant, or a schedule date."""
    count = [0]
    fire_timers, fire_schedule = engine._fire_timers, engine._fire_schedule  # private: benchmark instrumentation

    def timers(compiled, state, until):
        actions = fire_timers(compiled, state, until)
        count[0] += 1
        return actions

    def schedule(*args):
        count[0] += 1
        return fire_schedule(*args)

    engine._fire_timers, engine._fire_schedule = timers, schedule
    return count


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": str(os.cpu_count()), "cpu": cpu, "python": platform.python_version(),
            "durable_rules": _version("durable_rules"), "pydantic": _version("pydantic")}


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, under a minute")
    parser.add_argument("--size", type=int, default=None, help="subjects in the docket (default 100,000; quick 2,000)")
    parser.add_argument("--profile", metavar="FILE", help="profile the events/s benchmark with pyinstrument, text to FILE")
    args = parser.parse_args()
    size = args.size or (2_000 if args.quick else 100_000)
    sweep_size = size
    decisions = 20_000 if args.quick else 1_000_000
    info = machine()
    print(json.dumps({"machine": info, "quick": args.quick, "size": size}, ensure_ascii=False), flush=True)

    engine = Engine(entry_points=False)
    t = time.perf_counter()
    events = docket.generate(engine, size)
    gen_seconds = time.perf_counter() - t
    gc.collect()
    rss_before = rss_mb()
    capture: dict[str, list] = {}
    profiler = None
    if args.profile:
        from pyinstrument import Profiler
        profiler = Profiler(interval=0.0005)
        profiler.start()
    d = run_docket(engine, events, capture)
    if profiler is not None:
        profiler.stop()
        Path(args.profile).write_text(profiler.output_text(unicode=True, color=False, show_all=False))
    seconds = d["handle"] + d["advance"]
    rate = metric("events_per_second", d["events"] / seconds, "events/s", 20_000,
                  label="每秒判定事件数（含按日推进时间）events/s incl. daily advance")
    metric("events_per_second_handle_only", d["events"] / d["handle"], "events/s", None, label="仅 handle events/s")
    metric("docket_events", d["events"], "events", None, label=f"台账事件数（{size:,} 个主体，生成 {gen_seconds:.1f} s）")
    metric("docket_error_rate", 100 * (d["errors"] + d["rejected"]) / d["events"], "%", 1, lower_is_better=True,
           label=f"出错或被拒事件占比 errors {d['errors']} + rejected {d['rejected']}")
    metric("docket_actions", d["actions"], "actions", None, label="产生的动作数 actions")
    lat = d["latencies"]
    metric("latency_p50_ms", 1000 * lat[len(lat) // 2], "ms", None, label="单事件延迟 p50")
    metric("latency_p99_ms", 1000 * lat[int(len(lat) * 0.99)], "ms", 1, lower_is_better=True, label="单事件延迟 p99")
    metric("gc_share_of_docket_time", 100 * d["gc"] / seconds, "%", None,
           label="其中 Python 循环垃圾回收占用的时间（gc.callbacks；主机可在载入状态后 gc.freeze()）")
    metric("rss_growth_docket_mb", rss_mb() - rss_before, "MB", None,
           label=f"台账运行 RSS 增长（保留 {len(engine.states):,} 个主体状态）")

    fc = floor_and_ceiling(engine, capture)
    metric("floor_python_predicates_facts_per_second", fc["python"], "facts/s", None,
           label=f"下限参照：纯 Python 谓词（{fc['facts']:,} 个事实）")
    metric("durable_rules_one_fact_per_call_per_second", fc["durable"], "facts/s", None,
           label="durable-rules 断言/撤回，每次 1 个事实")
    metric("durable_rules_batched_per_second", fc["durable_batched"], "facts/s", None,
           label="Runtime.evaluate 每次 1,000 个事实（一次 assert_facts）")
    metric("engine_vs_durable_rules_one_fact", rate / fc["durable"], "x", None, label="引擎 / durable-rules 单事实")
    metric("engine_vs_python_floor", rate / fc["python"], "x", None, label="引擎 / 纯 Python 谓词")
    metric("share_of_time_in_durable_rules", 100 * rate / fc["durable"], "%", None,
           label="durable-rules 占每事件时间的估计 share of time")
    del events, capture, engine
    gc.collect()

    s = run_daily_sweep(sweep_size)
    metric("sweep_items_per_second", s["subjects"] * s["days"] / s["seconds"], "items/s", 20_000,
           label=f"每日新时刻扫描：{s['subjects']:,} 个未结事项连续推进 {s['days']} 天（每天0时一次 advance），"
                 f"未结事项数×天数/总时间（{s['firings']:,} 次到期检查，{s['actions']:,} 个动作）")
    metric("sweep_slowest_day_items_per_second", s["subjects"] / s["slowest"], "items/s", 20_000,
           label=f"其中最慢的一天：{s['subjects']:,} 个未结事项 / {s['slowest']:.3f} s（{s['slowest_due']:,} 次到期检查）")
    del s
    gc.collect()
    s = run_sweep(sweep_size)
    metric("sweep_all_due_items_per_second", s["subjects"] / s["seconds"], "items/s", 20_000,
           label=f"最坏情形：一次推进到 {s['instant'][:16]}，每个未结事项至少一条时间规则到期（{s['subjects']:,} 个事项，"
                 f"{s['firings']:,} 次到期检查，{s['actions']:,} 个动作）")
    metric("gc_share_of_all_due_sweep", 100 * s["gc"] / s["seconds"], "%", None, label="其中 Python 循环垃圾回收占用的时间")

    for r in bench_calendar.run(args.quick):
        RESULTS.append(r)
        LABELS[r["name"]] = "日历 calendar"
        print(json.dumps(r, ensure_ascii=False), flush=True)

    for r in bench_growth.run(args.quick):
        RESULTS.append({k: v for k, v in r.items() if k != "label"})
        LABELS[r["name"]] = r["label"]

    done, growth, _ = bench_growth.decisions(decisions, keep_ids=False)
    metric("rss_growth_mb_per_1m_decisions", growth * 1_000_000 / max(done, 1), "MB", 20,
           lower_is_better=True,
           label=f"RSS 增长（实测 {done:,} 次判定 {growth:.1f} MB，折算到 1,000,000 次）"
                 + ("，quick：按比例折算" if args.quick else ""))
    metric("open_sessions", 1, "sids", 1024, lower_is_better=True, label="durable-rules 会话数（始终复用一个 sid）")

    print_table()
    print(f"\n机器 machine: {info['nproc']} CPU, {info['cpu']}, Python {info['python']}, "
          f"durable_rules {info['durable_rules']}, pydantic {info['pydantic']}")


if __name__ == "__main__":
    main()
