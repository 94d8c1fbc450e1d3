"""Building the long-lived objects from configuration: settings, plugins, database, tracker."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import inspect

from core.db import Database, make_engine
from core.plugin_state import deactivated_plugins
from core.plugins import LoadedPlugins, load_plugins
from core.settings import CORE_SCHEMA, ConfigError, Schema, Settings, database_url, load_settings, read_config_file


@dataclass
class Configuration:
    settings: Settings
    plugins: LoadedPlugins
    environ: Mapping[str, str]

    @property
    def database_url(self) -> str:
        return database_url(self.settings, self.environ)


def load_configuration(environ: Mapping[str, str] | None = None, *, skip_broken_plugins: bool = False) -> Configuration:
    """Read the config file and environment, load the enabled plugins, validate every key.

    Two passes: ``[Plugins]`` and ``[database]`` first (they decide which plugins load: the
    config's ``disabled`` list and the plugins deactivated in the database), then every section
    once the plugins have declared theirs.
    """
    environ = dict(os.environ) if environ is None else dict(environ)
    raw, source = read_config_file(environ)
    first = load_settings(CORE_SCHEMA, raw, source=source, environ=environ, only_sections=["Plugins", "database"])
    deactivated = deactivated_plugins(database_url(first, environ), first.get("database", "tables_prefix"))
    plugins = load_plugins([*first.get("Plugins", "disabled"), *deactivated], environ,
                           skip_broken=skip_broken_plugins)
    schema = full_schema(plugins)
    # A disabled plugin's section is kept for when it is enabled again, not rejected as unknown.
    dormant = {p.name.lower() for p in plugins.plugins if not p.enabled} - {s.lower() for s in schema}
    raw = {section: keys for section, keys in raw.items() if section.lower() not in dormant}
    overrides = {k: v for k, v in environ.items() if _override_section(k) not in dormant}
    settings = load_settings(schema, raw, source=source, environ=overrides)
    return Configuration(settings, plugins, environ)


def _override_section(variable: str) -> str | None:
    """The section an environment override like TRACKWAY_PRIVACYMANAGER__KEY addresses, lower-cased."""
    if not variable.startswith("TRACKWAY_") or "__" not in variable:
        return None
    return variable[len("TRACKWAY_"):].split("__", 1)[0].lower()


def full_schema(plugins: LoadedPlugins) -> Schema:
    """The core's sections plus every enabled plugin's; a section declared twice is an error."""
    schema: Schema = {section: dict(keys) for section, keys in CORE_SCHEMA.items()}
    for impl in plugins.manager.hook.settings_schema.get_hookimpls():
        for section, keys in (impl.function() or {}).items():
            if section.lower() in {name.lower() for name in schema}:
                raise ConfigError(f"plugin {impl.plugin_name} declares the section [{section}], which already exists")
            schema[section] = dict(keys)
    return schema


def open_database(config: Configuration, *, migrate: bool | None = True) -> Database:
    """The database with its tables reflected. ``migrate``: True brings every branch to its
    latest revision; None migrates only a database that was never migrated (quick console
    commands on a fresh install); False never migrates."""
    db_settings = config.settings.section("database")
    db = Database(make_engine(config.database_url, db_settings["pool_size"]), db_settings["tables_prefix"])
    if migrate or (migrate is None and not is_migrated(db)):
        from core.migrate import upgrade  # imports Alembic, which quick commands do without

        upgrade(db, config.plugins)
    db.reflect()
    return db


def is_migrated(db: Database) -> bool:
    return inspect(db.engine).has_table(db.prefix + "alembic_version")
