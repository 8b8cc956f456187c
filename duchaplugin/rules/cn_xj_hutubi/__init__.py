"""Built-in rule pack, registered as a plugin like any third-party pack."""

from pathlib import Path

from duchaplugin.hooks import hookimpl
from duchaplugin.rules.cn_xj_hutubi import logic


@hookimpl
def duchaplugin_register_packs(register):
    register(Path(__file__).parent, module=logic)
