"""Clause paths as documents write them, and the ASCII tags derived from them.

``第七条（一）1.（3）`` → ``art-7-1-1-3``; ``二、（一）2.（3）`` → ``s2-1-2-3``; ``第五条第二款`` → ``art-5-p2``.
Tags select scenarios by clause (``pytest -m art-17``) and link features back to the clause tree.
"""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_TOKEN = re.compile(r"第([零一二三四五六七八九十百]+)条|第([零一二三四五六七八九十百]+)款|([零一二三四五六七八九十百]+)、"
                    r"|（([零一二三四五六七八九十百]+)）|（(\d+)）|(\d+)\.|(前言|附则)")


def chinese_number(text: str) -> int:
    """``二十八`` → 28, ``十`` → 10, ``一百零一`` → 101."""
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[char]
    return total + current


def clause_tag(path: str) -> str:
    """The ASCII tag of a clause path; raises ``ValueError`` for a path that is not well formed."""
    parts: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(path):
        if match.start() != pos:
            break
        pos = match.end()
        article, paragraph, section, item_zh, item_num, point, named = match.groups()
        if article:
            parts.append(f"art-{chinese_number(article)}")
        elif paragraph:
            parts.append(f"p{chinese_number(paragraph)}")
        elif section:
            parts.append(f"s{chinese_number(section)}")
        elif item_zh:
            parts.append(str(chinese_number(item_zh)))
        elif named:
            parts.append({"前言": "preamble", "附则": "annex"}[named])
        else:
            parts.append(item_num or point)
    if pos != len(path) or not parts:
        raise ValueError(f"条款路径格式不正确：{path!r} / malformed clause path: {path!r}")
    return "-".join(parts)
