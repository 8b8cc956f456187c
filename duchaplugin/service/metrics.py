"""``GET /metrics``: Prometheus text (prometheus_client) — events by status, actions by kind, the
decision latency histogram, the outbox's head and the webhook's lag behind it, seconds to the next
check, and whether this node decides."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

if TYPE_CHECKING:
    from duchaplugin.service.node import Node

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.events = Counter("duchaplugin_events", "事件，按结果 / events by status", ["status"], registry=self.registry)
        self.actions = Counter("duchaplugin_actions", "动作，按类型 / actions by kind", ["kind"], registry=self.registry)
        self.latency = Histogram("duchaplugin_decision_seconds", "单事件判定耗时 / time to decide one event",
                                 buckets=(.0005, .001, .002, .005, .01, .02, .05, .1, .25, .5, 1, 2.5),
                                 registry=self.registry)
        self.head = Gauge("duchaplugin_outbox_head_seq", "发件箱最新序号 / the outbox's last seq", registry=self.registry)
        self.lag = Gauge("duchaplugin_outbox_lag_actions", "尚未送达 webhook 的动作数 / actions not yet delivered to the webhook",
                         registry=self.registry)
        self.next_check = Gauge("duchaplugin_next_check_seconds", "距下次检查的秒数 / seconds to the next check",
                                registry=self.registry)
        self.active = Gauge("duchaplugin_active", "本节点是否负责决定 / 1 if this node decides", registry=self.registry)

    def bind(self, node: "Node") -> None:
        self.head.set_function(lambda: node._heads["actions"] if node.active else math.nan)
        self.next_check.set_function(_or_nan(node.next_check_seconds))
        self.active.set_function(lambda: 1.0 if node.active else 0.0)

    def bind_lag(self, lag: Callable[[], float | None]) -> None:
        self.lag.set_function(_or_nan(lag))

    def render(self) -> bytes:
        return generate_latest(self.registry)


def _or_nan(read: Callable[[], float | None]) -> Callable[[], float]:
    def value() -> float:
        result = read()
        return math.nan if result is None else float(result)
    return value
