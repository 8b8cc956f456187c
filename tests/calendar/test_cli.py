"""``duchaplugin calendar``: answers in Chinese, ISO dates, provisional notes, errors with exit status 2."""

import argparse

import pytest

from duchaplugin.calendar.cli import add_parser, main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out.strip(), err


def test_is_workday(capsys):
    assert run(capsys, "is-workday", "2025-10-08")[:2] == (0, "2025-10-08 不是工作日（休息日：国庆节、中秋节）")
    assert run(capsys, "is-workday", "2025-09-28")[:2] == (0, "2025-09-28 是工作日（调休上班日）")
    assert run(capsys, "is-workday", "2025-09-29")[:2] == (0, "2025-09-29 是工作日")


def test_add_working_days_and_back(capsys):
    assert run(capsys, "add", "2025-09-19", "5")[:2] == (0, "2025-09-19 加 5 个工作日 = 2025-09-26")
    assert run(capsys, "add", "2025-09-26", "-5")[:2] == (0, "2025-09-26 减 5 个工作日 = 2025-09-19")


def test_add_days_by_the_civil_code(capsys):
    code, out, _ = run(capsys, "add", "2025-09-26", "5", "--days")
    assert code == 0
    assert out.startswith("2025-09-26 加 5 日 = 2025-10-09")
    assert "2025-10-10 00:00 起逾期" in out and "第二百零三条" in out


def test_count(capsys):
    assert run(capsys, "count", "2025-09-19", "2025-09-26")[:2] == (0, "2025-09-19 至 2025-09-26 有 5 个工作日（不含起始日 2025-09-19）")


def test_region_xj(capsys):
    code, out, _ = run(capsys, "count", "2025-06-01", "2025-06-30", "--region", "xj")
    assert (code, out) == (0, "[新疆维吾尔自治区] 2025-06-01 至 2025-06-30 有 17 个工作日（不含起始日 2025-06-01）")


def test_provisional_results_say_so(capsys):
    code, out, _ = run(capsys, "add", "2026-12-20", "10")
    assert code == 0 and out.endswith("（暂定：2027年放假安排通知尚未发布）")
    _, out, _ = run(capsys, "is-workday", "2026-05-28", "--region", "xj")
    assert "估算" in out and "暂定" in out


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        (["add", "2025-13-01", "3"], "DATE"),
        (["add", "2025-01-01", "x"], "N"),
        (["count", "2025-01-01", "yesterday"], "B"),
        (["is-workday", "1999-12-31"], "DATE"),
        (["add", "2025-01-01", "0", "--days"], "N"),
        (["add", "2040-12-20", "30"], "N"),
        (["count", "2025-01-01", "2025-01-05", "--region", "zz"], "--region"),
    ],
)
def test_errors_name_the_argument_in_chinese_and_english(capsys, argv, names):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert names in err
    assert any("\u4e00" <= c <= "\u9fff" for c in err) and any(c.isascii() and c.isalpha() for c in err)


def test_add_parser_registers_calendar_on_a_top_level_command(capsys):
    top = argparse.ArgumentParser(prog="duchaplugin")
    add_parser(top.add_subparsers(dest="command"))
    args = top.parse_args(["calendar", "is-workday", "2025-10-11"])
    assert args.func(args) == 0
    assert capsys.readouterr().out.strip() == "2025-10-11 是工作日（调休上班日）"
