"""Every clause of every built-in pack is implemented (rules and scenarios) or has a recorded reason."""

from __future__ import annotations

import pytest

from duchaplugin.coverage import default_features_dir, feature_scenarios, pack_coverage
from duchaplugin.engine import Engine

ENGINE = Engine(entry_points=False)
SCENARIOS = feature_scenarios(default_features_dir())


@pytest.mark.parametrize("pack_id", sorted(ENGINE.packs))
def test_every_clause_is_accounted_for(pack_id: str) -> None:
    pack = ENGINE.packs[pack_id]
    coverage = pack_coverage(pack, ENGINE.packs.values(), SCENARIOS)
    assert len(coverage) == len(pack.clauses)
    unaccounted = [f"{c.path}（{'有规则缺场景' if c.rules else '无规则无理由'}）" for c in coverage if not c.accounted]
    assert not unaccounted, f"{pack_id} 未覆盖的条款：{'、'.join(unaccounted)}"


def test_a_clause_reaches_its_rules_and_scenarios_and_back() -> None:
    coverage = {c.path: c for c in pack_coverage(ENGINE.packs["cn"], ENGINE.packs.values(), SCENARIOS)}
    review = coverage["第十七条"]
    assert review.status == "implemented" and "cn:art17-late" in review.rules
    assert any("第十七条_复核.feature" in s for s in review.scenarios)
    assert coverage["第一条"].status == "reason" and coverage["第一条"].reason
