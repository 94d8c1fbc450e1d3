"""The plugin manager: finds plugins through entry points, loads the enabled ones, checks their hooks."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import sys
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from types import ModuleType
from collections.abc import Iterable

import pluggy

from core import hookspecs

ENTRY_POINT_GROUP = "trackway.plugins"
PROJECT = "trackway"
ESSENTIAL_PLUGINS = frozenset({"CoreHome"})
"""Plugins that cannot be disabled: they fill the columns the core's visit rows need."""
LOAD_PLUGINS_ENV = "TRACKWAY_LOAD_PLUGINS"
"""Comma-separated allow-list of plugin names; when set, no other plugin is loaded (the test suite sets it)."""
TRACE_PLUGINS_ENV = "TRACKWAY_TRACE_PLUGINS"
"""When set to 1, every hook call is logged with its arguments and results."""

log = logging.getLogger("trackway.plugins")
hookimpl = pluggy.HookimplMarker(PROJECT)


class PluginLoadError(Exception):
    """A plugin could not be loaded; the message names it and says why."""


@dataclass
class PluginInfo:
    name: str
    module_name: str
    distribution: str
    version: str
    bundled: bool
    enabled: bool
    module: ModuleType | None = None
    error: str | None = None
    """Why the plugin could not be loaded (only when loaded with ``skip_broken``)."""

    @property
    def migrations_dir(self) -> Path | None:
        """The plugin's Alembic branch: ``migrations/`` beside its module, when there is one.

        Known for disabled plugins too (without importing them), so the revisions they once
        applied can still be located."""
        origin = getattr(self.module, "__file__", None) if self.module is not None else module_origin(self.module_name)
        if not origin:
            return None
        folder = Path(origin).resolve().parent / "migrations"
        # a new plugin's folder may hold no revision yet: then there is no branch to migrate
        return folder if folder.is_dir() and any(folder.glob("*.py")) else None


@dataclass
class LoadedPlugins:
    manager: pluggy.PluginManager
    plugins: list[PluginInfo]

    @property
    def enabled(self) -> list[PluginInfo]:
        return [p for p in self.plugins if p.enabled]

    def info(self, name: str) -> PluginInfo | None:
        return next((p for p in self.plugins if p.name == name), None)


def new_plugin_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(PROJECT)
    manager.add_hookspecs(hookspecs)
    return manager


def discover(environ: dict[str, str] | None = None) -> list[EntryPoint]:
    """Every registered plugin entry point, bundled first, each group in name order."""
    found = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}
    return sorted(found.values(), key=lambda ep: (not _is_bundled(ep), ep.name.lower()))


def bundled_plugin_names() -> list[str]:
    """The names of the plugins trackway itself ships, in load order (for hermetic test runs)."""
    return [ep.name for ep in discover() if _is_bundled(ep)]


def load_plugins(disabled: Iterable[str] = (), environ: dict[str, str] | None = None,
                 extra_modules: Iterable[tuple[str, ModuleType]] = (), *, skip_broken: bool = False) -> LoadedPlugins:
    """Load every enabled plugin into a fresh plugin manager.

    ``disabled`` comes from ``[Plugins] disabled`` and ``plugin:deactivate``; the allow-list env
    var narrows the set further. ``extra_modules`` are (name, module) pairs registered as well
    (tests use it to load a plugin that is not installed). A plugin that fails to import or has
    an invalid hook raises ``PluginLoadError`` naming it; with ``skip_broken`` it is left out
    instead, with a warning, and its ``error`` says why (the plugin commands use this so a broken
    plugin can still be listed and deactivated).
    """
    environ = dict(os.environ) if environ is None else environ
    disabled_set = set(disabled)
    essential = disabled_set & ESSENTIAL_PLUGINS
    if essential:
        raise PluginLoadError(f"plugin {sorted(essential)[0]} is essential and cannot be disabled")
    allow = _allow_list(environ)
    manager = new_plugin_manager()
    infos: list[PluginInfo] = []
    for ep in discover(environ):
        dist = (ep.dist.name or "") if ep.dist is not None else ""
        version = (ep.dist.version or "") if ep.dist is not None else ""
        enabled = ep.name not in disabled_set and (allow is None or ep.name in allow or ep.name in ESSENTIAL_PLUGINS)
        info = PluginInfo(ep.name, ep.value, dist, version, _is_bundled(ep), enabled)
        infos.append(info)
        if enabled:
            _load_one(manager, info, lambda: _import(info.name, info.module_name), skip_broken)
    for name, module in extra_modules:
        info = PluginInfo(name, module.__name__, "", "", False, True)
        infos.append(info)
        _load_one(manager, info, lambda: module, skip_broken)
    _check_hook_names(manager, infos, skip_broken)
    if environ.get(TRACE_PLUGINS_ENV) == "1":
        _trace(manager)
    return LoadedPlugins(manager, infos)


def _load_one(manager: pluggy.PluginManager, info: PluginInfo, load, skip_broken: bool) -> None:
    try:
        info.module = load()
        _register(manager, info.name, info.module)
    except PluginLoadError as exc:
        if not skip_broken:
            raise
        _set_broken(info, str(exc))


def _check_hook_names(manager: pluggy.PluginManager, infos: list[PluginInfo], skip_broken: bool) -> None:
    while True:
        try:
            manager.check_pending()
            return
        except pluggy.PluginValidationError as exc:
            name = manager.get_name(exc.plugin) or "?"
            message = f"plugin {name} implements an unknown hook: {exc}"
            if not skip_broken:
                raise PluginLoadError(message + f" (fix or uninstall it, or `trackway plugin:deactivate {name}`)") from exc
            manager.unregister(exc.plugin)
            _set_broken(next(i for i in infos if i.name == name), message)


def _set_broken(info: PluginInfo, message: str) -> None:
    info.enabled = False
    info.module = None
    info.error = message
    log.warning("skipping broken %s", message)


def module_origin(module_name: str) -> str | None:
    """Where a module's file is, found without running the module (its parent packages do run)."""
    try:
        spec = importlib.util.find_spec(module_name.split(":", 1)[0])
    except (ImportError, ValueError):
        return None
    return spec.origin if spec is not None else None


def _is_bundled(ep: EntryPoint) -> bool:
    # a distribution being (re)installed at this moment may have no name yet
    return ep.dist is not None and (ep.dist.name or "").lower() == PROJECT


def _allow_list(environ: dict[str, str]) -> set[str] | None:
    raw = environ.get(LOAD_PLUGINS_ENV)
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


def _import(name: str, module_name: str) -> ModuleType:
    try:
        return importlib.import_module(module_name)
    except Exception as exc:  # any import-time failure is the plugin's, and must name it
        raise PluginLoadError(f"plugin {name} ({module_name}) failed to import: {type(exc).__name__}: {exc} "
                              f"(fix or uninstall it, or `trackway plugin:deactivate {name}`)") from exc


def _register(manager: pluggy.PluginManager, name: str, module: ModuleType) -> None:
    try:
        manager.register(module, name=name)
    except (pluggy.PluginValidationError, ValueError) as exc:
        if manager.has_plugin(name):  # hooks verified before the bad one were already added
            manager.unregister(name=name)
        raise PluginLoadError(f"plugin {name} has an invalid hook implementation: {exc} "
                              f"(fix or uninstall it, or `trackway plugin:deactivate {name}`)") from exc


def _trace(manager: pluggy.PluginManager) -> None:
    def before(hook_name, hook_impls, kwargs):
        print(f"trackway hook {hook_name} -> {[impl.plugin_name for impl in hook_impls]} {kwargs!r}", file=sys.stderr)

    def after(outcome, hook_name, hook_impls, kwargs):
        print(f"trackway hook {hook_name} <- {outcome.get_result()!r}", file=sys.stderr)

    manager.add_hookcall_monitoring(before, after)


def plugin_order(loaded: LoadedPlugins) -> dict[str, int]:
    """Position of each enabled plugin in load order (bundled first, then by name)."""
    return {info.name: index for index, info in enumerate(loaded.enabled)}
