"""The 督查台账 as a 督查室 files it (``duchaplugin ledger EVENTS.jsonl --xlsx FILE``), read back as a reader
would: the spreadsheet opened with openpyxl, its headers and the rows of the three example dockets."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from rich.cells import cell_len

from duchaplugin import texttable
from duchaplugin.cli import main
from duchaplugin.engine import Engine
from duchaplugin.ledger import COLUMNS, Ledger, due_text
from duchaplugin.models import Action
from duchaplugin.replay import replay

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def _workbook(tmp_path: Path, name: str, *extra: str):
    out = tmp_path / f"{name}.xlsx"
    assert main(["ledger", str(EXAMPLES / name), "--xlsx", str(out), *extra]) == 0
    return load_workbook(out)


def _rows(sheet) -> dict[str, dict[str, object]]:
    """Data rows by 编号 (without the document number), as the header names them."""
    headers = [c.value for c in sheet[2]]
    return {str(row[0].value).split("（")[0]: {h: c for h, c in zip(headers, row)} for row in sheet.iter_rows(min_row=3)}


def test_every_sheet_has_its_title_frozen_header_and_filter(tmp_path: Path) -> None:
    wb = _workbook(tmp_path, "yn-2025.jsonl")
    assert wb.sheetnames == ["督查台账", "督办记录", "督查考核"]
    ledger = wb["督查台账"]
    assert ledger["A1"].value == "督查台账（截至 2026-01-05 17:00）"
    assert tuple(c.value for c in ledger[2]) == COLUMNS
    assert [c.value for c in wb["督办记录"][2]][:7] == ["编号", "日期", "类型", "阶段", "内容", "接收", "期限"]
    for sheet in wb:
        assert sheet.freeze_panes == "B3" and sheet.auto_filter.ref.startswith("A2:")
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4) and sheet.print_title_rows == "$1:$2"


def test_example_docket_activity_is_done_after_its_check_passed(tmp_path: Path) -> None:
    rows = _rows(_workbook(tmp_path, "docket.jsonl")["督查台账"])
    assert list(rows) == ["DC-2025-017"]
    row = rows["DC-2025-017"]
    assert row["办结情况"].value == "整改核查通过（2025-11-10），已办结，复核决定：维持原结论（2025-10-20）"
    assert row["落实情况"].value == "2025-10-28 整改完成：危化品仓储台账不全"
    assert row["责任单位"].value == "甲县人民政府"


def test_hutubi_rows(tmp_path: Path) -> None:
    wb = _workbook(tmp_path, "hutubi-2025.jsonl")
    rows = _rows(wb["督查台账"])
    assert not [s for s in rows if s.startswith("@")]  # the pack's own docket is not an item
    assert rows["LS-2025-021"]["办结情况"].value == "已办结销号（2025-07-31）"
    assert rows["LS-2025-021"]["督办记录"].value.startswith("提醒1次、约谈1次、问责1次\n")
    extended = rows["LS-2025-026"]["办理时限"]
    assert extended.value == datetime(2025, 9, 26) and extended.number_format == "yyyy-mm-dd"
    assert "经批准延期1次，原时限2025-08-29" in extended.comment.text
    period = rows["LS-2024-118"]["办理时限"]  # 10 working days from 2024-12-30, across New Year's Day
    assert period.value == datetime(2025, 1, 14) and "10个工作日，自2024-12-30起算" in period.comment.text
    secret = rows["LS-2025-027"]
    assert secret["事项"].value == "【涉密，内容不予显示】" and secret["落实情况"].value.endswith("【涉密，内容不予显示】")
    assert "驳回1次" in rows["LS-2025-007"]["督办记录"].value
    assert rows["LS-2025-041"]["办结情况"].value.startswith("在办")
    records = wb["督办记录"]
    assert all(isinstance(r[1].value, datetime) for r in records.iter_rows(min_row=3))


def test_yn_rows_and_scores(tmp_path: Path) -> None:
    wb = _workbook(tmp_path, "yn-2025.jsonl")
    rows = _rows(wb["督查台账"])
    closed = rows["YNDB-2025-004"]  # its last progress report said 60 %; the completion report is what counts
    assert closed["办结情况"].value == "已办结销号（2025-07-04）"
    assert closed["落实情况"].value.startswith("2025-06-27 报请办结：") and "60%" not in closed["落实情况"].value
    assert closed["办理时限"].value == datetime(2025, 6, 6)  # 40 working days from 2025-04-08
    assert "YNDB-2025-006" in rows  # refused once, then registered with its 专人
    rectified = rows["YNDB-2025-002"]["督办记录"].value
    assert "送省发展改革委（责任单位），期限2025-05-30" in rectified  # the 第十八条 requirement has its recipient
    scores = {r[1].value: r for r in wb["督查考核"].iter_rows(min_row=3)}
    assert scores["省交通运输厅"][3].value == 54
    assert "办理时限扣100分（权重0.4，折合扣40分）" in scores["省交通运输厅"][4].value
    assert scores["省住房城乡建设厅"][4].value.startswith("各事项得分：YNDB-2025-003 58、YNDB-2025-007 100")
    criticised = scores["曲靖市人民政府"]
    assert criticised[3].value == 100 and "YNDB-2025-005" in criticised[5].value and "通报批评" in criticised[5].value


def test_ledger_of_one_pack(tmp_path: Path) -> None:
    rows = _rows(_workbook(tmp_path, "yn-2025.jsonl", "--pack", "cn")["督查台账"])
    assert rows == {}
    assert main(["ledger", str(EXAMPLES / "docket.jsonl"), "--pack", "nope"]) == 2


def _ledger_of(events: list[dict]) -> tuple[Engine, Ledger]:
    engine = Engine(entry_points=False)
    ledger = Ledger(engine.packs)
    replay([json.dumps(e, ensure_ascii=False) for e in events], engine, ledger.actions, on_event=ledger.event)
    return engine, ledger


def test_a_refused_registration_is_not_on_the_ledger() -> None:
    engine, ledger = _ledger_of([
        {"id": "e1", "subject": "YN-1", "type": "registered", "at": "2025-03-03T09:00", "pack": "cn-yn",
         "data": {"category": "省人民政府重大决策部署", "title": "未安排专人"}},
    ])
    assert [r["编号"] for r in ledger.rows(engine.states.values())] == []


def test_cells_are_data_cut_when_long_and_never_formulas(tmp_path: Path) -> None:
    lines = (EXAMPLES / "docket.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["data"]["title"] = "=HYPERLINK(\"http://x\")\x07" + "长" * 5000
    source = tmp_path / "hostile.jsonl"
    source.write_text("\n".join([json.dumps(first, ensure_ascii=False), *lines[1:]]), encoding="utf-8")
    out = tmp_path / "hostile.xlsx"
    assert main(["ledger", str(source), "--xlsx", str(out)]) == 0
    cell = load_workbook(out)["督查台账"]["B3"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK") and "\x07" not in cell.value
    assert len(cell.value) < 1100 and cell.value.endswith("已截断）")


def test_a_default_period_is_marked() -> None:
    basis = SimpleNamespace(pack="cn", document="国务院令第733号", article="第十八条", text="",
                            defaults=[{"parameter": "rectification_limit", "value": {"days": 30}, "note": "整改期限30日"}])
    action = Action.model_construct(id="a", subject="S", at=datetime(2025, 9, 5), kind="requirement", title="整改",
                                    due=date(2025, 10, 9), basis=basis, provisional=None)
    assert due_text(action) == "2025-10-09（默认值，文件未规定：整改期限30日）"


@pytest.mark.parametrize("width", [80, 120])
def test_the_terminal_table_is_aligned_by_display_width(width: int) -> None:
    engine, ledger = _ledger_of([json.loads(line) for line in
                                 (EXAMPLES / "hutubi-2025.jsonl").read_text(encoding="utf-8").splitlines()])
    text = texttable.ledger(ledger.entries(engine.states.values()), None, width=width)
    lines = [line for line in text.splitlines() if line.startswith(("|", "+"))]
    assert all(cell_len(line) <= width for line in lines)
    bars = {tuple(i for i, _ in enumerate(_columns(line)) if _columns(line)[i] == "|") for line in lines
            if line.startswith("|") and "-+-" not in line}
    assert len(bars) == 1, "the column borders of every line sit at the same display columns"


def _columns(line: str) -> list[str]:
    """The line as display columns: a wide character fills two."""
    out: list[str] = []
    for char in line:
        out += [char] + [""] * (cell_len(char) - 1)
    return out
