"""The ``duchaplugin`` command: replay, packs, coverage, calendar, schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from duchaplugin.calendar import cli as calendar_cli
from duchaplugin.service import cli as service_cli


def _engine():
    from duchaplugin.engine import Engine

    return Engine()


def _replay(args: argparse.Namespace) -> int:
    from duchaplugin import texttable
    from duchaplugin.errors import DuchaError
    from duchaplugin.ledger import Ledger
    from duchaplugin.replay import format_jsonl_row, load_state, save_state

    table = args.format == "table"
    out = sys.stdout
    engine = _engine()
    state = Path(args.state) if args.state else None
    if state is not None:
        try:
            load_state(engine, state)
        except (DuchaError, OSError) as exc:
            print(f"无法读取状态文件 {state}：{exc} / cannot read the state file {state}: {exc}", file=sys.stderr)
            return 2
    ledger = Ledger(engine.packs)
    timeline: list = []

    def write(actions):
        ledger.actions(actions)
        if table:
            timeline.extend(actions)
        else:
            for action in actions:
                out.write(format_jsonl_row(action) + "\n")

    result = _run_events(args, engine, write, ledger.event if table else None)
    if result is None:
        return 2
    if state is not None:
        save_state(engine, state)
    if table:
        entries = ledger.entries(engine.states.values())
        parts = [texttable.timeline(timeline), texttable.ledger(entries, result.end)]
        scores = ledger.scores(entries)
        parts += [texttable.scores(scores)] if scores else []
        out.write("\n\n".join(parts) + "\n")
    for message in result.notes + result.errors:
        print(message, file=sys.stderr)
    if table:
        print(f"共处理事件 {result.events} 条，产生动作 {result.actions} 条，错误 {len(result.errors)} 条", file=sys.stderr)
    return 1 if result.errors else 0


def _run_events(args: argparse.Namespace, engine, on_actions, on_event):
    """Replay ``args.events`` (a file or ``-``) up to ``args.until``; None when it cannot be read."""
    from duchaplugin.replay import replay

    try:
        source = open(args.events, encoding="utf-8") if args.events != "-" else sys.stdin
    except OSError as exc:
        print(f"无法读取事件文件：{exc} / cannot read the events file: {exc}", file=sys.stderr)
        return None
    with source:
        return replay(source, engine, on_actions, until=args.until, on_event=on_event)


def _ledger(args: argparse.Namespace) -> int:
    from duchaplugin import texttable
    from duchaplugin.ledger import Ledger

    engine = _engine()
    if args.pack and args.pack not in engine.packs:
        print(f"未安装规则包 {args.pack} / pack {args.pack} is not installed", file=sys.stderr)
        return 2
    ledger = Ledger(engine.packs)
    result = _run_events(args, engine, ledger.actions, ledger.event)
    if result is None:
        return 2
    entries = ledger.entries(engine.states.values(), pack=args.pack)
    scores = ledger.scores(entries, pack=args.pack)
    if args.xlsx:
        from duchaplugin.ledger_xlsx import write_xlsx

        try:
            path = write_xlsx(args.xlsx, entries, scores, result.end)
        except OSError as exc:
            print(f"无法写入台账文件：{exc} / cannot write the ledger file: {exc}", file=sys.stderr)
            return 2
        print(f"督查台账已写入 {path}：事项 {len(entries)} 项，督办记录 {sum(len(e.records) for e in entries)} 条，"
              f"考核结果 {len(scores)} 条 / ledger written", file=sys.stderr)
    else:
        parts = [texttable.ledger(entries, result.end)] + ([texttable.scores(scores)] if scores else [])
        sys.stdout.write("\n\n".join(parts) + "\n")
    for message in result.notes + result.errors:
        print(message, file=sys.stderr)
    return 1 if result.errors else 0


def _packs(args: argparse.Namespace) -> int:
    from duchaplugin.coverage import default_features_dir, feature_scenarios, pack_coverage

    engine = _engine()
    scenarios = feature_scenarios(default_features_dir())
    for pack in engine.packs.values():
        coverage = pack_coverage(pack, engine.packs.values(), scenarios)
        done = sum(c.accounted for c in coverage)
        print(f"{pack.id}\t{pack.number}《{pack.title}》\t发布 {pack.issued} 施行 {pack.effective}"
              f"{'　继承 ' + pack.extends if pack.extends else ''}\t条款覆盖 {done}/{len(coverage)}")
    return 0


def _coverage(args: argparse.Namespace) -> int:
    from duchaplugin.coverage import STATUS_ZH, default_features_dir, feature_scenarios, pack_coverage

    engine = _engine()
    if args.pack and args.pack not in engine.packs:
        print(f"未安装规则包 {args.pack} / pack {args.pack} is not installed", file=sys.stderr)
        return 2
    scenarios = feature_scenarios(Path(args.features) if args.features else default_features_dir())
    report = {}
    missing = 0
    for pack in engine.packs.values():
        if args.pack and pack.id != args.pack:
            continue
        coverage = pack_coverage(pack, engine.packs.values(), scenarios)
        missing += sum(not c.accounted for c in coverage)
        report[pack.id] = {"document": pack.number, "title": pack.title, "clauses": [c.to_json() for c in coverage]}
        if not args.json:
            print(f"== {pack.id} {pack.number}《{pack.title}》")
            for c in coverage:
                print(f"{c.path}\t[{STATUS_ZH[c.status]}]")
                if c.reason and c.status == "reason":
                    print(f"    理由：{c.reason}")
                for rule in c.rules:
                    print(f"    规则：{rule}")
                for scenario in c.scenarios:
                    print(f"    场景：{scenario}")
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        print()
    return 1 if missing else 0


def _spec(args: argparse.Namespace) -> int:
    from duchaplugin.errors import DuchaError
    from duchaplugin.specsite import build_site

    engine = _engine()
    if args.pack and args.pack not in engine.packs:
        print(f"未安装规则包 {args.pack} / pack {args.pack} is not installed", file=sys.stderr)
        return 2
    try:
        written = build_site(engine, args.html, args.pack, args.results, args.features)
    except (DuchaError, OSError) as exc:
        print(f"无法生成规格说明：{exc} / cannot write the specification: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


def _schema(args: argparse.Namespace) -> int:
    from duchaplugin.schemas import write_schemas

    for path in write_schemas(Path(args.directory) if args.directory else None):
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="duchaplugin", description="政府督查督办规则引擎 / rules engine for government supervision work")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("replay", help="回放事件历史，输出动作 / replay an event history")
    p.add_argument("events", help="事件文件（JSON Lines；- 为标准输入）/ events file (JSON Lines, - for stdin)")
    p.add_argument("--until", help="推进到该时刻（默认最后事件时间）/ advance time to this instant")
    p.add_argument("--format", choices=["jsonl", "table"], default="jsonl", help="jsonl（机器）或 table（时间线）")
    p.add_argument("--state", metavar="STATE.json",
                   help="从该状态文件继续（若存在），结束时原子地写回 / continue from this state file if it exists, save it back atomically")
    p.set_defaults(func=_replay)
    p = commands.add_parser("ledger", help="督查台账（xlsx 或表格）/ the supervision ledger (xlsx or a table)")
    p.add_argument("events", help="事件文件（JSON Lines；- 为标准输入）/ events file (JSON Lines, - for stdin)")
    p.add_argument("--until", help="推进到该时刻（默认最后事件时间）/ advance time to this instant")
    p.add_argument("--pack", help="只列该规则包的事项 / only this pack's items")
    p.add_argument("--xlsx", help="写入 Excel 文件（否则在终端显示）/ write an .xlsx file (else print a table)")
    p.set_defaults(func=_ledger)
    p = commands.add_parser("packs", help="已安装的规则包 / installed packs")
    p.set_defaults(func=_packs)
    p = commands.add_parser("coverage", help="条款覆盖情况 / clause coverage")
    p.add_argument("pack", nargs="?", help="规则包编号 / pack id")
    p.add_argument("--json", action="store_true")
    p.add_argument("--features", help="features 目录 / features directory")
    p.set_defaults(func=_coverage)
    p = commands.add_parser("spec", help="发布规格说明（静态网页）/ publish the specification as a static site")
    p.add_argument("pack", nargs="?", help="规则包编号（默认全部）/ pack id (default: all)")
    p.add_argument("--html", required=True, help="输出目录 / output directory")
    p.add_argument("--results", help="最近一次测试结果：pytest --cucumberjson 的文件 / cucumber JSON of the latest test run")
    p.add_argument("--features", help="features 目录 / features directory")
    p.set_defaults(func=_spec)
    p = commands.add_parser("schema", help="生成契约的 JSON Schema / write the contract's JSON Schemas")
    p.add_argument("directory", nargs="?")
    p.set_defaults(func=_schema)
    calendar_cli.add_parser(commands)
    service_cli.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
