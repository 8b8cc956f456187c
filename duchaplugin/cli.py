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
    from duchaplugin.ledger import Ledger, format_ledger
    from duchaplugin.replay import format_jsonl_row, format_table_row, replay

    table = args.format == "table"
    row = format_table_row if table else format_jsonl_row
    out = sys.stdout
    ledger = Ledger()

    def write(actions):
        ledger.actions(actions)
        for action in actions:
            out.write(row(action) + "\n")

    try:
        source = open(args.events, encoding="utf-8") if args.events != "-" else sys.stdin
    except OSError as exc:
        print(f"无法读取事件文件：{exc} / cannot read the events file: {exc}", file=sys.stderr)
        return 2
    engine = _engine()
    with source:
        result = replay(source, engine, write, until=args.until, on_event=ledger.event if table else None)
    if table:
        out.write("\n" + "\n".join(format_ledger(ledger.rows(list(engine.states.values())), result.end)) + "\n")
    for message in result.notes + result.errors:
        print(message, file=sys.stderr)
    if table:
        print(f"共处理事件 {result.events} 条，产生动作 {result.actions} 条，错误 {len(result.errors)} 条", file=sys.stderr)
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
    p.set_defaults(func=_replay)
    p = commands.add_parser("packs", help="已安装的规则包 / installed packs")
    p.set_defaults(func=_packs)
    p = commands.add_parser("coverage", help="条款覆盖情况 / clause coverage")
    p.add_argument("pack", nargs="?", help="规则包编号 / pack id")
    p.add_argument("--json", action="store_true")
    p.add_argument("--features", help="features 目录 / features directory")
    p.set_defaults(func=_coverage)
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
