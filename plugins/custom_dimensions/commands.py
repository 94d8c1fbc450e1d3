"""Console commands: ``customdimension:add``, ``:list``, ``:activate`` and ``:deactivate``.

Each change bumps the tracker cache version, so running servers reload the site's dimensions
(and the log tables' columns, when a slot was added) within seconds, without a restart.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from core import CommandContext, CommandError, ConsoleCommand

from plugins.custom_dimensions.configuration import (MAX_NAME_LENGTH, SCOPE_TABLES, SCOPES, TABLE, column_name,
                                                     config_table)
from plugins.custom_dimensions.extraction import ExtractionError, from_json, parse_option, to_json
from plugins.custom_dimensions.slots import ensure_slot, lowest_free_index


def _database(context: CommandContext) -> Any:
    db = context.database()
    if not inspect(db.engine).has_table(db.prefix + TABLE):
        raise CommandError(f"the table {db.prefix + TABLE} does not exist yet: run `trackway core:update` first")
    return db


def _require_site(connection: Connection, db: Any, idsite: int) -> None:
    site = db.table("site")
    if connection.execute(select(site.c.idsite).where(site.c.idsite == idsite)).first() is None:
        raise CommandError(f"site {idsite} does not exist (see site:list)")


# -- customdimension:add -------------------------------------------------------------------------


def add(args: argparse.Namespace, context: CommandContext) -> None:
    name = args.name.strip()
    if not name:
        raise CommandError("--name must not be empty")
    if len(name) > MAX_NAME_LENGTH:
        raise CommandError(f"--name must be at most {MAX_NAME_LENGTH} characters")
    try:
        extractions = [parse_option(text) for text in args.extraction]
    except ExtractionError as exc:
        raise CommandError(str(exc)) from None

    db = _database(context)
    table = config_table(db.prefix)
    with db.engine.connect() as connection:
        _require_site(connection, db, args.idsite)
        existing = connection.execute(select(table.c.idcustomdimension, table.c.scope, table.c["index"])
                                      .where(table.c.idsite == args.idsite)).all()
    idcustomdimension = max((row.idcustomdimension for row in existing), default=0) + 1
    index = lowest_free_index({row._mapping["index"] for row in existing if row.scope == args.scope})

    added = ensure_slot(db, args.scope, index)
    try:
        with db.engine.begin() as connection:
            connection.execute(table.insert().values(
                idcustomdimension=idcustomdimension, idsite=args.idsite, name=name, index=index, scope=args.scope,
                active=1, extractions=to_json(extractions), case_sensitive=int(args.case_sensitive)))
    except IntegrityError:
        raise CommandError(f"another dimension was added to site {args.idsite} at the same time; "
                           "run the command again") from None
    context.clear_tracker_cache()

    if added:
        print(f"Added column {column_name(index)} to {', '.join(added)}.")
    print(f"Site {args.idsite}: {args.scope} dimension {name!r} is stored in {column_name(index)} of "
          f"{', '.join(SCOPE_TABLES[args.scope])}; send it as dimension{idcustomdimension}.")
    print(idcustomdimension)


def _configure_add(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--idsite", type=int, required=True, help="the site the dimension belongs to")
    parser.add_argument("--name", required=True, help=f"a name for people (at most {MAX_NAME_LENGTH} characters)")
    parser.add_argument("--scope", required=True, choices=SCOPES,
                        help="visit: one value per visit (log_visit); action: one per action (log_link_visit_action)")
    parser.add_argument("--extraction", action="append", default=[], metavar="DIM=PATTERN",
                        help="when the request does not send the value, take it from DIM: url (a regular expression "
                             "on the page URL), urlparam (a query-parameter name) or action_name (a regular "
                             "expression on the page title); the regular expression has exactly one capturing "
                             "group. Repeat to try several in order")
    parser.add_argument("--case-sensitive", action="store_true",
                        help="match the extraction patterns case-sensitively (default: ignore case)")


# -- customdimension:list ------------------------------------------------------------------------


def list_dimensions(args: argparse.Namespace, context: CommandContext) -> None:
    db = _database(context)
    table = config_table(db.prefix)
    query = select(table).order_by(table.c.idsite, table.c.idcustomdimension)
    with db.engine.connect() as connection:
        if args.idsite is not None:
            _require_site(connection, db, args.idsite)
            query = query.where(table.c.idsite == args.idsite)
        rows = connection.execute(query).all()
    if not rows:
        print("No custom dimension yet: add one with customdimension:add.", file=sys.stderr)
    for row in rows:
        extractions = shlex.join(e.as_text() for e in from_json(row.extractions)) or "-"
        print("\t".join([str(row.idsite), str(row.idcustomdimension), row.name, row.scope,
                         str(row._mapping["index"]), "active" if row.active else "inactive", extractions,
                         "case-sensitive" if row.case_sensitive else "case-insensitive"]))


def _configure_list(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--idsite", type=int, default=None, help="only this site's dimensions")


# -- customdimension:activate / :deactivate ------------------------------------------------------


def _set_active(args: argparse.Namespace, context: CommandContext, active: bool) -> None:
    db = _database(context)
    table = config_table(db.prefix)
    where = (table.c.idsite == args.idsite, table.c.idcustomdimension == args.id)
    with db.engine.begin() as connection:
        _require_site(connection, db, args.idsite)
        row = connection.execute(select(table.c.name, table.c.scope, table.c["index"]).where(*where)).first()
        if row is None:
            raise CommandError(f"site {args.idsite} has no custom dimension {args.id} "
                               f"(see customdimension:list --idsite {args.idsite})")
        connection.execute(update(table).where(*where).values(active=int(active)))
    context.clear_tracker_cache()
    column = column_name(row._mapping["index"])
    if active:
        print(f"Site {args.idsite}: dimension {args.id} ({row.name!r}) is active again; its values go to {column}.")
    else:
        print(f"Site {args.idsite}: dimension {args.id} ({row.name!r}) is inactive; the tracker ignores it. "
              f"Values already stored in {column} stay.")


def activate(args: argparse.Namespace, context: CommandContext) -> None:
    _set_active(args, context, True)


def deactivate(args: argparse.Namespace, context: CommandContext) -> None:
    _set_active(args, context, False)


def _configure_switch(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--idsite", type=int, required=True, help="the site of the dimension")
    parser.add_argument("--id", type=int, required=True, help="the dimension's id (N of dimensionN)")


COMMANDS = [
    ConsoleCommand("customdimension:add", "add a custom dimension to a site; prints its id (N of dimensionN)",
                   add, configure=_configure_add),
    ConsoleCommand("customdimension:list", "list the custom dimensions, one a line: idsite, id, name, scope, index, "
                                           "active or inactive, extractions, case sensitivity",
                   list_dimensions, configure=_configure_list),
    ConsoleCommand("customdimension:activate", "let the tracker store a deactivated custom dimension again",
                   activate, configure=_configure_switch),
    ConsoleCommand("customdimension:deactivate", "make the tracker ignore a custom dimension (its column and data stay)",
                   deactivate, configure=_configure_switch),
]
