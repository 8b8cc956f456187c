"""Shared fixtures; the Gherkin steps every pack's features use come from ``duchaplugin.bdd.steps``."""

pytest_plugins = ["duchaplugin.bdd.steps"]
