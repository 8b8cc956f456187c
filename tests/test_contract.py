"""The contract's artefacts: hook documentation, JSON Schemas, replay and the command line."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from duchaplugin.hooks import spec

ROOT = Path(__file__).resolve().parent.parent


def test_every_hook_is_documented() -> None:
    docs = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    hooks = [name for name, _ in inspect.getmembers(spec, inspect.isfunction) if name.startswith("duchaplugin_")]
    assert hooks
    for name in hooks:
        signature = f"## {name}({', '.join(inspect.signature(getattr(spec, name)).parameters)})"
        assert signature in docs, f"docs/hooks.md lacks a section {signature}"
        assert getattr(spec, name).__doc__, f"{name} has no docstring"


def run_cli(*args: str, stdin: str | None = None, columns: int | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": str(columns)} if columns else None  # the width tables are wrapped to
    return subprocess.run([sys.executable, "-m", "duchaplugin.cli", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, env=env)


def test_replay_reports_bad_lines_and_processes_the_rest(tmp_path: Path) -> None:
    lines = [
        {"id": "1", "subject": "A", "type": "conclusion_received", "at": "2025-09-20T10:00", "pack": "cn"},
        "{这不是 JSON",
        {"id": "2", "subject": "A", "type": "review_requested", "at": "2025-10-09T10:00"},
        {"id": "2", "subject": "A", "type": "review_requested", "at": "2025-10-09T10:00"},
        {"id": "3", "subject": "B", "type": "assigned", "at": "2025-10-09"},
    ]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(l if isinstance(l, str) else json.dumps(l, ensure_ascii=False) for l in lines), encoding="utf-8")
    result = run_cli("replay", str(path), "--until", "2025-12-01")
    assert result.returncode == 1
    assert "第2行" in result.stderr and "line 2" in result.stderr
    assert "第5行" in result.stderr and "字段 pack" in result.stderr
    assert "第4行" in result.stderr and "已处理过" in result.stderr
    actions = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["due"] for a in actions if a["kind"] == "requirement"] == ["2025-11-10"]
    assert all(a["basis"]["article"] == "第十七条" for a in actions)
    table = run_cli("replay", str(path), "--format", "table", "--until", "2025-12-01", columns=160)
    assert "【要求】" in table.stdout and "国务院令第733号" in table.stdout and "第十七条" in table.stdout


def test_example_docket_replays_cleanly() -> None:
    for example in sorted((ROOT / "examples").glob("*.jsonl")):
        result = run_cli("replay", str(example), "--format", "table")
        assert result.returncode == 0, f"{example.name}: {result.stderr}"
        assert result.stdout.strip(), f"{example.name} produced no actions"


def test_the_table_ends_with_the_ledger_of_every_subject() -> None:
    """The timeline, then the 督查台账: one row per item, never the packs' own dockets (the rows
    themselves are checked in tests/test_ledger.py, as the spreadsheet)."""
    result = run_cli("replay", str(ROOT / "examples" / "hutubi-2025.jsonl"), "--format", "table", columns=160)
    timeline, ledger = result.stdout.split("督查台账（截至 2025-12-31 23:59）\n", 1)
    assert timeline.startswith("动作时间线")
    header = ledger.splitlines()[1]
    assert [c.strip() for c in header.strip("|").split("|")] == ["编号", "事项", "类别", "责任单位", "责任领导",
                                                                 "办理时限", "落实情况", "办结情况", "督办记录"]
    assert "LS-2025-021" in ledger and "@cn-xj-hutubi" not in ledger
    jsonl = run_cli("replay", str(ROOT / "examples" / "hutubi-2025.jsonl"))
    assert "督查台账" not in jsonl.stdout  # machine output stays one action per line
