"""Shared fixtures; the Gherkin steps of every pack live in ``tests/bdd/steps.py``."""

pytest_plugins = ["tests.bdd.steps"]


def pytest_configure(config):
    """Register the ASCII tags of every built-in pack and clause as markers (``pytest -m art-17``)."""
    from duchaplugin.hooks.manager import BUILTIN_PLUGINS
    from duchaplugin.pack import load_pack
    import importlib
    from pathlib import Path

    for name in BUILTIN_PLUGINS:
        pack = load_pack(Path(importlib.import_module(name).__file__).parent)
        config.addinivalue_line("markers", f"{pack.id}: 规则包 {pack.number}")
        for clause in pack.clauses.values():
            config.addinivalue_line("markers", f"{clause.tag}: {clause.path}")


def pytest_collection_modifyitems(config, items):
    """``@pytest.mark.slow`` tests (more hypothesis examples) run only when asked: ``-m slow``."""
    import pytest

    if "slow" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="慢速测试，用 -m slow 运行 / slow: run with -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
