"""duchaplugin — 政府督查督办规则引擎插件 (a rules-engine plugin for government supervision work).

Hosts usually need only :class:`Engine`; the pluggy hook interface is in
:mod:`duchaplugin.hooks`, the host contract in :mod:`duchaplugin.models`.
"""

import sys as _sys

if not (3, 11) <= _sys.version_info[:2] < (3, 13):  # before durable-rules fails with a raw ImportError
    raise ImportError(
        f"duchaplugin 需要 Python 3.11 或 3.12，当前为 {_sys.version_info[0]}.{_sys.version_info[1]}：其规则引擎 durable-rules 2.0.28"
        f"（最后一个版本）在 3.13 上无法加载（调用已移除的 PyEval_CallObject） / duchaplugin needs Python 3.11 or 3.12, this is"
        f" {_sys.version_info[0]}.{_sys.version_info[1]}: its rules engine durable-rules 2.0.28 (the last release) does not load"
        f" on 3.13 (it calls the removed PyEval_CallObject)")

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["Action", "Basis", "ContractError", "Engine", "Event", "PackError", "RuleError", "SubjectState"]

#: Where each name of ``__all__`` lives: imported on first use, so that ``import duchaplugin.errors``
#: (and the command line's usage errors, help, ``--version``) do not load the rules engine.
_LAZY = {"Engine": "duchaplugin.engine", "ContractError": "duchaplugin.errors", "PackError": "duchaplugin.errors",
         "RuleError": "duchaplugin.errors", "Action": "duchaplugin.models", "Basis": "duchaplugin.models",
         "Event": "duchaplugin.models", "SubjectState": "duchaplugin.models"}

if TYPE_CHECKING:
    from duchaplugin.engine import Engine
    from duchaplugin.errors import ContractError, PackError, RuleError
    from duchaplugin.models import Action, Basis, Event, SubjectState


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'duchaplugin' has no attribute {name!r}")
