"""Bounded growth (not a test): RSS after creating and closing engines, after parameter changes,
over many decisions, for processed event ids, and during a long catch-up ``advance``.

``python benchmarks/bench_growth.py [--quick]``; ``run(quick)`` returns the metrics for
benchmarks/run.py. Each figure has a target that can fail (issue 12: each Engine used to leave
~3.8 MB of rulesets in the C engine, each ``set_parameter`` ~0.78 MB, and a catch-up over 100k
subjects built one list of ~1M actions, +2.6 GB).
"""

from __future__ import annotations

import gc
import json
import sys
import time
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil  # noqa: E402

from benchmarks import docket  # noqa: E402
from duchaplugin.calendar import BEIJING  # noqa: E402
from duchaplugin.engine import Engine  # noqa: E402
from duchaplugin.state import SeenIds  # noqa: E402


def rss_mb() -> float:
    gc.collect()
    return psutil.Process().memory_info().rss / 2**20


def _metric(name: str, value: float, unit: str, target: float, label: str) -> dict[str, Any]:
    result = {"name": name, "value": round(value, 4), "unit": unit, "target": target, "met": value <= target, "label": label}
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return result


def engines(count: int) -> float:
    """RSS growth after creating, using and closing ``count`` engines (after three warm-ups: the
    process-wide caches — calendar tables, compiled title templates — fill once)."""
    def one() -> None:
        with Engine(entry_points=False) as engine:
            engine.handle({"id": "e1", "subject": "S", "type": "registered", "at": "2025-03-03T09:00", "pack": "cn-yn",
                           "data": {"category": "省人民政府重大决策部署", "handler": "李娜", "title": "测试"}})
    for _ in range(3):
        one()
    base = rss_mb()
    for _ in range(count):
        one()
    return rss_mb() - base


def parameters(count: int) -> float:
    """RSS growth over ``count`` set_parameter calls, each followed by a decision (rulesets rebuilt)."""
    engine = Engine(entry_points=False)
    shifts = ["prev_workday", "next_workday"]
    engine.set_parameter("cn-yn", "summary_report_shift", shifts[1])
    engine.compiled("cn-yn")
    base = rss_mb()
    for k in range(count):
        engine.set_parameter("cn-yn", "summary_report_shift", shifts[k % 2])
        engine.compiled("cn-yn")
    growth = rss_mb() - base
    engine.close()
    return growth


def decisions(count: int, keep_ids: bool) -> tuple[int, float, float]:
    """Decisions in rounds of 2,000 subjects; between rounds the host takes the states away
    (restore_state of an empty export; ``keep_ids``: with the processed ids kept, as a host that
    archives closed subjects), so growth is the engine's own. Returns decisions measured (after a
    warm-up round), RSS growth (MB) and seconds."""
    engine = Engine(entry_points=False)
    template = docket.generate(engine, 2000, seed=7)
    blank = engine.export_state()
    done, round_, base, base_done = 0, 0, 0.0, 0
    start = time.perf_counter()
    while done < count:
        for event in template:  # within the calendar's range: the years repeat, the ids do not
            e = {**event, "id": f"r{round_}-{event['id']}", "subject": f"{event['subject']}-r{round_}",
                 "at": event["at"] + timedelta(days=400 * (round_ % 30)), "data": dict(event["data"])}
            try:
                engine.handle(e)
            except Exception:  # ContractError, or a pack in mid-edit
                pass
            done += 1
            if done >= count:
                break
        engine.restore_state({**blank, "seen": engine.export_state()["seen"]} if keep_ids else blank)
        round_ += 1
        if round_ == 1:  # after one round: interpreter, packs, calendar tables all warm
            base, base_done = rss_mb(), done
    growth = rss_mb() - base
    engine.close()
    return done - base_done, growth, time.perf_counter() - start


def seen_ids(count: int) -> tuple[float, float, int]:
    """Bytes per id (traced Python allocations) for ids numbered per subject (``<subject>-<n>``,
    5 per subject) and for one host-wide sequence; and the exported size of the latter."""
    def traced(ids: Iterable[str]) -> tuple[float, SeenIds]:
        tracemalloc.start()
        seen = SeenIds()
        for event_id in ids:
            seen.add(event_id)
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        return size / count, seen

    per_subject, _ = traced(f"DB-2025-{i // 5:07d}-{i % 5}" for i in range(count))
    sequence, seen = traced(f"evt-{i}" for i in range(count))
    return per_subject, sequence, len(json.dumps(seen.to_json()))


def catch_up(size: int) -> tuple[float, int, int]:
    """Peak RSS growth while ``advance_iter`` catches up a docket of ``size`` open items over four
    months (every item's time rules due), batch by batch; and the actions and batches."""
    engine = Engine(entry_points=False)
    events = docket.open_items(engine, size)
    for event in events:
        try:
            engine.handle(event)
        except Exception:
            pass
    last = max(e["at"] for e in events)
    base = peak = rss_mb()
    actions = batches = 0
    for batch in engine.advance_iter(datetime.combine(last.date() + timedelta(days=120), datetime.min.time(), BEIJING)):
        actions += len(batch)
        batches += 1
        if batches % 20 == 0:
            peak = max(peak, psutil.Process().memory_info().rss / 2**20)
    peak = max(peak, psutil.Process().memory_info().rss / 2**20)
    engine.close()
    return peak - base, actions, batches


def run(quick: bool = False) -> list[dict[str, Any]]:
    n_engines, n_params = (20, 40) if quick else (100, 200)
    n_decisions, n_ids, n_catch = (20_000, 200_000, 2_000) if quick else (1_000_000, 1_000_000, 100_000)
    out = [_metric(f"rss_after_{n_engines}_engines_closed_mb", engines(n_engines), "MB", 20,
                   f"创建并关闭 {n_engines} 个引擎后的 RSS 增长（此前每个约 3.8 MB）"),
           _metric(f"rss_after_{n_params}_set_parameter_mb", parameters(n_params), "MB", 20,
                   f"{n_params} 次 set_parameter 后的 RSS 增长（此前每次约 0.78 MB）")]
    done, growth, _ = decisions(n_decisions, keep_ids=True)
    out.append(_metric("rss_growth_mb_per_1m_decisions_ids_kept", growth * 1_000_000 / max(done, 1), "MB", 40,
                       f"判定 {done:,} 次的 RSS 增长，折算到 1,000,000 次（主体按轮归档，事件编号全部保留）"))
    per_subject, sequence, exported = seen_ids(n_ids)
    out += [_metric("seen_bytes_per_id_numbered_per_subject", per_subject, "B", 80,
                    f"{n_ids:,} 个按主体编号的事件编号（每主体 5 个），每个编号占用内存（Python 对象集合约 100 B）"),
            _metric("seen_bytes_per_id_one_sequence", sequence, "B", 1,
                    f"{n_ids:,} 个全局顺序编号，每个编号占用内存"),
            _metric("seen_export_bytes_one_sequence", exported, "B", 200, f"{n_ids:,} 个全局顺序编号导出后的大小")]
    peak, actions, batches = catch_up(n_catch)
    out.append(_metric("catch_up_peak_rss_growth_mb", peak, "MB", 25 if quick else 400,
                       f"advance_iter 追赶 {n_catch:,} 个未结事项四个月（{actions:,} 个动作，{batches} 批）的 RSS 峰值增长"
                       "（此前 10 万事项一次返回约 +2.6 GB；状态本身随时限推进而增长）"))
    return out


if __name__ == "__main__":
    for result in run("--quick" in sys.argv):
        pass
