"""The published specification (``duchaplugin spec``), read as legal staff read it: in a browser.

The site is built once from the installed packs with a test-run result file in which one scenario
failed and one was not run; a headless Chromium (Debian's package) then loads every page, and the
rendered DOM must show every clause of every document and every scenario's status.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from duchaplugin.cli import main
from duchaplugin.coverage import default_features_dir, feature_scenarios
from duchaplugin.engine import Engine
from duchaplugin.specsite import SiteBuilder, build_site
from duchaplugin.specsite.results import read_results
from tests.chromium import Browser, chromium_or_skip

STATUS_WORDS = {"通过", "未通过", "跳过", "未运行"}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(entry_points=False)


@pytest.fixture(scope="module")
def scenario_names() -> list[str]:
    """Every scenario as the coverage report names it (``<file>: <name>``)."""
    return sorted({name for found in feature_scenarios(default_features_dir()).values() for name, _ in found})


def _cucumber(names: list[str], failed: str, not_run: str) -> list[dict]:
    """A cucumber JSON as pytest-bdd writes it: the scenario ``failed`` failed, ``not_run`` is absent."""
    features: dict[str, list[dict]] = {}
    for name in names:
        if name == not_run:
            continue
        uri, title = name.split(": ", 1)
        status = "failed" if name == failed else "passed"
        steps = [{"keyword": "假如", "name": "规则包为 …", "result": {"status": "passed"}},
                 {"keyword": "那么", "name": "…", "result": {"status": status}}]
        features.setdefault(uri, []).append({"keyword": "场景", "name": title, "type": "scenario", "steps": steps})
    return [{"uri": uri, "name": uri, "elements": elements} for uri, elements in features.items()]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, engine: Engine, scenario_names: list[str]) -> dict:
    out = tmp_path_factory.mktemp("spec")
    failed = next(n for n in scenario_names if n.startswith("cn/第十七条"))
    not_run = next(n for n in scenario_names if n.startswith("cn-yn/"))
    results = out / "cucumber.json"
    results.write_text(json.dumps(_cucumber(scenario_names, failed, not_run), ensure_ascii=False), encoding="utf-8")
    written = build_site(engine, out / "html", results=results)
    return {"dir": out / "html", "written": written, "failed": failed, "not_run": not_run}


def test_one_page_per_pack_and_an_index(site: dict, engine: Engine) -> None:
    assert [p.name for p in site["written"]] == ["index.html", *(f"{p}.html" for p in sorted(engine.packs))]


def test_pages_load_nothing_from_the_network_and_print_on_a4(site: dict) -> None:
    for page in site["written"]:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), page.name
        assert "<script" not in html and "@import" not in html and "url(" not in html, page.name
        assert "@media print" in html and "size: A4" in html, page.name


def test_a_clause_shows_its_rules_in_words_and_its_parameter_with_the_clause_it_comes_from(
        site: dict, engine: Engine) -> None:
    page = SiteBuilder(engine, read_results(None)).page(engine.packs["cn"])
    clause = next(c for c in page.clauses if c.path == "第十七条")
    assert any(r.when.startswith("当收到“申请复核”") and any(t.startswith(("产生【", "驳回该事件")) for t in r.then)
               for r in clause.rules), [r.when for r in clause.rules]
    window = next(p for p in clause.parameters if p.key == "review_window")
    assert (window.value, window.clause, window.default) == ("30日", "第十七条", False)
    assert "自收到该督查结论之日起30日内" in window.text


def test_a_default_is_marked_with_its_reason(engine: Engine) -> None:
    page = SiteBuilder(engine, read_results(None)).page(engine.packs["cn-yn"])
    shown = [p for c in page.clauses for p in c.parameters if p.key == "slow_progress_no_report"]
    assert shown and shown[0].default and shown[0].value == "10个工作日"
    assert "文件未量化" in shown[0].reason


def test_a_clause_without_a_rule_gives_its_reason(site: dict) -> None:
    html = (site["dir"] / "cn.html").read_text(encoding="utf-8")
    assert "无需规则：立法目的条款" in html


def test_without_a_result_file_every_scenario_is_not_run(tmp_path: Path, engine: Engine) -> None:
    assert main(["spec", "cn", "--html", str(tmp_path)]) == 0
    html = (tmp_path / "cn.html").read_text(encoding="utf-8")
    assert "未提供测试结果" in html and 'data-status="passed"' not in html and 'data-status="not_run"' in html


def test_an_outline_fails_when_one_example_fails(tmp_path: Path) -> None:
    element = lambda status: {"type": "scenario", "name": "复核期限", "steps": [{"result": {"status": status}}]}
    path = tmp_path / "r.json"
    path.write_text(json.dumps([{"uri": "cn/a.feature", "elements": [element("passed"), element("failed")]},
                                {"uri": "cn/b.feature", "elements": [element("passed"), element("passed")]}]))
    results = read_results(path)
    assert results.status("cn/a.feature: 复核期限") == "failed"
    assert results.status("cn/b.feature: 复核期限") == "passed"
    assert results.status("cn/c.feature: 复核期限") == "not_run"
    assert results.run_at is not None


def test_a_broken_result_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "r.json"
    bad.write_text("{not json")
    assert main(["spec", "cn", "--html", str(tmp_path / "out"), "--results", str(bad)]) == 2
    assert "cucumber JSON" in capsys.readouterr().err
    assert main(["spec", "nope", "--html", str(tmp_path / "out")]) == 2


def test_the_rendered_pages_show_every_clause_and_every_scenario_status(
        site: dict, engine: Engine, tmp_path: Path) -> None:
    """One browser start: each page loaded from disk, its rendered DOM read, screenshots saved."""
    browser = Browser(chromium_or_skip(), tmp_path / "profile")
    try:
        browser.open(site["written"][0].as_uri())
        assert browser.evaluate("[...document.querySelectorAll('tr.pack')].map(r => r.dataset.pack)") == sorted(engine.packs)
        for pack_id, pack in sorted(engine.packs.items()):
            browser.open((site["dir"] / f"{pack_id}.html").as_uri())
            clauses = browser.evaluate("[...document.querySelectorAll('section.clause')].map(s => s.dataset.path)")
            assert clauses == list(pack.clauses), f"{pack_id}: clauses shown differ from the document"
            texts = browser.evaluate("[...document.querySelectorAll('section.clause')].map(s => s.querySelector('.clause-text').innerText)")
            assert texts == [c.text for c in pack.clauses.values()]
            scenarios = browser.evaluate("""[...document.querySelectorAll('li.scenario')].map(li => [li.dataset.status,
                li.querySelector('.status').innerText, getComputedStyle(li.querySelector('.status')).display])""")
            assert scenarios, f"{pack_id}: no scenario shown"
            assert all(words in STATUS_WORDS and display != "none" for _, words, display in scenarios)
            browser.screenshot(tmp_path / f"{pack_id}.png", full_page=True, max_height=2500)
            assert (tmp_path / f"{pack_id}.png").stat().st_size > 10_000
        browser.open((site["dir"] / "cn.html").as_uri())
        failed_name = site["failed"].split(": ", 1)[1]
        shown = browser.evaluate(f"""[...document.querySelectorAll('li.scenario')]
            .filter(li => li.innerText.includes({json.dumps(failed_name)})).map(li => li.dataset.status)""")
        assert shown and set(shown) == {"failed"}
        browser.call("Emulation.setEmulatedMedia", media="print")
        assert browser.evaluate("getComputedStyle(document.querySelector('nav.top')).display") == "none"
        browser.open((site["dir"] / "cn-yn.html").as_uri())
        not_run_name = site["not_run"].split(": ", 1)[1]
        assert "not_run" in browser.evaluate(f"""[...document.querySelectorAll('li.scenario')]
            .filter(li => li.innerText.includes({json.dumps(not_run_name)})).map(li => li.dataset.status)""")
    finally:
        browser.close()
