"""Load figures of ``duchaplugin serve`` (not tests): ``python benchmarks/service.py [--quick] [--pg URL]``.

A real server in a subprocess on 127.0.0.1 (manual clock, durable commits: SQLite WAL with
``synchronous=FULL``; PostgreSQL with its default ``fsync=on`` / ``synchronous_commit=on``), fed the
seeded synthetic docket of benchmarks/docket.py by a keep-alive HTTP client in this process (client
and server share the machine's cores). For each database:

- ``*_batch_events_per_s``: events decided and committed per second, posted in batches of 100 (the
  clock moved to each batch's first event before it, as a host replaying a day would; those
  requests are included in the time), target ≥ 2,000 /s on SQLite (issue 20);
- ``*_single_post_p50_ms`` / ``*_single_post_p99_ms``: latency of one-event POSTs (one commit each),
  target p99 ≤ 20 ms;
- ``*_rss_*``: the server's RSS after start, after the batches, and at the end of a long run.

Output: one JSON object per line ``{"name", "value", "unit", "target", "met"}``, then a table.
PostgreSQL runs when ``--pg URL`` is given or ``DUCHAPLUGIN_TEST_PG`` is set (a new database is
created there for the run).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
import psutil  # noqa: E402

from benchmarks import docket  # noqa: E402
from benchmarks.run import metric, print_table  # noqa: E402
from duchaplugin.engine import Engine  # noqa: E402
from duchaplugin.models import parse_instant  # noqa: E402
from duchaplugin.service.node import step_through  # noqa: E402
from tests.service.conftest import Server, fresh_postgres  # noqa: E402


def history(size: int, seed: int) -> list[dict[str, Any]]:
    events = docket.generate(Engine(), size=size, seed=seed)
    return json.loads(json.dumps(events, default=lambda o: o.isoformat()))


def rss_mb(server: Server) -> float:
    return psutil.Process(server.process.pid).memory_info().rss / 2**20


def engine_alone(events: list[dict[str, Any]]) -> float:
    """Events/s of one in-process Engine given the same batches and clock moves (no HTTP, no store):
    the ceiling the service's figure is a share of, measured in the same run on the same machine."""
    engine, began = Engine(), time.perf_counter()
    for i in range(0, len(events), 100):
        chunk = events[i:i + 100]
        step_through(engine, parse_instant(chunk[0]["at"]))
        for event in chunk:
            engine.handle(event)
    return len(events) / (time.perf_counter() - began)


def run(name: str, db: str | None, sizes: dict[str, int], directory: Path, ceiling: float) -> None:
    server = Server(directory, db, "--clock", "manual", "--log-level", "warning").start()
    try:
        client = httpx.Client(base_url=server.url, timeout=120)
        start_rss = rss_mb(server)
        batches = history(sizes["batch_subjects"], seed=31)
        posted, began = 0, time.perf_counter()
        for i in range(0, len(batches), 100):
            chunk = batches[i:i + 100]
            assert client.post("/v1/clock", json={"at": chunk[0]["at"]}).status_code in (200, 400)
            answer = client.post("/v1/events", json=chunk)
            assert answer.status_code == 200, answer.text
            posted += len(chunk)
        elapsed = time.perf_counter() - began
        target = 2000 if name == "sqlite" else None
        metric(f"{name}_batch_events_per_s", posted / elapsed, "events/s", target,
               label=f"{name}：{posted:,} 个事件，每批 100，含时钟推进请求，持久提交")
        metric(f"{name}_batch_share_of_engine", posted / elapsed / ceiling, "ratio",
               label=f"{name}：服务吞吐 / 同批事件在进程内引擎上的吞吐（同一次运行）")
        after_batches = rss_mb(server)

        singles = history(sizes["single_subjects"], seed=32)[: sizes["singles"]]
        latencies = []
        for event in singles:
            began = time.perf_counter()
            answer = client.post("/v1/events", json=event)
            latencies.append((time.perf_counter() - began) * 1000)
            assert answer.status_code == 200, answer.text
        latencies.sort()
        metric(f"{name}_single_post_p50_ms", statistics.median(latencies), "ms", label=f"{name}：单事件 POST，{len(latencies):,} 次")
        metric(f"{name}_single_post_p99_ms", latencies[int(len(latencies) * 0.99) - 1], "ms", 20, lower_is_better=True,
               label=f"{name}：单事件 POST 的 p99（每次一个事务）")

        long_run = history(sizes["long_subjects"], seed=33)
        mid_rss, began = None, time.perf_counter()
        for i in range(0, len(long_run), 100):
            chunk = long_run[i:i + 100]
            client.post("/v1/clock", json={"at": chunk[0]["at"]})
            assert client.post("/v1/events", json=chunk).status_code == 200
            if mid_rss is None and i >= len(long_run) // 2:
                mid_rss = rss_mb(server)
        end_rss = rss_mb(server)
        metric(f"{name}_rss_start_mb", start_rss, "MB", label=f"{name}：启动后")
        metric(f"{name}_rss_after_batches_mb", after_batches, "MB", label=f"{name}：{posted:,} 个事件后")
        metric(f"{name}_rss_long_run_second_half_mb", end_rss - (mid_rss or end_rss), "MB",
               label=f"{name}：长跑（{len(long_run):,} 个事件，{sizes['long_subjects']:,} 个主体）后半程的 RSS 增长（含新主体的状态）")
        metric(f"{name}_rss_end_mb", end_rss, "MB", label=f"{name}：长跑结束")
        client.close()
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller docket (about a minute)")
    parser.add_argument("--pg", default=os.environ.get("DUCHAPLUGIN_TEST_PG"), help="PostgreSQL server URL")
    args = parser.parse_args()
    sizes = ({"batch_subjects": 400, "single_subjects": 100, "singles": 300, "long_subjects": 800} if args.quick else
             {"batch_subjects": 2000, "single_subjects": 400, "singles": 2000, "long_subjects": 10000})
    ceiling = metric("engine_alone_events_per_s", engine_alone(history(sizes["batch_subjects"], seed=31)), "events/s",
                     label="进程内引擎（无 HTTP、无存储）同一批事件")
    with tempfile.TemporaryDirectory() as directory:
        run("sqlite", None, sizes, Path(directory), ceiling)
        if args.pg:
            run("postgresql", fresh_postgres(args.pg), sizes, Path(directory), ceiling)
    print_table()
    print(f"\n机器 machine: {os.cpu_count()} CPU, Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
