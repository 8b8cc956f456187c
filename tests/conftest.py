"""Shared fixtures; the Gherkin steps every pack's features use come from ``duchaplugin.bdd.steps``."""

pytest_plugins = ["duchaplugin.bdd.steps"]


def pytest_collection_modifyitems(config, items):
    """``@pytest.mark.slow`` tests (more hypothesis examples) run only when asked: ``-m slow``."""
    import pytest

    if "slow" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="慢速测试，用 -m slow 运行 / slow: run with -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
