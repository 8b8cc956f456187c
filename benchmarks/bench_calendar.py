"""Benchmark of the working-day calendar (not a test): table look-ups against ``holidays``.

Prints one JSON object per line ``{"name", "value", "unit", "target", "met"}``
then one human line. ``run(quick)`` returns the same objects for a runner.

Targets (shared/design/ARCHITECTURE.md): ≥ 1,000,000 add/count operations per
second, and ≥ 50× ``holidays``' ``get_nth_working_day`` on the same inputs in
the same run; the tables build in < 0.5 s.
"""

from __future__ import annotations

import json
import platform
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import holidays  # noqa: E402

from duchaplugin.calendar import get_calendar, reset  # noqa: E402
from duchaplugin.calendar.national import library_days  # noqa: E402


def _inputs(count: int, seed: int = 20251121) -> tuple[list[tuple[date, int]], list[tuple[date, date]]]:
    """Random (date, n) pairs for add and (a, b) pairs for count, all in 2001–2026."""
    rng = random.Random(seed)
    first, span = date(2001, 1, 1), (date(2026, 10, 1) - date(2001, 1, 1)).days
    adds = [(first + timedelta(days=rng.randrange(span)), rng.randint(1, 60)) for _ in range(count)]
    counts = [(a, a + timedelta(days=rng.randint(0, 90))) for a, _ in adds]
    return adds, counts


def _rate(fn, pairs) -> float:
    """Operations per second of ``fn(x, y)`` over ``pairs``."""
    t = time.perf_counter()
    for x, y in pairs:
        fn(x, y)
    return len(pairs) / (time.perf_counter() - t)


def _metric(name: str, value: float, unit: str, target: float, higher_is_better: bool = True) -> dict:
    met = value >= target if higher_is_better else value <= target
    return {"name": name, "value": round(value, 4), "unit": unit, "target": target, "met": met}


def run(quick: bool = False) -> list[dict]:
    """Measure build time, add/count throughput and the ratios to ``holidays`` in one run."""
    n_ours, n_theirs = (200_000, 2_000) if quick else (2_000_000, 20_000)
    adds, counts = _inputs(n_ours)

    library_days.cache_clear()
    reset()
    t = time.perf_counter()
    cal = get_calendar()
    build = time.perf_counter() - t

    h = holidays.China(years=range(2000, 2028))
    theirs_add = [(d, n) for d, n in adds[:n_theirs]]
    theirs_count = [(a + timedelta(days=1), b) for a, b in counts[:n_theirs]]
    for (d, n), (a, b) in zip(adds[:n_theirs], counts[:n_theirs]):  # same answers on the same inputs
        assert cal.add_workdays(d, n) == h.get_nth_working_day(d, n), (d, n)
        assert cal.count_workdays(a, b) == (h.get_working_days_count(a + timedelta(days=1), b) if b > a else 0)

    add_rate = _rate(cal.add_workdays, adds)
    count_rate = _rate(cal.count_workdays, counts)
    h_add_rate = _rate(h.get_nth_working_day, theirs_add)
    h_count_rate = _rate(h.get_working_days_count, theirs_count)
    return [
        _metric("calendar_build_seconds", build, "s", 0.5, higher_is_better=False),
        _metric("calendar_add_workdays_ops", add_rate, "ops/s", 1_000_000),
        _metric("calendar_count_workdays_ops", count_rate, "ops/s", 1_000_000),
        _metric("holidays_get_nth_working_day_ops", h_add_rate, "ops/s", 0),
        _metric("holidays_get_working_days_count_ops", h_count_rate, "ops/s", 0),
        _metric("calendar_add_vs_holidays_get_nth_working_day", add_rate / h_add_rate, "x", 50),
        _metric("calendar_count_vs_holidays_get_working_days_count", count_rate / h_count_rate, "x", 50),
    ]


def main() -> None:
    results = run(quick="--quick" in sys.argv)
    for r in results:
        print(json.dumps(r, ensure_ascii=False))
    by = {r["name"]: r["value"] for r in results}
    print(
        f"日历基准 calendar: add {by['calendar_add_workdays_ops']:,.0f}/s "
        f"(×{by['calendar_add_vs_holidays_get_nth_working_day']:,.0f} holidays), "
        f"count {by['calendar_count_workdays_ops']:,.0f}/s "
        f"(×{by['calendar_count_vs_holidays_get_working_days_count']:,.0f} holidays), "
        f"build {by['calendar_build_seconds']:.3f} s; "
        f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()} "
        f"{platform.processor() or ''}".rstrip()
    )


if __name__ == "__main__":
    main()
