"""A process that continues histories from exported state (for tests/test_state.py).

Reads one JSON request per line — ``{"state": "<exported state as JSON text>", "ops": [...]}`` —
restores the state into its engine (a new process: nothing shared with the exporter), runs the
operations and answers ``{"out": [...]}`` (or ``{"error": "..."}``) on one line.
"""

from __future__ import annotations

import json
import sys

from duchaplugin import Engine
from tests.histories import run_ops


def main() -> None:
    engine = Engine(entry_points=False)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            engine.restore_state(json.loads(request["state"]))
            answer = {"out": run_ops(engine, request["ops"])}
        except Exception as exc:  # reported to the test, which fails with it
            answer = {"error": repr(exc)}
        print(json.dumps(answer, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
