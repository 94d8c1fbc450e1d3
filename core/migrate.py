"""Schema migrations with Alembic: the core branch plus one branch per enabled plugin."""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util.exc import CommandError

from core.db import Database
from core.plugins import LoadedPlugins

ALEMBIC_DIR = Path(__file__).resolve().parent.parent / "alembic"


class SchemaError(Exception):
    """The database's migration state cannot be reconciled with the installed plugins."""


def alembic_config(db: Database, plugins: LoadedPlugins, connection=None) -> Config:
    """An Alembic configuration that knows the core's branch and every installed plugin's,
    enabled or not (a disabled plugin's applied revisions must stay locatable)."""
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    locations = [str(ALEMBIC_DIR / "versions")]
    locations += [str(p.migrations_dir) for p in plugins.plugins if p.migrations_dir is not None]
    config.set_main_option("version_locations", " ".join(dict.fromkeys(locations)))
    config.set_main_option("path_separator", "space")
    config.attributes["tables_prefix"] = db.prefix
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_targets(plugins: LoadedPlugins) -> list[str]:
    """The core's branch and the branches of the enabled plugins (labelled with their names)."""
    return ["core@head"] + [f"{p.name}@head" for p in plugins.enabled if p.migrations_dir is not None]


def upgrade(db: Database, plugins: LoadedPlugins) -> None:
    """Bring the core and every enabled plugin to their latest revisions (idempotent). A
    disabled plugin's columns stay as they are."""
    with _explained(), db.engine.begin() as connection:
        config = alembic_config(db, plugins, connection)
        for target in upgrade_targets(plugins):
            command.upgrade(config, target)


def downgrade(db: Database, plugins: LoadedPlugins, target: str) -> None:
    with _explained(), db.engine.begin() as connection:
        command.downgrade(alembic_config(db, plugins, connection), target)


@contextmanager
def _explained():
    """Turn Alembic's "can't locate revision" into what a user can do about it."""
    try:
        yield
    except CommandError as exc:
        match = re.search(r"Can't locate revision identified by '([^']+)'", str(exc))
        if not match:
            raise
        raise SchemaError(
            f"the database holds migration {match.group(1)!r}, which no installed plugin provides: a plugin was "
            "probably uninstalled without `trackway plugin:downgrade NAME` first. Reinstall it, run "
            "`trackway plugin:downgrade NAME`, then uninstall it again; or, to keep its columns, delete the row "
            f"{match.group(1)!r} from the alembic_version table.") from exc


def pending_heads(db: Database, plugins: LoadedPlugins) -> set[str]:
    """Head revisions of the core's and the enabled plugins' branches not applied yet; empty
    when the database is up to date."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    script = ScriptDirectory.from_config(alembic_config(db, plugins))
    wanted = {rev.revision for target in upgrade_targets(plugins) for rev in script.get_revisions(target)}
    with db.engine.connect() as connection:
        if not inspect(connection).has_table(db.prefix + "alembic_version"):
            return wanted
        context = MigrationContext.configure(connection, opts={"version_table": db.prefix + "alembic_version"})
        current = context.get_current_heads()
    applied = {rev.revision for head in current for rev in script.iterate_revisions(head, "base")}
    return wanted - applied
