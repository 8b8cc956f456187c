"""``--webhook``: the outbox POSTed in order until a 2xx, redirects only within the same host."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Callable, Iterator

import pytest

from duchaplugin.service.metrics import Metrics
from duchaplugin.service.webhook import Webhook
from tests.service.conftest import events, post_like_replay


class Receiver:
    """A local HTTP receiver answering each POST with ``answer(path, number)`` → (status, headers)."""

    def __init__(self, answer: Callable[[str, int], tuple[int, dict[str, str]]], host: str = "127.0.0.1") -> None:
        self.bodies: list[tuple[str, dict]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status, headers = answer(self.path, len(receiver.bodies))
                receiver.bodies.append((self.path, body))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.http = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def receivers() -> Iterator[list[Receiver]]:
    made: list[Receiver] = []
    yield made
    for receiver in made:
        receiver.close()


def test_the_outbox_arrives_in_order_after_failures(server_factory, receivers) -> None:
    receiver = Receiver(lambda path, n: (503 if n < 2 else 200, {}))
    receivers.append(receiver)
    server = server_factory("--clock", "manual", "--webhook", receiver.url + "/hook")
    post_like_replay(server, events("docket.jsonl"), until="2025-12-31")
    feed = server.feed()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        delivered = {a["seq"]: a for path, body in receiver.bodies[2:] for a in body["actions"]}
        if len(delivered) == len(feed):
            break
        time.sleep(0.1)
    firsts = [body["actions"][0]["seq"] for _, body in receiver.bodies[:3]]
    assert firsts == [1, 1, 1]  # the failed batch is sent again from where it failed
    sent = [a for _, body in receiver.bodies[2:] for a in body["actions"]]
    assert sent == feed  # in order, each once after the failures
    assert receiver.bodies[-1][1]["next"] == feed[-1]["seq"]


def test_redirects_are_followed_only_within_the_same_host(receivers) -> None:
    other = Receiver(lambda path, n: (200, {}), host="127.0.0.2")
    receivers.append(other)
    here = Receiver(lambda path, n: {"/moved": (307, {"Location": "/final"}), "/final": (204, {}),
                                     "/away": (307, {"Location": other.url + "/steal"})}[path])
    receivers.append(here)
    node = SimpleNamespace(metrics=Metrics())
    assert Webhook(node, here.url + "/moved").send(b"{}") is True
    assert [p for p, _ in here.bodies] == ["/moved", "/final"]
    assert Webhook(node, here.url + "/away").send(b"{}") is False
    assert other.bodies == []
