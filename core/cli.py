"""The console: ``python console.py COMMAND`` or ``trackway COMMAND``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timezone

from sqlalchemy import func, select

from core.bootstrap import Configuration, load_configuration, open_database
from core.commands import CommandContext, CommandError
from core.db import Database
from core.options import bump_cache_version, general_salt
from core.migrate import SchemaError, downgrade
from core.plugin_state import set_plugin_active
from core.plugins import ESSENTIAL_PLUGINS, PluginLoadError
from core.settings import ConfigError
from core.sites import parse_timezone
from core.tokens import create_token

GOAL_MATCH_ATTRIBUTES = ("url", "title", "file", "external_website", "event_category", "event_action",
                         "event_name", "manually", "visit_duration", "visit_nb_pageviews")
MAX_SITE_URL_LENGTH = 190
"""site_url.url is VARCHAR(190), Matomo's limit for an indexed utf8mb4 column."""
GOAL_PATTERN_TYPES = ("contains", "exact", "regex", "greater_than")


Command = Callable[[argparse.Namespace], None]
COMMANDS: dict[str, tuple[Command, Callable[[argparse.ArgumentParser], None], str]] = {}


def command(name: str, help_text: str):
    def register(configure: Callable[[argparse.ArgumentParser], None]):
        def decorate(run: Command) -> Command:
            COMMANDS[name] = (run, configure, help_text)
            return run
        return decorate
    return register


def _database(config: Configuration) -> Database:
    return open_database(config, migrate=None)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


# -- serve and schema ----------------------------------------------------------------------------


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--log-level", default="info")


@command("serve", "run the tracker (migrates the database first)")(_serve_args)
def serve(args: argparse.Namespace) -> None:
    import uvicorn

    config = load_configuration()
    db = open_database(config, migrate=True)
    tracking_url = f"http://{args.host}:{args.port}/matomo.php"
    with db.engine.connect() as conn:
        sites = conn.execute(select(func.count()).select_from(db.table("site"))).scalar()
    db.engine.dispose()
    if not sites:
        print("No site yet. Add one, then point your tracking client at the tracking URL:\n"
              "  python console.py site:add --name \"My site\" --url https://example.com\n"
              f"Tracking URL: {tracking_url}", flush=True)
    else:
        print(f"Tracking URL: {tracking_url}", flush=True)
    uvicorn.run("core.app:create_app", factory=True, host=args.host, port=args.port, workers=args.workers,
                log_level=args.log_level, proxy_headers=False, server_header=False)


@command("core:update", "migrate the core and every enabled plugin to their latest revisions")(lambda p: None)
def core_update(args: argparse.Namespace) -> None:
    open_database(load_configuration(), migrate=True)
    print("Database is up to date.")


# -- sites ---------------------------------------------------------------------------------------


def _site_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", required=True)
    p.add_argument("--url", action="append", required=True, help="main URL first; repeat for alias URLs")
    p.add_argument("--timezone", default="UTC")
    p.add_argument("--currency", default="USD")
    p.add_argument("--ecommerce", action="store_true")
    p.add_argument("--no-sitesearch", action="store_true")
    p.add_argument("--sitesearch-keyword-parameters", default="")
    p.add_argument("--sitesearch-category-parameters", default="")
    p.add_argument("--excluded-ips", default="")
    p.add_argument("--excluded-parameters", default="")
    p.add_argument("--excluded-user-agents", default="")
    p.add_argument("--excluded-referrers", default="")
    p.add_argument("--exclude-unknown-urls", action="store_true")
    p.add_argument("--type", default="website", choices=["website", "intranet"])


@command("site:add", "add a site; prints its idsite")(_site_args)
def site_add(args: argparse.Namespace) -> None:
    try:
        if not args.timezone.strip():
            raise ValueError("it must not be empty")
        parse_timezone(args.timezone)
    except ValueError as exc:
        raise CommandError(f"--timezone: {exc}") from exc
    if len(args.currency) != 3 or not args.currency.isalpha():
        raise CommandError("--currency must be a 3-letter code such as EUR")
    too_long = [u for u in args.url if len(u) > MAX_SITE_URL_LENGTH]
    if too_long:
        raise CommandError(f"--url must be at most {MAX_SITE_URL_LENGTH} characters: {too_long[0][:60]}...")
    config = load_configuration()
    db = _database(config)
    urls = [u.strip().rstrip("/") for u in args.url if u.strip()]
    if not urls:
        raise CommandError("--url must not be empty")
    with db.engine.begin() as conn:
        idsite = conn.execute(db.table("site").insert().values(
            name=args.name[:90], main_url=urls[0], ts_created=_now(), ecommerce=int(args.ecommerce),
            sitesearch=0 if args.no_sitesearch else 1,
            sitesearch_keyword_parameters=args.sitesearch_keyword_parameters,
            sitesearch_category_parameters=args.sitesearch_category_parameters,
            timezone=args.timezone, currency=args.currency.upper(),
            exclude_unknown_urls=int(args.exclude_unknown_urls), excluded_ips=args.excluded_ips,
            excluded_parameters=args.excluded_parameters, excluded_user_agents=args.excluded_user_agents,
            excluded_referrers=args.excluded_referrers, group="", type=args.type, keep_url_fragment=0,
            creator_login="console",
        )).inserted_primary_key[0]
        for url in dict.fromkeys(urls):
            conn.execute(db.table("site_url").insert().values(idsite=idsite, url=url))
    bump_cache_version(db)
    print(idsite)


@command("site:list", "list the sites, one a line")(lambda p: None)
def site_list(args: argparse.Namespace) -> None:
    config = load_configuration()
    db = _database(config)
    site = db.table("site")
    with db.engine.connect() as conn:
        rows = conn.execute(select(site.c.idsite, site.c.name, site.c.main_url, site.c.timezone)
                            .order_by(site.c.idsite)).all()
    if not rows:
        print("No site yet: add one with site:add.", file=sys.stderr)
    for idsite, name, url, tz in rows:
        print(f"{idsite}\t{name}\t{url}\t{tz}")


# -- goals and tokens ----------------------------------------------------------------------------


def _goal_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--idsite", type=int, required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--match-attribute", required=True, choices=GOAL_MATCH_ATTRIBUTES)
    p.add_argument("--pattern", default="")
    p.add_argument("--pattern-type", default="contains", choices=GOAL_PATTERN_TYPES)
    p.add_argument("--case-sensitive", action="store_true")
    p.add_argument("--allow-multiple", action="store_true")
    p.add_argument("--revenue", type=float, default=0.0)
    p.add_argument("--event-value-as-revenue", action="store_true")
    p.add_argument("--description", default="")


@command("goal:add", "add a goal to a site; prints its idgoal")(_goal_args)
def goal_add(args: argparse.Namespace) -> None:
    if args.match_attribute != "manually" and not args.pattern:
        raise CommandError("--pattern is required unless --match-attribute is manually")
    if args.pattern_type == "regex":
        import re

        try:
            re.compile(args.pattern)
        except re.error as exc:
            raise CommandError(f"--pattern is not a valid regular expression: {exc}") from exc
    config = load_configuration()
    db = _database(config)
    goal, site = db.table("goal"), db.table("site")
    with db.engine.begin() as conn:
        if conn.execute(select(site.c.idsite).where(site.c.idsite == args.idsite)).first() is None:
            raise CommandError(f"site {args.idsite} does not exist (see site:list)")
        idgoal = (conn.execute(select(func.max(goal.c.idgoal)).where(goal.c.idsite == args.idsite)).scalar() or 0) + 1
        conn.execute(goal.insert().values(
            idsite=args.idsite, idgoal=idgoal, name=args.name[:50], description=args.description[:255],
            match_attribute=args.match_attribute, pattern=args.pattern, pattern_type=args.pattern_type,
            case_sensitive=int(args.case_sensitive), allow_multiple=int(args.allow_multiple), revenue=args.revenue,
            deleted=0, event_value_as_revenue=int(args.event_value_as_revenue)))
    bump_cache_version(db)
    print(idgoal)


def _token_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--idsite", type=int, action="append", default=[],
                   help="a site the token may write to; repeat for several; none = super user")
    p.add_argument("--description", default="")


@command("token:create", "create a token_auth; prints it")(_token_args)
def token_create(args: argparse.Namespace) -> None:
    config = load_configuration()
    db = _database(config)
    site = db.table("site")
    with db.engine.connect() as conn:
        known = set(conn.execute(select(site.c.idsite)).scalars())
    unknown = [i for i in args.idsite if i not in known]
    if unknown:
        raise CommandError(f"site {unknown[0]} does not exist (see site:list)")
    print(create_token(db, general_salt(db), args.idsite, args.description))


# -- plugins and cache ---------------------------------------------------------------------------


@command("plugin:list", "list every plugin: name, version, bundled or installed, enabled or not")(lambda p: None)
def plugin_list(args: argparse.Namespace) -> None:
    config = load_configuration(skip_broken_plugins=True)
    for info in config.plugins.plugins:
        origin = "bundled" if info.bundled else f"installed ({info.distribution or 'not installed'})"
        state = f"broken: {info.error.splitlines()[0]}" if info.error else ("enabled" if info.enabled else "disabled")
        print(f"{info.name}\t{info.version or '-'}\t{origin}\t{state}")


def _plugin_name_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", help="the plugin's name, as plugin:list shows it")


def _installed_plugin(config: Configuration, name: str):
    info = config.plugins.info(name)
    if info is None:
        known = ", ".join(p.name for p in config.plugins.plugins)
        raise CommandError(f"no plugin named {name!r} is installed (installed: {known})")
    return info


@command("plugin:activate", "enable a plugin from the next start of trackway on")(_plugin_name_arg)
def plugin_activate(args: argparse.Namespace) -> None:
    config = load_configuration(skip_broken_plugins=True)
    _installed_plugin(config, args.name)
    set_plugin_active(_database(config), args.name, True)
    print(f"Plugin {args.name} activated; it takes effect when trackway next starts (serve migrates its columns).")
    if args.name in config.settings.get("Plugins", "disabled"):
        print(f"warning: [Plugins] disabled in the configuration still lists {args.name}: remove it there too.",
              file=sys.stderr)


@command("plugin:deactivate", "disable a plugin from the next start of trackway on (its columns stay)")(
    _plugin_name_arg)
def plugin_deactivate(args: argparse.Namespace) -> None:
    if args.name in ESSENTIAL_PLUGINS:
        raise CommandError(f"plugin {args.name} is essential and cannot be deactivated")
    config = load_configuration(skip_broken_plugins=True)
    _installed_plugin(config, args.name)
    set_plugin_active(_database(config), args.name, False)
    print(f"Plugin {args.name} deactivated; it takes effect when trackway next starts. Its columns and data stay; "
          f"`plugin:downgrade {args.name}` removes them.")


@command("plugin:downgrade", "remove a plugin's columns (its Alembic branch down to base) and deactivate it; "
                             "run it before uninstalling the plugin")(_plugin_name_arg)
def plugin_downgrade(args: argparse.Namespace) -> None:
    if args.name in ESSENTIAL_PLUGINS:
        raise CommandError(f"plugin {args.name} is essential: its columns cannot be removed")
    config = load_configuration(skip_broken_plugins=True)
    info = _installed_plugin(config, args.name)
    if info.migrations_dir is None:
        raise CommandError(f"plugin {args.name} has no migrations: there is nothing to downgrade")
    db = _database(config)
    downgrade(db, config.plugins, f"{args.name}@base")
    set_plugin_active(db, args.name, False)
    print(f"Removed the columns of plugin {args.name} and deactivated it. You can now uninstall it "
          f"(pip uninstall {info.distribution or '<its distribution>'}).")


# -- scaffolding ---------------------------------------------------------------------------------


def _ask(label: str, value: str | None, check=None) -> str:
    """``value`` when given; otherwise ask in a terminal (again until ``check`` accepts the answer)."""
    if value:
        return value
    while True:
        answer = input(f"{label}: ").strip()
        try:
            if not answer:
                raise CommandError(f"{label} is required")
            if check is not None:
                check(answer)
            return answer
        except (CommandError, ValueError) as exc:
            print(f"  {exc}", file=sys.stderr)


def _require_terminal_or(args: argparse.Namespace, options: dict[str, str]) -> None:
    missing = [flag for attribute, flag in options.items() if not getattr(args, attribute)]
    if missing and not sys.stdin.isatty():
        raise CommandError(f"missing {', '.join(missing)} (not asked for: standard input is not a terminal)")


def _generate_plugin_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", help="the plugin's name in CamelCase, e.g. ShopExtras")
    p.add_argument("--directory", default=".", help="where to create the plugin's folder (default: here)")


@command("generate:plugin", "scaffold an installable plugin package; prints its folder")(_generate_plugin_args)
def generate_plugin(args: argparse.Namespace) -> None:
    from pathlib import Path

    from core import scaffold

    _require_terminal_or(args, {"name": "--name"})
    name = _ask("Plugin name (CamelCase)", args.name)
    folder = scaffold.generate_plugin(name, Path(args.directory))
    print(f"Created plugin {name}. Install it with `pip install -e {folder}`, then add a dimension with "
          f"`trackway generate:dimension --plugin {name}`.")
    print(folder)


def _generate_dimension_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--plugin", help="the plugin (as plugin:list shows it) that gets the dimension")
    p.add_argument("--type", choices=["visit", "action", "conversion"])
    p.add_argument("--name", help='the dimension\'s human name: letters, digits and spaces, e.g. "Shop Segment"')
    p.add_argument("--column-name", help="the column to add, e.g. shop_segment")
    p.add_argument("--column-type", help='SQL type, e.g. "VARCHAR(255)" or "INT UNSIGNED"')


@command("generate:dimension", "scaffold a dimension, its Alembic migration and its test in a plugin")(
    _generate_dimension_args)
def generate_dimension(args: argparse.Namespace) -> None:
    from core import scaffold

    _require_terminal_or(args, {"plugin": "--plugin", "type": "--type", "name": "--name",
                                "column_name": "--column-name", "column_type": "--column-type"})
    config = load_configuration(skip_broken_plugins=True)
    plugin_name = _ask("Plugin", args.plugin, lambda answer: _installed_plugin(config, answer))
    plugin = _installed_plugin(config, plugin_name)
    type_ = _ask("Type (visit, action, conversion)", args.type, lambda answer: _one_of(answer, scaffold.DIMENSION_TYPES))
    name = _ask("Dimension name (letters, digits, spaces)", args.name)
    column_name = _ask("Column name", args.column_name)
    column_type = _ask(f"Column type ({scaffold.ACCEPTED_TYPES})", args.column_type,
                       lambda answer: scaffold.parse_column_type(answer))
    db = _database(config)
    created = scaffold.generate_dimension(plugin, type=type_, name=name, column_name=column_name,
                                          column_type=column_type, existing_columns=db.columns)
    for path in created:
        print(path)
    print("Run `trackway core:update` (or restart `trackway serve`) to add the column.")


def _one_of(answer: str, choices) -> None:
    if answer not in choices:
        raise CommandError(f"use one of {', '.join(choices)}")


@command("cache:clear", "drop the tracker cache in every running tracker process")(lambda p: None)
def cache_clear(args: argparse.Namespace) -> None:
    config = load_configuration()
    bump_cache_version(_database(config))
    print("Tracker cache cleared.")


@command("config:example", "print a commented config.toml with every key of the core and the enabled plugins")(
    lambda p: None)
def config_example(args: argparse.Namespace) -> None:
    from core.bootstrap import full_schema
    from core.settings import render_example_config

    print(render_example_config(full_schema(load_configuration().plugins)), end="")


# -- entry point ---------------------------------------------------------------------------------


def build_parser(plugin_commands: Sequence = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trackway", description="trackway: a Matomo-compatible tracking server")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (run, configure, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        configure(p)
        p.set_defaults(run=run)
    for extra in plugin_commands:
        if extra.name in COMMANDS:
            continue  # a plugin cannot replace a core command
        p = sub.add_parser(extra.name, help=extra.help, description=extra.help)
        extra.configure(p)
        p.set_defaults(run=lambda args, extra=extra: extra.run(args, CommandContext(load_configuration())))
    return parser


def _plugin_commands() -> list:
    """Commands of the enabled plugins. A configuration that does not load yields none here:
    the command the user runs then reports the problem itself."""
    try:
        plugins = load_configuration(skip_broken_plugins=True).plugins
    except (ConfigError, PluginLoadError):
        return []
    return [command for commands in plugins.manager.hook.register_commands() for command in commands or ()]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser(_plugin_commands()).parse_args(argv)
    try:
        args.run(args)
    except (CommandError, ConfigError, PluginLoadError, SchemaError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
