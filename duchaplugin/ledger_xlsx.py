"""The 督查台账 as a spreadsheet a 督查室 files (``duchaplugin ledger EVENTS.jsonl --xlsx FILE``), with openpyxl.

Three sheets: 督查台账 (the nine columns, one row per item; 办理时限 a date, its original wording in a
cell note), 督办记录 (every action of those items: date, what, to whom, by when, on which clause, marked
when a period is a default the document does not set, or withdrawn), and 督查考核 (each unit's score
with its deductions and their weights). Headers are frozen and filtered; pages print on A4 landscape
with the header repeated. Cell text is data: it is never read as a formula, control characters are
removed, and long texts are cut (``ledger.CELL_CAP``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from duchaplugin.calendar import BEIJING
from duchaplugin.ledger import COLUMNS, DEFAULT_MARK, KIND_ZH, Entry, Score, cap, recipients, score_lines

DATE_FORMAT = "yyyy-mm-dd"
RECORD_COLUMNS = ("编号", "日期", "类型", "阶段", "内容", "接收", "期限", "期限说明", "依据", "审批", "备注")
SCORE_COLUMNS = ("年度", "单位", "事项数", "得分", "各事项得分与扣分（含权重）", "说明", "依据")
_WIDTHS = {"编号": 16, "事项": 30, "类别": 22, "责任单位": 18, "责任领导": 14, "办理时限": 12, "落实情况": 36,
           "办结情况": 20, "督办记录": 48, "日期": 17, "类型": 8, "阶段": 10, "内容": 60, "接收": 20, "期限": 12,
           "期限说明": 30, "依据": 28, "审批": 24, "备注": 10, "年度": 8, "单位": 22, "事项数": 8, "得分": 8,
           "各事项得分与扣分（含权重）": 60, "说明": 40}
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDE4EE")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _put(ws: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write one cell: text cleaned and kept as text (never a formula), dates as dates."""
    if isinstance(value, str):
        value = cap(ILLEGAL_CHARACTERS_RE.sub("", value))
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    elif isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif hasattr(value, "isoformat"):
        cell.number_format = DATE_FORMAT
    cell.alignment = _WRAP
    cell.border = _BORDER
    return cell


def _sheet(ws: Worksheet, title: str, headers: Sequence[str]) -> None:
    """Title row, header row (frozen, filtered), widths and an A4 landscape page with the header repeated."""
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    for i, header in enumerate(headers, start=1):
        cell = _put(ws, 2, i, header)
        cell.font, cell.fill = Font(bold=True), _HEAD_FILL
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(header, 14)
    ws.freeze_panes = "B3"
    ws.print_title_rows = "1:2"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _filter(ws: Worksheet, columns: int) -> None:
    ws.auto_filter.ref = f"A2:{get_column_letter(columns)}{max(ws.max_row, 2)}"


def write_xlsx(path: str | Path, entries: list[Entry], scores: list[Score], as_of: datetime | None) -> Path:
    """Write the workbook; returns its path."""
    when = f"（截至 {as_of.astimezone(BEIJING).strftime('%Y-%m-%d %H:%M')}）" if as_of else ""
    wb = Workbook()
    ws = wb.active
    ws.title = "督查台账"
    _sheet(ws, f"督查台账{when}", COLUMNS)
    for r, entry in enumerate(entries, start=3):
        cells = entry.cells()
        for c, column in enumerate(COLUMNS, start=1):
            if column == "办理时限" and entry.limit.last_day:
                cell = _put(ws, r, c, entry.limit.last_day)
                if entry.limit.wording:
                    cell.comment = Comment(f"原定：{entry.limit.wording}", "duchaplugin")
            else:
                _put(ws, r, c, cells[column])
    _filter(ws, len(COLUMNS))

    rs = wb.create_sheet("督办记录")
    _sheet(rs, f"督办记录{when}", RECORD_COLUMNS)
    r = 3
    for entry in entries:
        for record in entry.records:
            a = record.action
            defaults = "；".join(str(d.get("note") or d.get("parameter")) for d in record.defaults)
            note = "；".join(p for p in (DEFAULT_MARK.strip("（）") + "：" + defaults if defaults else "",
                                         "暂定（放假安排未公布）" if a.provisional else "") if p)
            values = (entry.number, a.at.astimezone(BEIJING).replace(tzinfo=None), KIND_ZH.get(a.kind, a.kind),
                      a.stage or "", a.title, recipients(entry, a), a.due or "", note,
                      f"{a.basis.document} {a.basis.article}", " → ".join(a.approvals or []),
                      "已撤回" if record.withdrawn else "")
            for c, value in enumerate(values, start=1):
                _put(rs, r, c, value)
            r += 1
    _filter(rs, len(RECORD_COLUMNS))

    if scores:
        ss = wb.create_sheet("督查考核")
        _sheet(ss, "督查考核", SCORE_COLUMNS)
        for r, s in enumerate(scores, start=3):
            values = (s.period, s.unit, len(s.items), s.score if isinstance(s.score, (int, float)) else "",
                      "\n".join(score_lines(s)), s.note, f"{s.action.basis.document} {s.action.basis.article}")
            for c, value in enumerate(values, start=1):
                _put(ss, r, c, value)
        _filter(ss, len(SCORE_COLUMNS))
    path = Path(path)
    wb.save(path)
    return path
