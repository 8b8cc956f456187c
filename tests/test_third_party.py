"""Third-party packs from entry points: a broken one is reported and skipped, the others load.

The entry points are real ``importlib.metadata.EntryPoint`` objects naming modules written to a
temporary directory on ``sys.path``: exactly what ``pip install`` of a county's package provides.
"""

from __future__ import annotations

import importlib.metadata
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from duchaplugin import Engine, PackError
from duchaplugin.hooks import manager

DEMO = Path(__file__).parent / "fixtures" / "demo"

PLUGIN = '''
import sys
from pathlib import Path
from duchaplugin.hooks import hookimpl

FUNCTIONS = {"explode": lambda decision: None}

@hookimpl
def duchaplugin_register_packs(register):
    register(Path(__file__).parent / "pack", module=sys.modules[__name__])
'''


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``add(name, pack_yaml_changes, files)`` installs a plugin package ``name`` as an entry point."""
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv(manager.ENV_ALLOW, raising=False)
    monkeypatch.delenv(manager.ENV_STRICT, raising=False)
    installed: list[tuple[importlib.metadata.EntryPoint, str]] = []
    monkeypatch.setattr(manager, "installed_entry_points", lambda: list(installed))

    def add(name: str, *, pack_id: str | None = None, extends: str | None = None, init: str = PLUGIN,
            files: dict[str, str] | None = None, data: bool = True) -> Path:
        package = tmp_path / name
        package.mkdir()
        (package / "__init__.py").write_text(textwrap.dedent(init), encoding="utf-8")
        if data:
            shutil.copytree(DEMO, package / "pack")
            meta = (package / "pack" / "pack.yaml").read_text(encoding="utf-8")
            meta = meta.replace("id: demo", f"id: {pack_id or name.replace('_', '-')}")
            if extends:
                meta = meta.replace("extends: null", f"extends: {extends}")
            (package / "pack" / "pack.yaml").write_text(meta, encoding="utf-8")
            for file, text in (files or {}).items():
                (package / "pack" / file).write_text(textwrap.dedent(text), encoding="utf-8")
        entry_point = importlib.metadata.EntryPoint(name=name.replace("_", "-"), value=name, group="duchaplugin")
        installed.append((entry_point, f"duchaplugin-{name} 1.0"))
        sys.modules.pop(name, None)
        return package

    return add


def _engine() -> Engine:
    with pytest.warns(manager.BrokenPackWarning):
        return Engine()


def test_a_good_third_party_pack_loads(site) -> None:
    site("county_a")
    engine = Engine()
    assert "county-a" in engine.packs and "cn-yn" in engine.packs and engine.broken_packs == []


@pytest.mark.parametrize("init, files, data, cause", [
    ("import no_such_module_anywhere\n", None, True, "ModuleNotFoundError: No module named 'no_such_module_anywhere'"),
    ("def broken(:\n", None, True, "__init__.py:1"),
    (PLUGIN, {"rules.yaml": "rules:\n  - id: a\n    clauses: [第一条]\n    then: [}\n"}, True, "county_b/pack/rules.yaml"),
    (PLUGIN, {"rules.yaml": "rules:\n  - id: a\n    clauses: [第一条]\n    then: []\n    then: [{emit: {kind: notice, title: x}}]\n"},
     True, "county_b/pack/rules.yaml:5：键 'then' 重复（第4行已有）"),
    (PLUGIN, {"pack.yaml": ""}, True, "county_b/pack/pack.yaml：文件为空"),
    (PLUGIN, {"rules.yaml": "rules:\n  - id: a\n    clauses: [第一条]\n    when: [{data.x: 1}]\n    then: [{emit: {kind: notice, title: x}}]\n"},
     True, "county_b/pack/rules.yaml:4：a：when 应为映射"),
    (PLUGIN, None, False, "package-data"),
])
def test_a_broken_pack_is_reported_and_the_others_load(site, init: str, files, data: bool, cause: str) -> None:
    site("county_a")
    site("county_b", init=init, files=files, data=data)
    engine = _engine()
    assert {"cn", "cn-yn", "cn-xj-hutubi", "county-a"} <= set(engine.packs) and "county-b" not in engine.packs
    (broken,) = engine.broken_packs
    assert broken.plugin == "county-b" and broken.entry_point == "county-b = county_b"
    assert broken.distribution == "duchaplugin-county_b 1.0"
    assert cause in broken.cause, broken.cause
    assert "加载失败" in broken.describe() and "failed to load" in broken.describe()


def test_a_duplicate_pack_id_and_a_pack_extending_a_broken_one_are_skipped(site) -> None:
    site("county_dup", pack_id="cn-yn")
    site("county_base", files={"rules.yaml": "rules:\n  - id: a\n    clauses: [第九条]\n    then: [{emit: {kind: notice, title: x}}]\n"})
    site("county_child", extends="county-base")
    engine = _engine()
    causes = {b.plugin: b.cause for b in engine.broken_packs}
    assert "规则包编号重复：cn-yn" in causes["county-dup"]
    assert "没有条款 第九条" in causes["county-base"]
    assert "所继承的规则包 county-base 加载失败" in causes["county-child"]
    assert engine.packs["cn-yn"].directory.name == "cn_yn"  # the built-in, not the impostor
    assert not {"county-base", "county-child"} & set(engine.packs)


def test_strict_mode_fails_fast_naming_the_plugin(site, monkeypatch: pytest.MonkeyPatch) -> None:
    site("county_b", files={"pack.yaml": "id: [\n"})
    monkeypatch.setenv(manager.ENV_STRICT, "1")
    with pytest.raises(PackError) as error:
        Engine()
    assert "第三方规则包 county-b（入口 county-b = county_b" in str(error.value) and "DUCHAPLUGIN_STRICT=1" in str(error.value)
    assert "county_b/pack/pack.yaml:2：YAML 语法错误" in str(error.value)


def test_a_host_plugin_or_builtin_is_not_isolated(tmp_path: Path) -> None:
    """Packs the host passes itself fail fast: they are the caller's, not the environment's."""
    from tests.fixtures import DemoPlugin

    directory = tmp_path / "demo"
    shutil.copytree(DEMO, directory)
    (directory / "pack.yaml").write_text("", encoding="utf-8")

    class Host(DemoPlugin):
        from duchaplugin.hooks import hookimpl

        @hookimpl
        def duchaplugin_register_packs(self, register):  # type: ignore[no-untyped-def]
            register(directory)

    with pytest.raises(PackError, match="文件为空"):
        Engine([Host()], entry_points=False)


def test_entry_points_follow_the_allow_list(site, monkeypatch: pytest.MonkeyPatch) -> None:
    site("county_a")
    site("county_c")
    monkeypatch.setenv(manager.ENV_ALLOW, "")
    assert not {"county-a", "county-c"} & set(Engine().packs)
    monkeypatch.setenv(manager.ENV_ALLOW, "county-c, county-x")
    packs = set(Engine().packs)
    assert "county-c" in packs and "county-a" not in packs


def test_the_packs_command_lists_a_broken_pack_as_failed(site, capsys: pytest.CaptureFixture[str]) -> None:
    from duchaplugin.cli import main

    site("county_a")
    site("county_b", init="raise RuntimeError('县里的包坏了')\n")
    assert main(["packs"]) == 0
    out = capsys.readouterr().out
    line = next(l for l in out.splitlines() if l.startswith("county-b"))
    assert "加载失败" in line and "县里的包坏了" in line and "__init__.py:1" in line
    assert any(l.startswith("county-a\t") for l in out.splitlines())


def test_the_step_library_registers_markers_despite_a_broken_pack(site) -> None:
    """The pytest plugin lists every installed pack's tags as markers; a broken one must not stop a test run."""
    from duchaplugin.bdd import steps

    site("county_a")
    site("county_b", init="raise RuntimeError('县里的包坏了')\n")
    lines: list[str] = []
    config = type("Config", (), {"addinivalue_line": lambda self, name, line: lines.append(line)})()
    steps.pytest_configure(config)  # type: ignore[arg-type]
    assert "county-a: 规则包 测试〔2025〕1号" in lines and "art-1: 第一条" in lines
