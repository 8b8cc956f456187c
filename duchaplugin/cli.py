"""The ``duchaplugin`` command: replay, ledger, packs, coverage, spec, calendar, schema, new-pack.

A user's mistake — a bad option or date, an unreadable file, a broken pack — is one message in
Chinese and English on stderr and a non-zero status, never a traceback. Output piped into a
command that stops reading (``| head``) ends quietly.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import warnings
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn, Sequence

from duchaplugin.calendar import cli as calendar_cli
from duchaplugin.errors import DuchaError, did_you_mean

#: Exit status: a user's mistake (options, files); 1 is "ran, with errors in the input".
USAGE = 2
#: Exit status when stdout was closed by the reader (128 + SIGPIPE, as a shell reports it).
CLOSED_PIPE = 141

_ARGPARSE_ZH = [  # argparse's messages, in Chinese
    (re.compile(r"^unrecognized arguments: (.*)$"), "无法识别的参数：{0}"),
    (re.compile(r"^the following arguments are required: (.*)$"), "缺少必填参数：{0}"),
    (re.compile(r"^argument (\S+): invalid choice: (\S+) \(choose from (.*)\)$"), "参数 {0} 的取值 {1} 无效（可选：{2}）"),
    (re.compile(r"^argument (\S+): expected one argument$"), "参数 {0} 须跟一个值"),
    (re.compile(r"^argument (\S+): invalid \S+ value: (.*)$"), "参数 {0} 的取值 {1} 无效"),
    (re.compile(r"^argument (\S+): ignored explicit argument (.*)$"), "参数 {0} 不接受取值 {1}"),
    (re.compile(r"^ambiguous option: (\S+) could match (.*)$"), "选项 {0} 有歧义，可能是：{1}"),
]


class Parser(argparse.ArgumentParser):
    """argparse with errors in Chinese and English, each said once."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(USAGE, f"{self.prog}：{bilingual(message)}\n")


def bilingual(message: str) -> str:
    """An argparse error as ``中文 / English``; a message that already holds both (a type check of
    ours: ``argument --until: 中文 / English``) is split, not repeated."""
    argument = re.match(r"^argument (\S+): (.*)$", message, re.S)
    if argument and re.search(r"[\u4e00-\u9fff]", argument.group(2)):
        zh, _, en = argument.group(2).partition(" / ")
        return f"参数 {argument.group(1)}：{zh}" + (f" / argument {argument.group(1)}: {en}" if en else "")
    for pattern, zh in _ARGPARSE_ZH:
        if match := pattern.match(message):
            return f"{zh.format(*match.groups())} / {message}"
    return f"参数错误 / {message}"


def _instant(text: str) -> datetime:
    from duchaplugin.models import parse_instant

    try:
        return parse_instant(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _encoding(text: str) -> str:
    from duchaplugin.replay import check_encoding

    try:
        return check_encoding(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _say(zh: str, en: str) -> None:
    print(f"{zh} / {en}", file=sys.stderr)


def _engine() -> Any:
    """An Engine; third-party packs that failed to load are said on stderr once (not as Python
    warnings with a source line)."""
    from duchaplugin.engine import Engine
    from duchaplugin.hooks.manager import BrokenPackWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BrokenPackWarning)
        engine = Engine()
    for broken in engine.broken_packs:
        print(broken.describe(), file=sys.stderr)
    return engine


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
            _say(f"无法读取状态文件 {state}：{exc}", f"cannot read the state file {state}: {exc}")
            return USAGE
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
        return USAGE
    if state is not None:
        try:
            save_state(engine, state)
        except OSError as exc:
            _say(f"无法写入状态文件 {state}：{exc.strerror or exc}", f"cannot write the state file {state}: {exc.strerror or exc}")
            return USAGE
    if table:
        entries = ledger.entries(engine.states.values())
        parts = [texttable.timeline(timeline), texttable.ledger(entries, result.end)]
        scores = ledger.scores(entries)
        parts += [texttable.scores(scores)] if scores else []
        out.write("\n\n".join(parts) + "\n")
    out.flush()
    for message in result.notes + result.errors:
        print(message, file=sys.stderr)
    _say(f"共处理事件 {result.events} 条，产生动作 {result.actions} 条，错误 {len(result.errors)} 条",
         f"{result.events} events processed, {result.actions} actions, {len(result.errors)} errors")
    return 1 if result.errors else 0


def _run_events(args: argparse.Namespace, engine: Any, on_actions: Any, on_event: Any) -> Any:
    """Replay ``args.events`` (a file or ``-``, read line by line in ``args.encoding``) up to
    ``args.until``; None (said on stderr) when the file cannot be opened."""
    from duchaplugin.replay import read_lines, replay

    try:
        source = open(args.events, "rb") if args.events != "-" else sys.stdin.buffer
    except OSError as exc:
        _say(f"无法读取事件文件 {args.events}：{exc.strerror}", f"cannot read the events file {args.events}: {exc.strerror}")
        return None
    with source:
        return replay(read_lines(source, args.encoding), engine, on_actions, until=args.until, on_event=on_event)


def _ledger(args: argparse.Namespace) -> int:
    from duchaplugin import texttable
    from duchaplugin.ledger import Ledger

    engine = _engine()
    if args.pack and args.pack not in engine.packs:
        _say(f"未安装规则包 {args.pack}", f"pack {args.pack} is not installed")
        return USAGE
    ledger = Ledger(engine.packs)
    result = _run_events(args, engine, ledger.actions, ledger.event)
    if result is None:
        return USAGE
    entries = ledger.entries(engine.states.values(), pack=args.pack)
    scores = ledger.scores(entries, pack=args.pack)
    if args.xlsx:
        from duchaplugin.ledger_xlsx import write_xlsx

        try:
            path = write_xlsx(args.xlsx, entries, scores, result.end)
        except OSError as exc:
            _say(f"无法写入台账文件：{exc}", f"cannot write the ledger file: {exc}")
            return USAGE
        print(f"督查台账已写入 {path}：事项 {len(entries)} 项，督办记录 {sum(len(e.records) for e in entries)} 条，"
              f"考核结果 {len(scores)} 条 / ledger written", file=sys.stderr)
    else:
        parts = [texttable.ledger(entries, result.end)] + ([texttable.scores(scores)] if scores else [])
        sys.stdout.write("\n\n".join(parts) + "\n")
    for message in result.notes + result.errors:
        print(message, file=sys.stderr)
    return 1 if result.errors else 0


def _packs(args: argparse.Namespace) -> int:
    from duchaplugin.coverage import all_scenarios, pack_coverage

    engine = _engine()
    scenarios = all_scenarios(engine.packs.values())
    for pack in engine.packs.values():
        coverage = pack_coverage(pack, engine.packs.values(), scenarios)
        done = sum(c.accounted for c in coverage)
        print(f"{pack.id}\t{pack.number}《{pack.title}》\t发布 {pack.issued} 施行 {pack.effective}"
              f"{'　继承 ' + pack.extends if pack.extends else ''}\t条款覆盖 {done}/{len(coverage)}")
    for broken in engine.broken_packs:
        print(f"{broken.plugin}\t加载失败 / failed to load\t入口 {broken.entry_point}（{broken.distribution}）\t{broken.cause}")
    return 0


def _coverage(args: argparse.Namespace) -> int:
    import json

    from duchaplugin.coverage import STATUS_ZH, all_scenarios, pack_coverage

    engine = _engine()
    if args.pack and args.pack not in engine.packs:
        zh, en = did_you_mean(args.pack, engine.packs)
        _say(f"未安装规则包 {args.pack}{zh}（已安装：{'、'.join(engine.packs)}）",
             f"pack {args.pack} is not installed{en} (installed: {', '.join(engine.packs)})")
        return USAGE
    if args.features and not Path(args.features).is_dir():
        _say(f"features 目录不存在：{args.features}", f"no such features directory: {args.features}")
        return USAGE
    scenarios = all_scenarios(engine.packs.values(), Path(args.features) if args.features else None)
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
    from duchaplugin.specsite import build_site

    engine = _engine()
    if args.pack and args.pack not in engine.packs:
        _say(f"未安装规则包 {args.pack}", f"pack {args.pack} is not installed")
        return USAGE
    try:
        written = build_site(engine, args.html, args.pack, args.results, args.features)
    except (DuchaError, OSError) as exc:
        _say(f"无法生成规格说明：{exc}", f"cannot write the specification: {exc}")
        return USAGE
    for path in written:
        print(path)
    return 0


def _schema(args: argparse.Namespace) -> int:
    from duchaplugin.schemas import write_schemas

    directory = Path(args.directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)  # before loading the packs: a bad DIR is said at once
        engine = _engine()
        paths = write_schemas(directory, {pack_id: engine.compiled(pack_id).pack for pack_id in engine.packs})
    except OSError as exc:
        _say(f"无法写入目录 {directory}：{exc.strerror or exc}", f"cannot write into {directory}: {exc.strerror or exc}")
        return USAGE
    for path in paths:
        print(path)
    return 0


def _new_pack(args: argparse.Namespace) -> int:
    from duchaplugin.scaffold import ScaffoldError, write_pack

    try:
        directory = write_pack(args.id, args.extends, Path(args.dir) if args.dir else None)
    except ScaffoldError as exc:
        print(exc.describe(), file=sys.stderr)
        return USAGE
    print(directory)
    _say(f"已生成规则包 {args.id}；下一步：cd {directory} && pip install -e . && python -m pytest",
         f"pack {args.id} written; next: cd {directory} && pip install -e . && python -m pytest")
    return 0


def _version() -> str:
    import platform

    from duchaplugin import __version__

    return f"duchaplugin {__version__}（Python {platform.python_version()}）"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="duchaplugin", description="政府督查督办规则引擎 / rules engine for government supervision work")
    parser.add_argument("--version", action="version", version=_version(), help="显示版本 / show the version")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, zh: str, en: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=f"{zh} / {en}", description=f"{zh} / {en}")

    def events(p: argparse.ArgumentParser) -> None:
        p.add_argument("events", help="事件文件（JSON Lines；- 为标准输入）/ events file (JSON Lines; - for stdin)")
        p.add_argument("--until", type=_instant, metavar="DATE",
                       help="推进到该时刻（ISO 日期或日期时间；默认最后事件时间）/ advance time to this instant (default: the last event's)")
        p.add_argument("--encoding", type=_encoding, default="utf-8", metavar="ENCODING",
                       help="事件文件的编码（默认 utf-8，可带 BOM；GBK 文件用 gb18030）/ the file's encoding (default utf-8; gb18030 for GBK files)")

    p = command("replay", "回放事件历史，输出动作（JSON Lines 或时间线与督查台账）",
                "replay an event history: actions as JSON Lines, or a timeline and the ledger")
    events(p)
    p.add_argument("--format", choices=["jsonl", "table"], default="jsonl",
                   help="jsonl：每行一个动作（机器读取）；table：时间线与督查台账 / jsonl: one action a line; table: timeline and ledger")
    p.add_argument("--state", metavar="STATE.json",
                   help="从该状态文件继续（若存在），结束时原子地写回 / continue from this state file if it exists, save it back atomically")
    p.set_defaults(func=_replay)
    p = command("ledger", "督查台账（xlsx 或终端表格）", "the supervision ledger (xlsx or a table)")
    events(p)
    p.add_argument("--pack", help="只列该规则包的事项 / only this pack's items")
    p.add_argument("--xlsx", metavar="FILE", help="写入 Excel 文件（否则在终端显示）/ write an .xlsx file (else print a table)")
    p.set_defaults(func=_ledger)
    p = command("packs", "已安装的规则包：文件、日期、条款覆盖；加载失败的第三方规则包及原因",
                "installed packs with document, dates and clause coverage; third-party packs that failed to load, and why")
    p.set_defaults(func=_packs)
    p = command("coverage", "条款覆盖：每一条款 → 规则与场景，或无需规则的理由；有未覆盖条款时退出码为 1",
                "clause coverage: every clause → its rules and scenarios, or the reason it needs none; exit 1 if any is missing")
    p.add_argument("pack", nargs="?", help="规则包编号（默认全部）/ pack id (default: all)")
    p.add_argument("--json", action="store_true", help="以 JSON 输出 / print JSON")
    p.add_argument("--features", metavar="DIR",
                   help="另外读取该目录下的 .feature 文件（规则包自带的 features/ 总会读取）/ also read the .feature files under DIR")
    p.set_defaults(func=_coverage)
    p = command("spec", "发布规格说明（静态网页）", "publish the specification as a static site")
    p.add_argument("pack", nargs="?", help="规则包编号（默认全部）/ pack id (default: all)")
    p.add_argument("--html", required=True, metavar="DIR", help="输出目录 / output directory")
    p.add_argument("--results", metavar="FILE",
                   help="最近一次测试结果：pytest --cucumberjson 的文件 / cucumber JSON of the latest test run")
    p.add_argument("--features", metavar="DIR", help="features 目录 / features directory")
    p.set_defaults(func=_spec)
    p = command("schema", "把契约的 JSON Schema 写入目录（目录不存在则创建）：核心事件、每个已安装规则包的事件、动作、主体状态",
                "write the contract's JSON Schemas into a directory (created if missing): core events, each installed "
                "pack's events, actions, subject state")
    p.add_argument("directory", metavar="DIR", help="输出目录 / output directory")
    p.set_defaults(func=_schema)
    p = command("new-pack", "生成第三方规则包的骨架：可安装、可测试、可统计覆盖",
                "write a third-party pack skeleton that installs, tests and reports coverage")
    p.add_argument("id", help="规则包编号，如 cn-xj-manas / pack id, e.g. cn-xj-manas")
    p.add_argument("--extends", required=True, metavar="PARENT", help="上级规则包，如 cn-xj-hutubi、cn / the parent pack")
    p.add_argument("--dir", metavar="DIR", help="输出目录（默认 ./duchaplugin-<ID>）/ output directory (default ./duchaplugin-<ID>)")
    p.set_defaults(func=_new_pack)
    calendar_cli.add_parser(commands)
    from duchaplugin.service import cli as service_cli  # argparse only: the service loads when it runs

    service_cli.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except BrokenPipeError:  # the reader stopped (`| head`): stop too, quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the interpreter's final flush must not fail again
        return CLOSED_PIPE
    except DuchaError as exc:  # a broken pack in strict mode, a host plugin's pack
        print(exc.describe(), file=sys.stderr)
        return USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
