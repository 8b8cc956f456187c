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
