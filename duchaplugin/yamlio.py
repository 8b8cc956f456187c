"""YAML reading for pack files: line numbers kept, and the traps of YAML closed.

- Every mapping and list remembers its line and each key's (item's) line, so pack errors name the
  file and line.
- A key written twice in one mapping is refused (PyYAML keeps the last silently: a rule's second
  ``then`` would replace the first without a word).
- Aliases are allowed, but the document as expanded may hold at most :data:`MAX_NODES` nodes, and
  an alias may not contain itself: a "billion laughs" file is refused while it is being read,
  before anything walks (or serialises) its expansion.
- Nesting deeper than :data:`MAX_DEPTH` is refused as such, not as a ``RecursionError``.
- YAML 1.2 booleans: only ``true``/``false``, so a rule's ``on:`` key stays a string.

Every refusal is a :class:`~duchaplugin.errors.PackError` naming the file and line.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml

from duchaplugin.errors import PackError

#: The most nodes a pack file may hold once its aliases are expanded (the largest built-in file
#: holds about 1,500).
MAX_NODES = 100_000
#: The deepest nesting of collections a pack file may have (the built-in packs nest 8 deep).
MAX_DEPTH = 64


class LineDict(dict):
    """A mapping read from YAML, remembering the line it starts on and each key's line (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list):
    """A sequence read from YAML, remembering the line it starts on and each item's line (1-based)."""

    line: int = 0
    key_lines: dict[int, int]


class _Refused(yaml.YAMLError):
    """A document this module will not construct: Chinese and English reasons and the line."""

    def __init__(self, zh: str, en: str, line: int | None) -> None:
        super().__init__(en)
        self.zh, self.en, self.line = zh, en, line


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader (libyaml's parser when installed: 8× faster, and every Engine reads every pack) with
    YAML 1.2 booleans, refused duplicate keys, bounded nesting and alias expansion."""

    def construct_document(self, node: yaml.Node) -> Any:
        _check_expansion(node)
        return super().construct_document(node)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a node graph nested deeper than :data:`MAX_DEPTH`, whose expansion exceeds
    :data:`MAX_NODES`, or that contains itself. Each distinct node is sized once (memoised), so the
    check is linear in the file, not in its expansion."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        line = node.start_mark.line + 1
        if key in open_nodes:
            raise _Refused("别名引用了包含它自身的节点（循环引用）", "an alias refers to a node that contains it (a cycle)", line)
        if depth > MAX_DEPTH:
            raise _Refused(f"嵌套超过 {MAX_DEPTH} 层", f"nested more than {MAX_DEPTH} levels deep", line)
        total = 1
        if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
            open_nodes.add(key)
            children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
            for child in children:
                total += size(child, depth + 1)
                if total > MAX_NODES:
                    raise _Refused(f"展开别名后节点超过 {MAX_NODES} 个，拒绝读取（疑为“十亿笑声”式文件）",
                                   f"more than {MAX_NODES} nodes once aliases are expanded: refused (a 'billion laughs' file?)",
                                   child.start_mark.line + 1)
            open_nodes.discard(key)
        sizes[key] = total
        return total

    size(root, 1)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            first = seen.get(key)
        except TypeError:  # an unhashable key (a list or mapping used as a key)
            raise _Refused("键应为文字或数字", "a key must be a string or a number", line) from None
        if first is not None:
            raise _Refused(f"键 {key!r} 重复（第{first}行已有）", f"duplicate key {key!r} (already on line {first})", line)
        seen[key] = line
    mapping = LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {key.value: key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
    return mapping


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    sequence = LineList(loader.construct_sequence(node, deep=True))
    sequence.line = node.start_mark.line + 1
    sequence.key_lines = {index: item.start_mark.line + 1 for index, item in enumerate(node.value)}
    return sequence


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def display_path(path: Path) -> str:
    """A pack file's path as its author knows it: relative to the ``sys.path`` entry holding it
    (``county_pack/rules.yaml``, ``duchaplugin/rules/cn/rules.yaml``), else absolute."""
    path = Path(path).absolute()
    for entry in sorted((Path(p or ".").absolute() for p in sys.path), key=lambda p: -len(p.parts)):
        if path.is_relative_to(entry):
            return path.relative_to(entry).as_posix()
    return path.as_posix()


def load_yaml(path: Path) -> Any:
    """Load a pack's YAML file; every problem becomes a :class:`PackError` naming the file and line."""
    where = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PackError(f"缺少文件 {path}（第三方规则包须把 YAML 文件作为包数据安装：pyproject.toml 的"
                        f" [tool.setuptools.package-data]）",
                        f"missing file {path} (a third-party pack must install its YAML files as package data:"
                        f" [tool.setuptools.package-data] in pyproject.toml)", file=where) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"无法读取（应为 UTF-8 文本）：{exc}", f"cannot read it (UTF-8 text expected): {exc}", file=where) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except _Refused as exc:
        raise PackError(exc.zh, exc.en, file=where, line=exc.line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        what = "; ".join(filter(None, (getattr(exc, "context", None), getattr(exc, "problem", None)))) or str(exc)
        where_in_line = f"（第{mark.column + 1}列）" if mark else ""
        raise PackError(f"YAML 语法错误：{what}{where_in_line}", f"YAML syntax error: {what}"
                        f"{f' (column {mark.column + 1})' if mark else ''}", file=where,
                        line=mark.line + 1 if mark else None) from None
    except RecursionError:  # the pure-Python parser, without libyaml, recurses while composing
        raise PackError(f"嵌套超过 {MAX_DEPTH} 层", f"nested more than {MAX_DEPTH} levels deep", file=where) from None


def line_of(node: Any, key: Any = None) -> int | None:
    """The line a mapping or list starts on, or the line of one of its keys (items)."""
    if key is not None and key in getattr(node, "key_lines", {}):
        return node.key_lines[key]
    return getattr(node, "line", None) or None
