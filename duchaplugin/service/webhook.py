"""``--webhook URL``: the outbox POSTed in order, in batches, until the receiver answers 2xx.

Body: ``{"actions": [...], "next": SEQ}`` (the feed's shape). A failure (network error, non-2xx,
timeout) is retried with exponential backoff (0.5 s doubling to 60 s); the batch is re-sent
whole, so a receiver may see an action twice and de-duplicates by its ``id`` (stable) or ``seq``.
The position reached is stored in the database (``ducha_meta``, one per URL), so a restart or a
take-over by another node continues from it. Redirects are followed only to the same scheme, host
and port; a redirect elsewhere counts as a failure (an attacker who controls the receiver's
answers must not be able to send 督办 actions to another host). The feed stays the source of truth.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import httpx

from duchaplugin.service import outbox

if TYPE_CHECKING:
    from duchaplugin.service.node import Node

log = logging.getLogger("duchaplugin.service.webhook")
MAX_HOPS = 5


class Webhook:
    def __init__(self, node: "Node", url: str, *, batch: int = 100, timeout: float = 10.0,
                 backoff: tuple[float, float] = (0.5, 60.0)) -> None:
        self.node, self.url, self.batch = node, url, batch
        self.key = f"webhook:{url}"
        self.first_backoff, self.max_backoff = backoff
        self.client = httpx.Client(follow_redirects=False, timeout=timeout, trust_env=False)
        self.delivered: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="duchaplugin-webhook", daemon=True)
        node.metrics.bind_lag(self.lag)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.node.wake.set()
        self._thread.join(timeout=15)
        self.client.close()

    def lag(self) -> float | None:
        if not self.node.active or self.delivered is None:
            return None
        return self.node._heads["actions"] - self.delivered

    def _run(self) -> None:
        backoff = self.first_backoff
        while not self._stop.is_set():
            if not self.node.active:
                self.delivered = None
                self._stop.wait(1.0)
                continue
            try:
                if self.delivered is None:
                    self.delivered = int(self.node.db.get_meta(self.key) or 0)
                actions, upto = outbox.feed(self.node.db, self.delivered, self.batch)
            except Exception:
                log.exception("读取发件箱失败 / cannot read the outbox")
                self._stop.wait(backoff)
                continue
            if not actions:
                self.node.wake.wait(1.0)
                self.node.wake.clear()
                continue
            if self.send(json.dumps({"actions": actions, "next": upto}, ensure_ascii=False).encode()):
                self.node.db.put_meta(self.key, str(upto))
                self.delivered, backoff = upto, self.first_backoff
            else:
                self._stop.wait(backoff)
                backoff = min(backoff * 2, self.max_backoff)

    def send(self, body: bytes) -> bool:
        """POST ``body``; True on a 2xx (after same-origin redirects only)."""
        url = self.url
        for _ in range(MAX_HOPS):
            try:
                response = self.client.post(url, content=body, headers={"Content-Type": "application/json; charset=utf-8"})
            except httpx.HTTPError as exc:
                log.warning("webhook 发送失败，将重试 / webhook failed, will retry: %s", type(exc).__name__)
                return False
            if response.is_success:
                return True
            location = response.headers.get("location")
            if not response.is_redirect or not location:
                log.warning("webhook 返回 %s，将重试 / webhook answered %s, will retry", response.status_code, response.status_code)
                return False
            target = urljoin(url, location)
            if _origin(target) != _origin(self.url):
                log.warning("webhook 重定向到其他主机，拒绝跟随 / webhook redirected to another host, not followed: %s",
                            urlsplit(target).netloc)
                return False
            url = target
        log.warning("webhook 重定向次数过多 / too many webhook redirects")
        return False


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, parts.hostname, port
