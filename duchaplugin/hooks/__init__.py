"""The pluggy hook interface: markers, specification (:mod:`.spec`), plugin manager (:mod:`.manager`)."""

import pluggy

PROJECT = "duchaplugin"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

__all__ = ["PROJECT", "hookimpl", "hookspec"]
