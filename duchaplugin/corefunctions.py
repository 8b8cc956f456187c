"""Functions every pack's rules may ``call`` (named ``core.<name>``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from duchaplugin.confirmations import remind_confirmation, withdraw_proposals

if TYPE_CHECKING:
    from duchaplugin.effects import Decision


def reject_missing(decision: "Decision", fields: dict[str, str], title: str = "") -> None:
    """Reject an event lacking required fields, naming each in the document's words."""
    missing = [words for name, words in fields.items()
               if not any(decision.data.get(n) not in (None, "", [], {}) for n in name.split("|"))]
    if missing:
        decision.reject(f"{title or '缺少必备内容'}：缺少{'、'.join(missing)}", missing=missing)


FUNCTIONS = {"core.reject_missing": reject_missing, "core.remind_confirmation": remind_confirmation,
             "core.withdraw_proposals": withdraw_proposals}
