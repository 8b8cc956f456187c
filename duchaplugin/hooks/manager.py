"""The plugin manager: built-in packs registered as plugins, third-party ones from entry points.

A third-party pack is whatever is installed in the environment, so one broken entry point (an
import error, a YAML mistake, a duplicate pack id, a pack extending one that failed) must not stop
the others: it is recorded as a :class:`BrokenPack` — its entry point, distribution, file and line,
and cause, in Chinese and English — warned about (:class:`BrokenPackWarning`), unregistered, and
the other packs load. ``DUCHAPLUGIN_STRICT=1`` makes the first such failure an error instead
(CI of a host that must run with all its packs). Built-in packs and plugins the host passes to
``Engine(plugins=…)`` always fail fast: they are not the environment's, they are the caller's.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import traceback
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import pluggy

from duchaplugin.errors import DuchaError, PackError
from duchaplugin.hooks import PROJECT, spec

#: Built-in packs, registered exactly like third-party ones.
BUILTIN_PLUGINS = ("duchaplugin.rules.cn", "duchaplugin.rules.cn_yn", "duchaplugin.rules.cn_xj_hutubi")

#: Comma-separated entry-point names to load from the group ``duchaplugin``; unset loads all,
#: empty loads none.
ENV_ALLOW = "DUCHAPLUGIN_PLUGINS"
#: ``1`` (or ``true``/``yes``): a third-party pack that fails to load is an error, not a warning.
ENV_STRICT = "DUCHAPLUGIN_STRICT"


class BrokenPackWarning(UserWarning):
    """A third-party pack failed to load and was skipped (see ``Engine.broken_packs``)."""


@dataclass(frozen=True)
class BrokenPack:
    """A third-party plugin whose packs were skipped, and why."""

    plugin: str  # the entry point's name
    entry_point: str  # ``name = module:attr``
    distribution: str  # ``name version`` of the installed distribution
    cause: str  # in Chinese and English, with the file and line when known
    packs: tuple[str, ...] = ()  # the pack ids it registered before failing, if any

    def describe(self) -> str:
        zh, en = self.cause.split(" / ", 1) if " / " in self.cause else (self.cause, self.cause)
        return (f"第三方规则包 {self.plugin}（入口 {self.entry_point}，{self.distribution}）加载失败，已跳过：{zh}"
                f" / third-party pack {self.plugin} (entry point {self.entry_point}, {self.distribution}) failed to load"
                f" and was skipped: {en}")


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, remembering which plugins came from entry points and which failed."""

    def __init__(self) -> None:
        super().__init__(PROJECT)
        self.entry_points: dict[str, tuple[importlib.metadata.EntryPoint, str]] = {}  # plugin name → (entry point, distribution)
        self.broken: list[BrokenPack] = []

    def isolate(self, plugin: object, exc: BaseException, packs: Iterable[str] = ()) -> bool:
        """Record an entry-point ``plugin`` that failed with ``exc`` and unregister it (True); a built-in
        or host plugin is not isolated (False: the caller re-raises)."""
        name = plugin if isinstance(plugin, str) else self.get_name(plugin)
        if name not in self.entry_points:
            return False
        entry_point, distribution = self.entry_points[name]
        self.fail(BrokenPack(name, f"{entry_point.name} = {entry_point.value}", distribution, describe_exception(exc),
                             tuple(packs)), exc)
        if self.get_plugin(name) is not None:
            self.unregister(name=name)
        return True

    def fail(self, broken: BrokenPack, exc: BaseException) -> None:
        if os.environ.get(ENV_STRICT, "").strip().lower() in ("1", "true", "yes"):
            zh, en = broken.describe().split(" / ", 1)
            raise PackError(f"{zh}（{ENV_STRICT}=1）", f"{en} ({ENV_STRICT}=1)") from exc
        self.broken.append(broken)
        warnings.warn(broken.describe(), BrokenPackWarning, stacklevel=3)


def describe_exception(exc: BaseException) -> str:
    """A plugin's failure in one line, Chinese / English, with the file and line it happened at."""
    if isinstance(exc, DuchaError):
        return exc.describe()
    where = ""
    if isinstance(exc, SyntaxError) and exc.filename:
        where = f"{exc.filename}:{exc.lineno}"
    else:
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if not f.filename.startswith("<") and "importlib" not in f.filename and "pluggy" not in f.filename]
        if frames:
            where = f"{frames[-1].filename}:{frames[-1].lineno}"
    text = f"{type(exc).__name__}: {exc}"
    return f"{where + '：' if where else ''}{text} / {where + ': ' if where else ''}{text}"


def installed_entry_points() -> list[tuple[importlib.metadata.EntryPoint, str]]:
    """Entry points of the group ``duchaplugin`` with their distribution (``name version``), the
    first of each name (a distribution found twice on the path counts once)."""
    found: dict[str, tuple[importlib.metadata.EntryPoint, str]] = {}
    for dist in importlib.metadata.distributions():
        for entry_point in dist.entry_points:
            if entry_point.group == PROJECT and entry_point.name not in found:
                found[entry_point.name] = (entry_point, f"{dist.metadata['Name']} {dist.version}")
    return list(found.values())


def plugin_manager(plugins: Iterable[object] = (), *, entry_points: bool = True) -> PluginManager:
    """A plugin manager with the built-in packs, the allowed entry points and ``plugins``."""
    pm = PluginManager()
    pm.add_hookspecs(spec)
    for name in BUILTIN_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    if entry_points:
        allowed = os.environ.get(ENV_ALLOW)
        names = None if allowed is None else {n.strip() for n in allowed.split(",") if n.strip()}
        for entry_point, distribution in installed_entry_points():
            if names is None or entry_point.name in names:
                _load_entry_point(pm, entry_point, distribution)
    for plugin in plugins:
        pm.register(plugin)
    pm.check_pending()
    return pm


def _load_entry_point(pm: PluginManager, entry_point: importlib.metadata.EntryPoint, distribution: str) -> None:
    if pm.get_plugin(entry_point.name) is not None or pm.is_blocked(entry_point.name):
        return
    pm.entry_points[entry_point.name] = (entry_point, distribution)
    try:
        pm.register(entry_point.load(), name=entry_point.name)
        pm.check_pending()  # a misspelt hook of this plugin (the ones before it passed)
    except Exception as exc:  # noqa: BLE001 - anything a third party's import does is its failure
        pm.isolate(entry_point.name, exc)


def register_packs(pm: PluginManager, register: Callable[..., None], packs: dict[str, Any]) -> dict[str, str]:
    """Call every plugin's ``duchaplugin_register_packs`` in the order they were registered — built-in
    packs first, so an entry point reusing a built-in id is the one refused (``register`` fills
    ``packs``); an entry-point plugin that fails is isolated and the packs it registered are
    removed, any other failure is raised. Returns pack id → the name of the plugin that registered it."""
    owners: dict[str, str] = {}
    for impl in pm.hook.duchaplugin_register_packs.get_hookimpls():  # built-ins, entry points, the host's
        before = set(packs)
        try:
            impl.function(register=register)
        except Exception as exc:
            added = [p for p in packs if p not in before]
            if not pm.isolate(impl.plugin, exc, added):
                raise
            for pack_id in added:
                del packs[pack_id]
            continue
        owners.update({p: impl.plugin_name for p in packs if p not in before})
    return owners


def validate_packs(pm: PluginManager, packs: dict[str, Any], build: Callable[[str], object],
                   owners: dict[str, str]) -> None:
    """Build every pack now, parents first, not on its first event. A third-party pack that fails —
    or extends one that failed — is isolated with every pack of its plugin (removed from ``packs``)."""
    def depth(pack_id: str) -> int:
        seen = [pack_id]
        while (parent := packs[seen[-1]].extends) in packs and parent not in seen:
            seen.append(parent)
        return len(seen)

    lost: set[str] = set()
    for pack_id in sorted(packs, key=depth):
        if pack_id not in packs:
            continue  # dropped with its plugin
        try:
            if packs[pack_id].extends in lost:
                parent = packs[pack_id].extends
                raise PackError(f"所继承的规则包 {parent} 加载失败", f"the pack it extends, {parent}, failed to load")
            build(pack_id)
        except PackError as exc:
            plugin = owners.get(pack_id, "")
            dropped = [p for p in packs if owners.get(p) == plugin] if plugin in pm.entry_points else [pack_id]
            if not pm.isolate(plugin, exc, dropped):
                raise
            lost.update(dropped)
            for dropped_id in dropped:
                del packs[dropped_id]
