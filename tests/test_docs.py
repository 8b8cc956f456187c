"""The documents a newcomer follows: links stay inside the repository, the README's example runs,
and docs/contract.md names every event type, field, action kind and each pack's additions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from duchaplugin import Engine
from duchaplugin.eventdata import CORE_TYPE_FIELDS
from duchaplugin.models import ACTION_KINDS, CORE_EVENT_TYPES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONTRACT = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("document", ["README.md", *(f"docs/{p.name}" for p in sorted((ROOT / "docs").glob("*.md")))])
def test_paths_a_document_names_exist_in_the_repository(document: str) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")
    assert "../" not in text, f"{document} points outside the repository"
    named = set(re.findall(r"`((?:docs|examples|features|duchaplugin|tests|benchmarks)/[^`\s*<>]+?)`", text))
    named |= {target for target in re.findall(r"\]\(([^)#]+)\)", text) if "://" not in target}
    missing = [path for path in sorted(named) if not (ROOT / path).exists() and not list(ROOT.glob(path))]
    assert not missing, f"{document} names files that do not exist: {missing}"


def test_the_readme_embedding_example_runs() -> None:
    code = re.search(r"## 嵌入 / Embedding in a host\s+```python\n(.*?)```", README, re.S)
    assert code is not None
    exec(compile(code.group(1), "README.md", "exec"), {})  # noqa: S102 - the README's own example


def test_the_contract_names_every_type_field_and_kind() -> None:
    missing = [f"`{name}`" for name in CORE_EVENT_TYPES if f"`{name}`" not in CONTRACT]
    missing += [f"`{name}`" for fields in CORE_TYPE_FIELDS.values() for name in fields if f"`{name}`" not in CONTRACT]
    missing += [f"`{kind}`" for kind in (*ACTION_KINDS, "retraction") if f"`{kind}`" not in CONTRACT]
    assert not missing, f"docs/contract.md does not name {sorted(set(missing))}"
    assert list(CORE_TYPE_FIELDS) == list(CORE_EVENT_TYPES), "every core type has its fields listed (eventdata.py)"


def test_the_contract_names_each_built_in_packs_additions() -> None:
    engine = Engine(entry_points=False)
    for pack_id, pack in engine.packs.items():
        assert f"`{pack_id}`" in CONTRACT
        for name in [*pack.event_types, *pack.vocabulary]:
            assert f"`{name}`" in CONTRACT, f"docs/contract.md does not name {pack_id}'s `{name}`"
