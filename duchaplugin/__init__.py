"""duchaplugin — 政府督查督办规则引擎插件 (a rules-engine plugin for government supervision work).

Hosts usually need only :class:`Engine`; the pluggy hook interface is in
:mod:`duchaplugin.hooks`, the host contract in :mod:`duchaplugin.models`.
"""

from duchaplugin.engine import Engine
from duchaplugin.errors import ContractError, PackError, RuleError
from duchaplugin.models import Action, Basis, Event, SubjectState

__version__ = "0.1.0"
__all__ = ["Action", "Basis", "ContractError", "Engine", "Event", "PackError", "RuleError", "SubjectState"]
