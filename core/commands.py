"""Console commands that plugins add through the ``register_commands`` hook."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from core.bootstrap import Configuration
    from core.db import Database


class CommandError(Exception):
    """A user error in a console command: printed to standard error, exit status 1."""


class CommandContext:
    """What a command works with: the loaded configuration and, on demand, the database."""

    def __init__(self, configuration: "Configuration") -> None:
        self.configuration = configuration
        self._db: "Database | None" = None

    @property
    def settings(self):
        return self.configuration.settings

    def database(self) -> "Database":
        """The database, migrated first if it never was (a fresh install)."""
        if self._db is None:
            from core.bootstrap import open_database

            self._db = open_database(self.configuration, migrate=None)
        return self._db

    def clear_tracker_cache(self) -> None:
        """Tell every running tracker to reload its sites (and the log tables' columns) within
        seconds: call after changing what the tracker caches, or after adding a column."""
        from core.options import bump_cache_version

        bump_cache_version(self.database())


@dataclass(frozen=True)
class ConsoleCommand:
    """``trackway <name>``: ``configure`` adds the arguments, ``run`` does the work.

    Name commands ``<plugin>:<verb>`` in lower case (``usercountry:install-database``). Print
    created ids alone on the last line of standard output; raise ``CommandError`` for user errors.
    """

    name: str
    help: str
    run: Callable[[argparse.Namespace, CommandContext], None]
    configure: Callable[[argparse.ArgumentParser], None] = field(default=lambda parser: None)
