"""Every parameter a built-in pack declares is read by something: a parameter nothing reads is a reading
promised to legal staff (parameters.yaml, "可选 …") that no rule keeps.

A parameter counts as read when its pack, a pack it extends, or a pack extending it (they resolve to one
parameter table, duchaplugin/packset.py) names it in rules.yaml or logic.py as ``param:<name>`` (a rule or
template argument, ``decision.value("param:<name>")``), ``pack.param("<name>")`` / ``decision.param("<name>")`` or ``{param.<name>}`` (a title
template), ``param.<name>`` (a condition on the pack's reading); a ladder's ``confirm: true`` reads
``ladder_confirmation``, and any ``confirm:`` reads the reminder's ``confirmation_reminder`` and
``confirmation_reminder_to`` (duchaplugin/confirmations.py); a date the host gives (``data.due``) reads
``due_on_rest_day`` (duchaplugin/effects.py). The exception is ``descriptive: true``, for a
parameter that only records the document's wording, and whose description must say so.

parameters.yaml is read as text (PyYAML) because the check is about the pack's source files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

RULES = Path(__file__).resolve().parent.parent / "duchaplugin" / "rules"
PACKS = {yaml.safe_load((d / "pack.yaml").read_text(encoding="utf-8"))["id"]: d
         for d in sorted(RULES.iterdir()) if (d / "parameters.yaml").exists()}
DESCRIPTIVE_SAYS = "仅记录文件用语"


def _extends(pack_id: str) -> str | None:
    return yaml.safe_load((PACKS[pack_id] / "pack.yaml").read_text(encoding="utf-8")).get("extends")


def _lineage(pack_id: str) -> list[str]:
    """The pack and the packs it extends, nearest first."""
    chain = [pack_id]
    while parent := _extends(chain[-1]):
        chain.append(parent)
    return chain


def _family(pack_id: str) -> list[str]:
    """The pack, its ancestors and its descendants."""
    return _lineage(pack_id) + [p for p in PACKS if pack_id in _lineage(p)[1:]]


#: Parameters the engine reads for a pack that writes these words (a confirmed action, a confirmed ladder).
IMPLICIT = {"ladder_confirmation": r"\bconfirm: true\b", "confirmation_reminder": r"\bconfirm:",
            "confirmation_reminder_to": r"\bconfirm:", "due_on_rest_day": r"\b(?:data|subject)\.due\b"}


def unread(parameters: dict[str, dict], sources: str) -> list[str]:
    """Names of ``parameters`` that ``sources`` never reads, descriptive ones excepted."""
    out = []
    for name, node in parameters.items():
        if node.get("descriptive"):
            continue
        n = re.escape(name)
        read = re.compile(rf"""(?:param[:.]{n}|\{{param\.{n}|\.param\(\s*["']{n}["']\s*\))(?![A-Za-z0-9_])""")
        if not read.search(sources) and not (name in IMPLICIT and re.search(IMPLICIT[name], sources)):
            out.append(name)
    return out


def pack_unread(pack_id: str) -> list[str]:
    parameters = yaml.safe_load((PACKS[pack_id] / "parameters.yaml").read_text(encoding="utf-8")) or {}
    sources = "\n".join((PACKS[p] / f).read_text(encoding="utf-8") for p in _family(pack_id)
                        for f in ("rules.yaml", "logic.py") if (PACKS[p] / f).exists())
    return unread(parameters, sources)


CHECKED = ["cn", "cn-yn", "cn-xj-hutubi"]


@pytest.mark.parametrize("pack_id", CHECKED)
def test_every_parameter_is_read_or_descriptive(pack_id: str) -> None:
    assert pack_id in PACKS
    assert pack_unread(pack_id) == [], "读取这些参数的规则，或标明 descriptive: true（说明仅记录文件用语）"


@pytest.mark.parametrize("pack_id", CHECKED)
def test_descriptive_parameters_say_they_only_record_the_wording(pack_id: str) -> None:
    parameters = yaml.safe_load((PACKS[pack_id] / "parameters.yaml").read_text(encoding="utf-8"))
    descriptive = {n: p for n, p in parameters.items() if p.get("descriptive")}
    assert descriptive, f"{pack_id} records some of the document's wording only"
    assert [n for n, p in descriptive.items() if DESCRIPTIVE_SAYS not in p.get("description", "") or p.get("default")] == []


def test_the_check_tells_a_read_parameter_from_one_that_only_shares_a_prefix() -> None:
    parameters = {"remind_lead": {}, "remind_lead_form": {}, "limit": {}, "title_word": {}, "kept": {"descriptive": True}}
    sources = 'warn: param:remind_lead\nlimit = decision.pack.param("limit")\ntitle: "{param.title_word}"\n'
    assert unread(parameters, sources) == ["remind_lead_form"]
