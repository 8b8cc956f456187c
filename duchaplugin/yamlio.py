"""YAML reading that keeps line numbers, so pack errors can name the file and line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml


class LineDict(dict):
    """A mapping read from YAML, remembering the line it starts on and each key's line (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false, so a rule's ``on:`` key stays a string."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {key.value: key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path) -> Any:
    """Load a YAML file; a syntax error becomes a :class:`~duchaplugin.errors.PackError` with its line."""
    from duchaplugin.errors import PackError

    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PackError(f"YAML 语法错误：{exc}", f"YAML syntax error: {exc}", field=path.name,
                        line=mark.line + 1 if mark else None) from None


def line_of(node: Any, key: Any = None) -> int | None:
    """The line a mapping starts on, or the line of one of its keys."""
    if key is not None and key in getattr(node, "key_lines", {}):
        return node.key_lines[key]
    return getattr(node, "line", None) or None
