"""Schema migrations with Alembic: the core branch plus one branch per enabled plugin."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from core.db import Database
from core.plugins import LoadedPlugins

ALEMBIC_DIR = Path(__file__).resolve().parent.parent / "alembic"


def alembic_config(db: Database, plugins: LoadedPlugins, connection=None) -> Config:
    """An Alembic configuration whose version locations are the core's and every enabled plugin's."""
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    locations = [str(ALEMBIC_DIR / "versions")]
    locations += [str(p.migrations_dir) for p in plugins.enabled if p.migrations_dir is not None]
    config.set_main_option("version_locations", " ".join(locations))
    config.set_main_option("path_separator", "space")
    config.attributes["tables_prefix"] = db.prefix
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(db: Database, plugins: LoadedPlugins, target: str = "heads") -> None:
    """Bring the core and every enabled plugin to their latest revisions (idempotent)."""
    with db.engine.begin() as connection:
        command.upgrade(alembic_config(db, plugins, connection), target)


def downgrade(db: Database, plugins: LoadedPlugins, target: str) -> None:
    with db.engine.begin() as connection:
        command.downgrade(alembic_config(db, plugins, connection), target)


def pending_heads(db: Database, plugins: LoadedPlugins) -> set[str]:
    """Heads not yet applied; empty when the database is up to date."""
    config = alembic_config(db, plugins)
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with db.engine.connect() as connection:
        if not inspect(connection).has_table(db.prefix + "alembic_version"):
            return heads
        context = MigrationContext.configure(connection, opts={"version_table": db.prefix + "alembic_version"})
        current = set(context.get_current_heads())
    script = ScriptDirectory.from_config(config)
    applied: set[str] = set()
    for rev in current:
        applied.update(r.revision for r in script.iterate_revisions(rev, "base"))
    return heads - applied
