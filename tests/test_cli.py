"""The installed ``duchaplugin`` command never shows a traceback for a user's mistake: each finding
of a new user's first hour, driven through the command as a user runs it (a subprocess)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from duchaplugin import __version__
from duchaplugin.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
COMMAND = Path(sys.executable).with_name("duchaplugin")
FIRST = {"id": "1", "subject": "A", "type": "conclusion_received", "at": "2025-09-20T10:00", "pack": "cn",
         "data": {"target": "甲县人民政府"}}
SECOND = {"id": "2", "subject": "A", "type": "review_requested", "at": "2025-10-09T10:00", "data": {"target": "甲县人民政府"}}


def run(*args: str | Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(COMMAND), *map(str, args)], input=stdin, capture_output=True, timeout=120)
    out = subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8"))
    assert "Traceback" not in out.stderr, out.stderr
    return out


def jsonl(*events: dict) -> str:
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events)


def once(text: str, *parts: str) -> None:
    """Each part is said exactly once (a message in both languages, each language once)."""
    for part in parts:
        assert text.count(part) == 1, f"{part!r} appears {text.count(part)} times in:\n{text}"


def test_a_byte_order_mark_on_stdin_a_repeated_id_and_the_summary_in_both_languages() -> None:
    result = run("replay", "-", "--format", "table", stdin=b"\xef\xbb\xbf" + jsonl(FIRST, SECOND, SECOND).encode("utf-8"))
    assert result.returncode == 0, result.stderr
    assert "动作时间线" in result.stdout and "督查台账" in result.stdout
    once(result.stderr, "第3行：事件编号 2 已处理过，忽略 / line 3: event id 2 already processed, ignored")
    once(result.stderr, "共处理事件 2 条，产生动作 1 条，错误 0 条 / 2 events processed, 1 actions, 0 errors")


def test_a_gbk_file_is_read_with_encoding_and_the_error_says_so(tmp_path: Path) -> None:
    path = tmp_path / "gbk.jsonl"
    path.write_bytes(jsonl(FIRST, SECOND).encode("gbk"))
    wrong = run("replay", path)
    assert wrong.returncode == 1 and "第1行" in wrong.stderr and "line 2" in wrong.stderr
    assert "--encoding gb18030" in wrong.stderr
    right = run("replay", path, "--encoding", "gb18030")  # GB18030 reads GBK; --encoding gbk works too
    assert right.returncode == 0 and [json.loads(l)["kind"] for l in right.stdout.splitlines()] == ["requirement"]


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    events = [dict(FIRST, id=f"c{i}", subject=f"S{i}") for i in range(800)]
    events += [dict(SECOND, id=f"r{i}", subject=f"S{i}") for i in range(800)]
    path = tmp_path / "many.jsonl"
    path.write_text(jsonl(*events), encoding="utf-8")
    process = subprocess.Popen([str(COMMAND), "replay", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b'{"id"')
    process.stdout.close()  # `| head -1`
    stderr = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == 141
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr and "Exception ignored" not in stderr


@pytest.mark.parametrize("args, zh, en", [
    (["replay", "x.jsonl", "--format", "xml"], "参数 --format 的取值 'xml' 无效", "argument --format: invalid choice: 'xml'"),
    (["replay", "x.jsonl", "--untill", "2025-01-01"], "无法识别的参数：--untill 2025-01-01", "unrecognized arguments: --untill"),
    (["replay"], "缺少必填参数：events", "the following arguments are required: events"),
    (["replay", "x.jsonl", "--until", "tomorrow"], "参数 --until：不是 ISO-8601 日期时间：'tomorrow'",
     "argument --until: not an ISO-8601 datetime: 'tomorrow'"),
    (["replay", "x.jsonl", "--until", "2025-13-45"], "不是 ISO-8601 日期时间：'2025-13-45'", "not an ISO-8601 datetime: '2025-13-45'"),
    (["replay", "x.jsonl", "--encoding", "klingon"], "未知的编码 'klingon'", "unknown encoding 'klingon'"),
    (["calendar", "add", "2025-02-30", "3"], "日期无效：'2025-02-30'", "invalid date: '2025-02-30'"),
    (["new-pack", "cn-county"], "缺少必填参数：--extends", "required: --extends"),
    (["schema"], "缺少必填参数：DIR", "required: DIR"),
    (["frobnicate"], "参数 COMMAND 的取值 'frobnicate' 无效", "invalid choice: 'frobnicate'"),
])
def test_a_bad_option_or_date_is_one_message_in_each_language(args: list[str], zh: str, en: str) -> None:
    result = run(*args)
    assert result.returncode == 2 and result.stdout == ""
    once(result.stderr, zh, en)
    assert "Value error" not in result.stderr


def test_an_events_file_that_cannot_be_opened_is_said_so(tmp_path: Path) -> None:
    result = run("replay", tmp_path / "missing.jsonl")
    assert result.returncode == 2 and "无法读取事件文件" in result.stderr and "cannot read the events file" in result.stderr


def test_each_unreadable_line_is_one_error_and_the_others_are_processed(tmp_path: Path) -> None:
    lines = [
        jsonl(FIRST).encode(),
        b"[" * 100_000 + b"]" * 100_000 + b"\n",  # deeply nested
        b'{"id": "x", "subject": "\xff\xfe"}\n',  # not UTF-8
        b'{"id": "y", "text": "' + b"x" * (1 << 20) + b'"}\n',  # longer than a line may be
        jsonl(dict(SECOND, id="3", at="2025-13-45")).encode(),  # no such date
        jsonl(dict(SECOND, id="4", subject="B", pack="cn", data={"target": "x" * 20_000})).encode(),
        jsonl(dict(SECOND, id="5", subject="C", pack="cn", type="conclusion_issued",
                   data={"targets": [f"单位{i}" for i in range(2_000)]})).encode(),
        jsonl(SECOND).encode(),
    ]
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"".join(lines))
    result = run("replay", path)
    assert result.returncode == 1
    err = result.stderr
    once(err, "第2行：JSON 嵌套过深", "line 2: JSON nested too deeply")
    once(err, "第3行：第", "不是 utf-8 编码的文字", "line 3: not utf-8 text")
    once(err, "第4行：行过长", "line 4: line too long")
    once(err, "第5行：字段 at：取值不符合要求：不是 ISO-8601 日期时间：'2025-13-45'", "line 5: field at: invalid value: not an ISO-8601")
    once(err, "第6行：字段 data.target：文字过长（20000 字，上限 10000）", "line 6: field data.target: text too long")
    once(err, "第7行：字段 data.targets：列表过长（2000 项，上限 1000）", "line 7: field data.targets: list too long")
    assert "Value error" not in err
    once(err, "共处理事件 2 条，产生动作 1 条，错误 6 条", "2 events processed, 1 actions, 6 errors")
    assert [json.loads(l)["kind"] for l in result.stdout.splitlines()] == ["requirement"]


def test_until_before_the_events_is_warned_and_the_ledger_says_how_far_it_went(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(jsonl(FIRST, SECOND), encoding="utf-8")
    result = run("replay", path, "--until", "2025-01-01", "--format", "table")
    assert result.returncode == 0
    once(result.stderr, "--until 2025-01-01T00:00:00+08:00 早于最后一个事件的时间 2025-10-09T10:00:00+08:00",
         "is before the last event (2025-10-09T10:00:00+08:00)")
    assert "督查台账（截至 2025-10-09 10:00）" in result.stdout
    once(result.stderr, "共处理事件 2 条", "2 events processed")


def test_schema_creates_its_directory_and_writes_nowhere_else(tmp_path: Path) -> None:
    shipped = {p.name: p.stat().st_mtime_ns for p in (ROOT / "duchaplugin" / "schemas").glob("*.json")}
    target = tmp_path / "out" / "schemas"
    result = run("schema", target)
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in target.iterdir())
    assert written == sorted(shipped) and list(tmp_path.iterdir()) == [tmp_path / "out"]
    assert {p.name: p.stat().st_mtime_ns for p in (ROOT / "duchaplugin" / "schemas").glob("*.json")} == shipped
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    refused = run("schema", blocked / "sub")
    assert refused.returncode == 2 and "无法写入目录" in refused.stderr and "cannot write into" in refused.stderr


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith(f"duchaplugin {__version__}")


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += [((*prefix, name), sub), *_commands(sub, (*prefix, name))]
    return found


COMMANDS = _commands(build_parser())


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_every_command_and_option_has_help(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    parser = dict(COMMANDS)[path]
    assert parser.description, f"{' '.join(path)} has no description"
    undocumented = [a.dest for a in parser._actions if not a.help and not isinstance(a, argparse._SubParsersAction)]
    assert not undocumented, f"{' '.join(path)}: options without help: {undocumented}"
    with pytest.raises(SystemExit) as exit_:
        main([*path, "-h"])
    assert exit_.value.code == 0 and parser.description.split()[0] in capsys.readouterr().out


def test_help_through_the_installed_command() -> None:
    result = run("replay", "-h")
    assert result.returncode == 0 and "--encoding" in result.stdout and "回放事件历史" in result.stdout


def test_importing_on_an_unsupported_python_says_why_in_one_line() -> None:
    code = "import sys; sys.version_info = (3, 13, 0, 'final', 0); import duchaplugin"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    last = result.stderr.strip().splitlines()[-1]
    assert result.returncode == 1 and last.startswith("ImportError: duchaplugin 需要 Python 3.11 或 3.12，当前为 3.13")
    assert "duchaplugin needs Python 3.11 or 3.12, this is 3.13" in last and "PyEval_CallObject" in last
