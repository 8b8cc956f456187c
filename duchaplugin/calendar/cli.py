"""``duchaplugin calendar``: is a day a working day, add N (working) days, count working days.

Answers are in Chinese with ISO dates; provisional results say so. Errors name
the argument, in Chinese and English, and exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date

from duchaplugin.calendar.registry import FIRST, LAST, UnknownRegionError, get_calendar
from duchaplugin.calendar.workcalendar import CalendarRangeError, WorkCalendar

USAGE_ERROR = 2


def _date(text: str) -> date:
    try:
        d = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日期无效：{text!r}（应为 YYYY-MM-DD） / invalid date: {text!r} (expected YYYY-MM-DD)"
        ) from None
    if not FIRST <= d <= LAST:
        raise argparse.ArgumentTypeError(f"日期超出日历范围：{d}（{FIRST}—{LAST}） / date out of calendar range: {d} ({FIRST}..{LAST})")
    return d


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是整数：{text!r} / not an integer: {text!r}") from None


def _calendar(args: argparse.Namespace) -> WorkCalendar:
    try:
        return get_calendar(args.region)
    except UnknownRegionError as exc:
        raise _UsageError(f"--region: {exc}") from None


class _UsageError(Exception):
    pass


def _prefix(cal: WorkCalendar) -> str:
    return f"[{cal.label}] " if cal.region else ""


def _suffix(cal: WorkCalendar, *days: date) -> str:
    reasons = cal.provisional_reasons(*days)
    return f"（暂定：{'；'.join(reasons)}）" if reasons else ""


def _is_workday(args: argparse.Namespace) -> str:
    cal, d = _calendar(args), args.date
    verdict = "是工作日" if cal.is_workday(d) else "不是工作日"
    reason = cal.describe(d)
    detail = "" if reason == "工作日" else f"（{reason}）"
    return f"{_prefix(cal)}{d} {verdict}{detail}{_suffix(cal, d)}"


def _add(args: argparse.Namespace) -> str:
    cal, d, n = _calendar(args), args.date, args.n
    if args.days:
        if n < 1:
            raise _UsageError(f"N: 按日计算的期间须为正整数 a period in days must be positive: {n}")
        try:
            deadline = cal.period_days(d, n)
        except CalendarRangeError as exc:
            raise _UsageError(f"N: {exc}") from None
        moved = f"；{deadline.moved_from} 为休息日，顺延至下一工作日" if deadline.moved_from else ""
        return (
            f"{_prefix(cal)}{d} 加 {n} 日 = {deadline.last_day}"
            f"（期间最后一日，截至24时{moved}；{deadline.overdue_at:%Y-%m-%d %H:%M} 起逾期；依据{deadline.basis}）"
            f"{_suffix(cal, deadline.moved_from or deadline.last_day, deadline.last_day)}"
        )
    try:
        result = cal.add_workdays(d, n)
    except CalendarRangeError as exc:
        raise _UsageError(f"N: {exc}") from None
    verb = "加" if n >= 0 else "减"
    return f"{_prefix(cal)}{d} {verb} {abs(n)} 个工作日 = {result}{_suffix(cal, d, result)}"


def _count(args: argparse.Namespace) -> str:
    cal, a, b = _calendar(args), args.a, args.b
    n = cal.count_workdays(a, b)
    return f"{_prefix(cal)}{a} 至 {b} 有 {n} 个工作日（不含起始日 {a}）{_suffix(cal, a, b)}"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``is-workday``, ``add`` and ``count`` commands to ``parser``."""
    region = argparse.ArgumentParser(add_help=False)
    region.add_argument(
        "--region", default=None, metavar="REGION", help="地区代码，如 xj（新疆维吾尔自治区）；默认全国 region code, e.g. xj"
    )
    sub = parser.add_subparsers(dest="calendar_command", required=True, metavar="COMMAND")
    p = sub.add_parser("is-workday", parents=[region], help="是否工作日 is DATE a working day",
                       description="是否工作日（含调休、地区节日） / is DATE a working day")
    p.add_argument("date", metavar="DATE", type=_date, help="YYYY-MM-DD")
    p.set_defaults(func=_run, answer=_is_workday)
    p = sub.add_parser(
        "add", parents=[region], help="加 N 个工作日（或 --days 按民法典加 N 日） add N working days (or days)",
        description="加 N 个工作日（或 --days 按民法典加 N 日） / add N working days (or days by the Civil Code)",
    )
    p.add_argument("date", metavar="DATE", type=_date, help="起始日（不计入） start day, not counted")
    p.add_argument("n", metavar="N", type=_int, help="天数；工作日可为负数 number; negative counts back (working days)")
    p.add_argument(
        "--days", action="store_true", help="按日计算（民法典第二百零一条、第二百零三条） calendar days by the Civil Code"
    )
    p.set_defaults(func=_run, answer=_add)
    p = sub.add_parser("count", parents=[region], help="A、B 之间的工作日数 working days in (A, B]",
                       description="A、B 之间的工作日数（不含 A，含 B） / working days in (A, B]")
    p.add_argument("a", metavar="A", type=_date, help="起始日（不计入） start day, not counted")
    p.add_argument("b", metavar="B", type=_date, help="截止日（计入） end day, counted")
    p.set_defaults(func=_run, answer=_count)


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``calendar`` on a top-level command's subparsers; the parsed args' ``func(args)`` runs it."""
    parser = subparsers.add_parser(
        "calendar", help="工作日与期间计算 working days and periods", description="工作日与期间计算 working days and periods"
    )
    configure(parser)
    return parser


def _run(args: argparse.Namespace) -> int:
    """Print the answer; errors go to stderr with exit status 2."""
    try:
        print(args.answer(args))
    except _UsageError as exc:
        print(f"错误 error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``calendar`` on its own (``python -m duchaplugin.calendar is-workday 2025-10-08``)."""
    parser = argparse.ArgumentParser(prog="python -m duchaplugin.calendar", description="工作日与期间计算 working days and periods")
    configure(parser)
    args = parser.parse_args(argv)
    return args.func(args)
