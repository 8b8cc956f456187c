"""The plugin manager: built-in packs registered as plugins, third-party ones from entry points."""

from __future__ import annotations

import importlib
import os
from typing import Iterable

import pluggy

from duchaplugin.hooks import PROJECT, spec

#: Built-in packs, registered exactly like third-party ones.
BUILTIN_PLUGINS = ("duchaplugin.rules.cn", "duchaplugin.rules.cn_yn", "duchaplugin.rules.cn_xj_hutubi")

#: Comma-separated entry-point names to load from the group ``duchaplugin``; unset loads all,
#: empty loads none.
ENV_ALLOW = "DUCHAPLUGIN_PLUGINS"


def plugin_manager(plugins: Iterable[object] = (), *, entry_points: bool = True) -> pluggy.PluginManager:
    """A plugin manager with the built-in packs, the allowed entry points and ``plugins``."""
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(spec)
    for name in BUILTIN_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    if entry_points:
        allowed = os.environ.get(ENV_ALLOW)
        if allowed is None:
            pm.load_setuptools_entrypoints(PROJECT)
        else:
            for name in filter(None, (n.strip() for n in allowed.split(","))):
                pm.load_setuptools_entrypoints(PROJECT, name=name)
    for plugin in plugins:
        pm.register(plugin)
    pm.check_pending()
    return pm
