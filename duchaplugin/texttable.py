"""Tables for a terminal (``replay --format table``, ``duchaplugin ledger`` without ``--xlsx``):
the timeline of actions, the 督查台账 and the 督查考核, aligned by display width and wrapped to the
terminal's width.

Chinese characters take two columns; a table laid out by ``len`` drifts (the old timeline's 【 started
anywhere from column 26 to 33, lines ran to 448 columns). rich measures cells by display width
(East Asian width) and folds long cells inside their column, so it is used rather than hand-written
padding. Borders are ASCII: box-drawing characters are "ambiguous width" and take two columns in
many Chinese terminals.
"""

from __future__ import annotations

import io
import shutil
from datetime import datetime
from typing import Iterable, Mapping, Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from duchaplugin.ledger import COLUMNS, KIND_ZH, Entry, Score, due_text, score_lines
from duchaplugin.models import Action

MIN_WIDTH = 60


def terminal_width() -> int:
    """The terminal's width (``COLUMNS`` if set), 120 when the output is not a terminal."""
    return max(MIN_WIDTH, shutil.get_terminal_size((120, 24)).columns)


def render(title: str, headers: Sequence[str], rows: Iterable[Sequence[str]], width: int | None = None,
           ratios: Sequence[int] | None = None, keep: Mapping[int, int] | None = None) -> str:
    """A table as text: ``title`` above, ``headers``, one row per item, cells folded to fit ``width``;
    the columns in ``keep`` (ids, dates; index → most columns) are as wide as their longest line up to
    that, so an id or a date does not break."""
    keep = keep or {}
    rows = [[str(cell) for cell in row] for row in rows]
    table = Table(title=title, title_justify="left", box=box.ASCII, show_lines=True, expand=True,
                  pad_edge=False, title_style=None, header_style=None)
    for i, header in enumerate(headers):
        widest = max((cell_len(line) for row in rows for line in row[i].splitlines()), default=0)
        if i in keep:
            table.add_column(header, overflow="fold", width=max(min(widest, keep[i]), cell_len(header)))
        else:
            table.add_column(header, overflow="fold", ratio=ratios[i] if ratios else 1, width=cell_len(header))
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    out = io.StringIO()
    console = Console(file=out, width=width or terminal_width(), color_system=None, force_terminal=False,
                      highlight=False, markup=False, emoji=False, soft_wrap=False, legacy_windows=False)
    console.print(table)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines())


def timeline(actions: list[Action], width: int | None = None) -> str:
    """The actions in time order: 时间、事项、动作（类型·阶段、标题）、期限、依据、审批与接收."""
    rows = []
    for a in actions:
        stage = f"·{a.stage}" if a.stage else ""
        sent = "\n".join(p for p in (f"审批：{' → '.join(a.approvals)}" if a.approvals else "",
                                     f"送：{'、'.join(a.to)}" if a.to else "") if p)
        rows.append((a.at.strftime("%Y-%m-%d %H:%M"), a.subject, f"【{KIND_ZH.get(a.kind, a.kind)}{stage}】{a.title}",
                     due_text(a), f"{a.basis.document} {a.basis.article}", sent))
    return render("动作时间线", ("时间", "事项", "动作", "期限", "依据", "审批与接收"), rows, width, (2, 2, 8, 2, 3, 3), keep={0: 16, 1: 24, 3: 10})


def ledger(entries: list[Entry], as_of: datetime | None, width: int | None = None) -> str:
    """The 督查台账 (the same rows as the spreadsheet)."""
    when = f"（截至 {as_of.strftime('%Y-%m-%d %H:%M')}）" if as_of else ""
    rows = [[e.cells()[c] for c in COLUMNS] for e in entries]
    for row in rows:
        row[0] = row[0].replace("（", "\n（", 1)  # 编号 above the document number
    return render(f"督查台账{when}", COLUMNS, rows, width, (2, 3, 2, 2, 2, 2, 3, 2, 4), keep={0: 24, 5: 10})


def scores(results: list[Score], width: int | None = None) -> str:
    """The 督查考核 results: each unit's score, its deductions with their weights, and a note."""
    rows = [(s.period, s.unit, str(len(s.items)), f"{s.score:g}" if isinstance(s.score, (int, float)) else "—",
             "\n".join(score_lines(s)), s.note or "—") for s in results]
    return render("督查考核", ("年度", "单位", "事项数", "得分", "扣分（含权重）", "说明"), rows, width, (1, 2, 1, 1, 5, 3))
