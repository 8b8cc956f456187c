"""The latest test run of the features, read from pytest-bdd's cucumber JSON (``--cucumberjson=FILE``).

A scenario's result is keyed like the coverage report's scenarios: ``<file under features/>: <name>``.
An outline's examples are one scenario here: failed if any example failed, passed if all passed.
The run's date is the file's modification time (cucumber JSON carries none), in Beijing time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from duchaplugin.calendar import BEIJING
from duchaplugin.errors import DuchaError

STATUS_ZH = {"passed": "通过", "failed": "未通过", "skipped": "跳过", "not_run": "未运行"}


@dataclass
class Results:
    """Scenario → status (``passed``, ``failed``, ``skipped``) of one run, and when it ran."""

    statuses: dict[str, str] = field(default_factory=dict)
    run_at: datetime | None = None
    source: str = ""

    def status(self, scenario: str) -> str:
        return self.statuses.get(scenario, "not_run")


def _element_status(element: dict) -> str:
    steps = [(s.get("result") or {}).get("status", "skipped") for s in element.get("steps") or []]
    if any(s == "failed" for s in steps):
        return "failed"
    if not steps or any(s != "passed" for s in steps):
        return "skipped"
    return "passed"


def read_results(path: str | Path | None) -> Results:
    """The results in ``path``; no path or no file → every scenario 未运行."""
    if path is None or not Path(path).exists():
        return Results()
    path = Path(path)
    try:
        features = json.loads(path.read_text(encoding="utf-8"))
        statuses: dict[str, list[str]] = {}
        for feature in features:
            for element in feature.get("elements") or []:
                if element.get("type", "scenario") != "scenario":
                    continue
                key = f"{feature['uri']}: {element['name']}"
                statuses.setdefault(key, []).append(_element_status(element))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DuchaError(f"测试结果文件不是 pytest-bdd 的 cucumber JSON：{exc}",
                         f"the results file is not pytest-bdd cucumber JSON: {exc}", field=str(path)) from None
    merged = {k: "failed" if "failed" in v else "passed" if all(s == "passed" for s in v) else "skipped"
              for k, v in statuses.items()}
    run_at = datetime.fromtimestamp(path.stat().st_mtime, BEIJING)
    return Results(merged, run_at, path.name)
