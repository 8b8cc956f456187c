"""The 督查台账 sentences of the shared step library (features/README.md), on the ledger a 督查室 files."""

from pathlib import Path

from pytest_bdd import scenarios

scenarios(str(Path(__file__).with_name("features") / "督查台账.feature"))
