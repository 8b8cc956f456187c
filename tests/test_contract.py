"""The contract's artefacts: hook documentation, JSON Schemas, replay and the command line."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

from duchaplugin.hooks import spec

ROOT = Path(__file__).resolve().parent.parent


def test_every_hook_is_documented() -> None:
    docs = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    hooks = [name for name, _ in inspect.getmembers(spec, inspect.isfunction) if name.startswith("duchaplugin_")]
    assert hooks
    for name in hooks:
        signature = f"## {name}({', '.join(inspect.signature(getattr(spec, name)).parameters)})"
        assert signature in docs, f"docs/hooks.md lacks a section {signature}"
        assert getattr(spec, name).__doc__, f"{name} has no docstring"


