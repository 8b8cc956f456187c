"""Makes the README's pictures: the published specification of one pack (``docs/spec-cn-yn.png``) and the
督查台账 sheet of the 云南 example docket (``docs/ledger-yn.png``, the rows the spreadsheet holds), with
Debian's headless Chromium.

    .venv/bin/python docs/make_screenshots.py [--results cucumber.json]

``--results`` is a ``pytest --cucumberjson`` file (without it every scenario shows 未运行). Needs the
``chromium`` package and a CJK font (``fonts-wqy-microhei``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from html import escape

from duchaplugin.engine import Engine
from duchaplugin.ledger import COLUMNS, Ledger
from duchaplugin.replay import replay
from duchaplugin.specsite import build_site

DOCS = Path(__file__).resolve().parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def shoot(url: str, out: Path, size: tuple[int, int], profile: Path) -> None:
    browser = shutil.which("chromium") or "chromium"
    subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}",
                    f"--screenshot={out}", url], check=True, capture_output=True, timeout=120)
    print(out, out.stat().st_size, "bytes")


def ledger_page(path: Path) -> None:
    """The 督查台账 sheet of ``duchaplugin ledger examples/yn-2025.jsonl --xlsx …`` (its first rows), as a page."""
    engine = Engine()
    ledger = Ledger(engine.packs)
    with open(DOCS.parent / "examples" / "yn-2025.jsonl", encoding="utf-8") as events:
        result = replay(events, engine, ledger.actions, on_event=ledger.event)
    entries = ledger.entries(engine.states.values())[:6]
    cell = lambda text: escape(text).replace("\n", "<br>")
    rows = "".join("<tr>" + "".join(f"<td>{cell(e.cells()[c])}</td>" for c in COLUMNS) + "</tr>" for e in entries)
    path.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>"
        "body{margin:10px;font:12px/1.45 'WenQuanYi Micro Hei',sans-serif;color:#111}"
        "h1{font-size:16px;margin:0 0 6px}table{border-collapse:collapse;table-layout:fixed;width:100%}"
        "th{background:#dde4ee}th,td{border:1px solid #999;padding:3px 5px;vertical-align:top;text-align:left}"
        "col.w{width:14%}col.n{width:8%}</style></head><body>"
        f"<h1>督查台账（截至 {result.end:%Y-%m-%d %H:%M}）</h1><table>"
        "<colgroup><col class=n><col class=n><col class=n><col class=n><col class=n><col class=n><col class=w>"
        "<col class=n><col style='width:24%'></colgroup><thead><tr>"
        + "".join(f"<th>{c}</th>" for c in COLUMNS) + f"</tr></thead><tbody>{rows}</tbody></table></body></html>",
        encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--results", help="pytest-bdd cucumber JSON of the latest run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build_site(Engine(), site, "cn-yn", args.results)
        shoot((site / "cn-yn.html").as_uri(), DOCS / "spec-cn-yn.png", (1100, 1250), Path(tmp) / "p1")
        ledger_page(Path(tmp) / "ledger.html")
        shoot((Path(tmp) / "ledger.html").as_uri(), DOCS / "ledger-yn.png", (1200, 1000), Path(tmp) / "p2")


if __name__ == "__main__":
    main()
