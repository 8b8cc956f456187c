"""``duchaplugin new-pack``: the documented path of a county's pack author, end to end — scaffold,
``pip install`` into a fresh virtualenv, its own ``pytest`` passes through the shipped step
library, ``duchaplugin packs`` lists it, ``duchaplugin coverage ID`` counts its clauses and
scenarios and exits 0.

Offline: the fresh virtualenv sees this environment's packages through a ``.pth`` file (duchaplugin,
pytest, setuptools…), and the pack is installed with ``--no-build-isolation --no-deps --no-index``.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from duchaplugin.scaffold import ScaffoldError, write_pack


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_a_new_pack_installs_tests_lists_and_covers_itself(tmp_path: Path) -> None:
    steps = [e for e in importlib.metadata.distribution("duchaplugin").entry_points if e.group == "pytest11"]
    assert steps, "duchaplugin's metadata has no pytest11 entry point: reinstall it (pip install -e .)"
    command = Path(sys.executable).with_name("duchaplugin")
    made = _run(command, "new-pack", "cn-xx-county", "--extends", "cn-yn", "--dir", tmp_path / "pack")
    assert made.returncode == 0, made.stderr
    package = tmp_path / "pack"
    assert (package / "cn_xx_county" / "pack.yaml").is_file() and "下一步" in made.stderr

    venv = tmp_path / "venv"
    assert _run(sys.executable, "-m", "venv", "--without-pip", venv).returncode == 0
    python = venv / "bin" / "python"
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    here = sysconfig.get_paths()["purelib"]
    (Path(purelib) / "_duchaplugin_dev.pth").write_text(f"import site; site.addsitedir({here!r})\n", encoding="utf-8")
    installed = _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-build-isolation",
                     "--no-deps", "--no-index", package)
    assert installed.returncode == 0, installed.stderr
    assert (Path(purelib) / "cn_xx_county" / "features" / "一、报送专项情况.feature").is_file()  # package data

    tested = _run(python, "-m", "pytest", "-q", cwd=package)
    assert tested.returncode == 0 and "2 passed" in tested.stdout, tested.stdout + tested.stderr

    packs = _run(python, "-m", "duchaplugin.cli", "packs", cwd=tmp_path)
    line = next(l for l in packs.stdout.splitlines() if l.startswith("cn-xx-county\t"))
    assert "继承 cn-yn" in line and "条款覆盖 2/2" in line and "加载失败" not in packs.stdout

    coverage = _run(python, "-m", "duchaplugin.cli", "coverage", "cn-xx-county", cwd=tmp_path)
    assert coverage.returncode == 0, coverage.stdout + coverage.stderr
    assert "一、\t[已实现]" in coverage.stdout and "场景：一、报送专项情况.feature: 按时报送的，不再提醒" in coverage.stdout
    assert "二、\t[无需规则]" in coverage.stdout


@pytest.mark.parametrize("pack_id, parent, words", [
    ("CN_County", "cn", "规则包编号 'CN_County' 应为小写字母、数字"),
    ("cn-county", "cn-ym", "未安装上级规则包 cn-ym（是否想写 cn-yn？）"),
    ("cn-yn", "cn", "规则包 cn-yn 已经安装"),
])
def test_a_pack_that_cannot_be_written_is_refused(tmp_path: Path, pack_id: str, parent: str, words: str) -> None:
    with pytest.raises(ScaffoldError, match=words.replace("(", r"\(").replace("?", r"\?")):
        write_pack(pack_id, parent, tmp_path / "pack")
    assert not (tmp_path / "pack").exists()


def test_a_directory_in_use_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "notes.txt").write_text("县里的文件", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="已存在且不为空"):
        write_pack("cn-county", "cn", tmp_path / "pack")
    assert [p.name for p in (tmp_path / "pack").iterdir()] == ["notes.txt"]
