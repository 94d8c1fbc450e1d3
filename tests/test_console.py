"""The console (contract §2, §3), run as a user runs it: ``python console.py COMMAND`` in a subprocess.

Each call costs a Python start-up, so independent calls run side by side (``run_parallel``) and
rows are read straight from the session database, without starting a server.
"""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import version

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, select

from core.bootstrap import load_configuration, open_database
from core.migrate import alembic_config, pending_heads
from core.options import CACHE_VERSION, general_salt
from core.tokens import TokenAuth
from tests.helpers import Console, ConsoleResult, TrackwayDb


CONTRACT_COMMANDS = {
    # command: options the contract (§3) promises in its synopsis
    "serve": ("--host", "--port", "--workers"),
    "core:update": (),
    "site:add": ("--name", "--url", "--timezone", "--currency", "--ecommerce", "--no-sitesearch",
                 "--sitesearch-keyword-parameters", "--excluded-ips", "--excluded-parameters",
                 "--excluded-user-agents", "--excluded-referrers", "--exclude-unknown-urls", "--type"),
    "site:list": (),
    "goal:add": ("--idsite", "--name", "--match-attribute", "--pattern", "--pattern-type", "--case-sensitive",
                 "--allow-multiple", "--revenue", "--event-value-as-revenue"),
    "token:create": ("--idsite", "--description"),
    "plugin:list": (),
    "plugin:activate": (),
    "plugin:deactivate": (),
    "generate:dimension": ("--plugin", "--type", "--name", "--column-name", "--column-type"),
    "scheduled-tasks:run": (),
    "cache:clear": (),
}
NOT_YET_IMPLEMENTED = {"scheduled-tasks:run"}
"""Contract commands that later work (plugins, scheduled tasks) adds; their tests come with them."""


def run_parallel(console: Console, *calls: tuple[tuple[str, ...], dict[str, str]]) -> list[ConsoleResult]:
    """Run several console commands at once (each a tuple of arguments and extra environment)."""
    processes = [subprocess.Popen([sys.executable, str(console.root / "console.py"), *args], cwd=console.root,
                                  env={**console.env, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
                 for args, env in calls]
    results = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=120)
        results.append(ConsoleResult(process.returncode, stdout, stderr))
    return results


def assert_clear_failure(result: ConsoleResult, *mentions: str) -> None:
    """Contract §3: an error goes to standard error with a non-zero exit status, and says what is wrong."""
    assert result.returncode != 0, f"exit status 0; stdout: {result.stdout!r}"
    assert result.stdout == "", f"stdout should be empty on error: {result.stdout!r}"
    assert result.stderr.strip(), "no message on standard error"
    assert "Traceback" not in result.stderr, f"a traceback instead of a message:\n{result.stderr}"
    for mention in mentions:
        assert mention in result.stderr, f"{mention!r} not in: {result.stderr!r}"


@pytest.fixture(scope="module")
def first_update(console) -> ConsoleResult:
    """The first ``core:update`` of the module: every later call finds a migrated database."""
    return console.run("core:update", check=False)


@pytest.fixture(scope="module")
def rows(database_url, first_update):
    handle = TrackwayDb(database_url)
    yield handle
    handle.close()


@pytest.fixture(scope="module")
def app_db(trackway_env, first_update):
    """The database as trackway sees it (for token checks and migration state)."""
    config = load_configuration(trackway_env)
    db = open_database(config, migrate=False)
    yield config, db
    db.engine.dispose()


# -- --help ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def help_results(console) -> dict[str, ConsoleResult]:
    names = ["", *CONTRACT_COMMANDS]
    results = run_parallel(console, *[((name, "--help") if name else ("--help",), {}) for name in names])
    return dict(zip(names, results))


def test_top_level_help_lists_the_commands(help_results):
    result = help_results[""]

    assert result.returncode == 0
    assert result.stdout.startswith("usage:")
    for name in CONTRACT_COMMANDS.keys() - NOT_YET_IMPLEMENTED:
        assert name in result.stdout


@pytest.mark.parametrize("name", sorted(CONTRACT_COMMANDS.keys() - NOT_YET_IMPLEMENTED))
def test_every_command_has_help(help_results, name):
    result = help_results[name]

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage:")
    assert name in result.stdout.splitlines()[0]
    for option in CONTRACT_COMMANDS[name]:
        assert option in result.stdout, f"{name} --help does not mention {option}"
    assert result.stderr == ""


# -- sites -----------------------------------------------------------------------------------------


def test_site_add_prints_the_new_idsite_and_site_list_shows_it(console, rows):
    added = console.run("site:add", "--name", "Console shop", "--url", "https://console.test/",
                        "--url", "https://www.console.test", "--timezone", "Europe/Paris", "--currency", "EUR",
                        "--ecommerce")

    assert re.fullmatch(r"[1-9][0-9]*", added.last_line), added.stdout
    idsite = int(added.last_line)
    listing = console.run("site:list")
    (line,) = [line for line in listing.stdout.splitlines() if line.split()[:1] == [str(idsite)]]
    assert "Console shop" in line
    assert "https://console.test" in line
    assert "Europe/Paris" in line

    (site,) = rows.rows("site", idsite=idsite)
    assert (site["name"], site["main_url"], site["timezone"], site["currency"], site["ecommerce"]) == \
        ("Console shop", "https://console.test", "Europe/Paris", "EUR", 1)
    urls = {row["url"] for row in rows.rows("site_url", idsite=idsite)}
    assert urls == {"https://console.test", "https://www.console.test"}


@pytest.fixture(scope="module")
def early_failures(console, first_update, tmp_path_factory) -> dict[str, ConsoleResult]:
    """Commands that must fail before doing anything, run side by side."""
    folder = tmp_path_factory.mktemp("console-config")
    typo = folder / "typo.toml"
    typo.write_text("[Tracker]\nvisit_standard_lenght = 600\n")
    plugin_typo = folder / "plugin-typo.toml"
    plugin_typo.write_text("[PrivacyManager]\nip_anonymisation_enabled = false\n")
    site = ("site:add", "--url", "http://rejected.test")
    goal = ("goal:add", "--idsite", "1", "--match-attribute", "url")
    cases = {
        "bad_timezone": ((*site, "--name", "Rejected tz", "--timezone", "Mars/Olympus_Mons"), {}),
        "two_letter_currency": ((*site, "--name", "Rejected currency", "--currency", "EU"), {}),
        "infinite_utc_offset": ((*site, "--name", "Rejected infinite tz", "--timezone", "UTC+inf"), {}),
        "invalid_regex": ((*goal, "--name", "Rejected regex", "--pattern-type", "regex", "--pattern", "([a-z"), {}),
        "missing_pattern": ((*goal, "--name", "Rejected no pattern", "--pattern-type", "contains"), {}),
        "missing_goal_site": (("goal:add", "--idsite", "987654", "--name", "Rejected no site",
                               "--match-attribute", "manually"), {}),
        "missing_token_site": (("token:create", "--idsite", "987654", "--description", "Rejected token"), {}),
        "unknown_config_key": (("site:list",), {"TRACKWAY_CONFIG": str(typo)}),
        "unknown_plugin_config_key": (("site:list",), {"TRACKWAY_CONFIG": str(plugin_typo)}),
        "bad_env_value": (("site:list",), {"TRACKWAY_TRACKER__VISIT_STANDARD_LENGTH": "abc"}),
    }
    results = run_parallel(console, *cases.values())
    return {"files": {"typo": str(typo), "plugin_typo": str(plugin_typo)}, **dict(zip(cases, results))}


@pytest.mark.parametrize("case, mention, name", [
    ("bad_timezone", "--timezone", "Rejected tz"),
    ("two_letter_currency", "--currency", "Rejected currency"),
    ("infinite_utc_offset", "--timezone", "Rejected infinite tz"),
])
def test_site_add_rejects_bad_input(early_failures, rows, case, mention, name):
    assert_clear_failure(early_failures[case], mention)
    assert rows.rows("site", name=name) == []


def test_site_add_with_a_long_alias_url_is_stored_or_refused_cleanly(console, rows):
    long_url = "https://long.test/" + "a" * 190
    result = console.run("site:add", "--name", "Long alias", "--url", "https://long.test", "--url", long_url,
                         check=False)

    if result.returncode == 0:
        idsite = int(result.last_line)
        assert {row["url"] for row in rows.rows("site_url", idsite=idsite)} == {"https://long.test", long_url}
    else:
        assert_clear_failure(result, "--url")
        assert rows.rows("site", name="Long alias") == []


# -- goals -----------------------------------------------------------------------------------------


def test_goal_add_prints_idgoal_and_stores_the_goal(console, rows, site):
    first = console.run("goal:add", "--idsite", str(site), "--name", "Thank-you page", "--match-attribute", "url",
                        "--pattern", "/thanks", "--pattern-type", "contains", "--revenue", "12.5",
                        "--allow-multiple", "--case-sensitive", "--description", "Reached the end")
    second = console.run("goal:add", "--idsite", str(site), "--name", "Order title", "--match-attribute", "title",
                         "--pattern", r"^Order #\d+$", "--pattern-type", "regex")

    assert first.last_line == "1", first.stdout
    assert second.last_line == "2", second.stdout
    goals = {row["idgoal"]: row for row in rows.rows("goal", idsite=site)}
    assert set(goals) == {1, 2}
    one, two = goals[1], goals[2]
    assert (one["name"], one["match_attribute"], one["pattern"], one["pattern_type"]) == \
        ("Thank-you page", "url", "/thanks", "contains")
    assert (one["case_sensitive"], one["allow_multiple"], one["revenue"], one["deleted"]) == (1, 1, 12.5, 0)
    assert one["description"] == "Reached the end"
    assert (two["name"], two["match_attribute"], two["pattern"], two["pattern_type"]) == \
        ("Order title", "title", r"^Order #\d+$", "regex")
    assert (two["case_sensitive"], two["allow_multiple"], two["revenue"]) == (0, 0, 0)


@pytest.mark.parametrize("case, mentions, name", [
    ("missing_goal_site", ("987654", "does not exist"), "Rejected no site"),
    ("invalid_regex", ("--pattern", "regular expression"), "Rejected regex"),
    ("missing_pattern", ("--pattern",), "Rejected no pattern"),
])
def test_goal_add_fails_clearly(early_failures, rows, case, mentions, name):
    assert_clear_failure(early_failures[case], *mentions)
    assert rows.rows("goal", name=name) == []


# -- tokens ----------------------------------------------------------------------------------------


def every_stored_value(engine):
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                for column, value in zip(table.columns, row):
                    yield f"{table.name}.{column.name}", value


def test_token_create_prints_a_token_that_is_stored_only_hashed(console, rows, app_db, site):
    superuser, restricted = run_parallel(console, (("token:create", "--description", "console test"), {}),
                                         (("token:create", "--idsite", str(site)), {}))

    tokens = []
    for result in (superuser, restricted):
        assert result.returncode == 0, result.stderr
        assert re.fullmatch(r"[0-9a-f]{32}", result.last_line), result.stdout
        tokens.append(result.last_line)
    assert tokens[0] != tokens[1]

    for where, value in every_stored_value(rows.engine):
        if isinstance(value, (bytes, bytearray, memoryview)):
            raw = bytes(value)
            for token in tokens:
                assert token.encode() not in raw.lower() and bytes.fromhex(token) not in raw, f"token in {where}"
        elif isinstance(value, str):
            for token in tokens:
                assert token not in value.lower(), f"token stored in clear in {where}"
    assert any(row["description"] == "console test" for row in rows.rows("user_token_auth"))

    config, db = app_db
    auth = TokenAuth(db, general_salt(db))
    assert auth.is_super_user(tokens[0])
    assert not auth.is_super_user(tokens[1])
    assert auth.can_write(site, tokens[1])
    assert not auth.can_write(site + 1000, tokens[1])
    assert not auth.can_write(site, "0" * 32)


def test_token_create_for_a_missing_site_fails_clearly(early_failures, rows):
    assert_clear_failure(early_failures["missing_token_site"], "987654")
    assert not any(row["description"] == "Rejected token" for row in rows.rows("user_token_auth"))


# -- plugins, cache, schema ------------------------------------------------------------------------


def plugin_lines(stdout: str) -> dict[str, str]:
    return {line.split()[0]: line for line in stdout.splitlines() if line.strip()}


def test_plugin_list_shows_the_bundled_plugins(console):
    listed, with_disabled = run_parallel(console, (("plugin:list",), {}),
                                         (("plugin:list",), {"TRACKWAY_PLUGINS__DISABLED": "PrivacyManager"}))

    assert listed.returncode == 0, listed.stderr
    lines = plugin_lines(listed.stdout)
    for name in ("CoreHome", "Actions", "PrivacyManager"):
        assert name in lines, listed.stdout
        fields = lines[name].split()
        assert version("trackway") in fields
        assert "bundled" in fields
        assert "enabled" in fields and "disabled" not in fields

    assert with_disabled.returncode == 0, with_disabled.stderr
    lines = plugin_lines(with_disabled.stdout)
    assert "disabled" in lines["PrivacyManager"].split()
    assert "enabled" in lines["Actions"].split()


def test_cache_clear_changes_the_cache_version(console, rows):
    def stored_version():
        found = rows.rows("option", option_name=CACHE_VERSION)
        return found[0]["option_value"] if found else None

    before = stored_version()
    result = console.run("cache:clear")

    assert result.returncode == 0
    after = stored_version()
    assert after is not None and after != before


def test_core_update_is_idempotent(console, first_update, rows, app_db):
    config, db = app_db
    assert first_update.returncode == 0, first_update.stderr
    before = sorted(row["version_num"] for row in rows.rows("alembic_version"))

    second = console.run("core:update", check=False)

    assert second.returncode == 0, second.stderr
    after = sorted(row["version_num"] for row in rows.rows("alembic_version"))
    assert after == before
    assert len(after) == len(set(after)), f"duplicate rows: {after}"
    script = ScriptDirectory.from_config(alembic_config(db, config.plugins))
    heads = set(script.get_heads())
    assert set(after) <= heads
    # one row per plugin branch; the core's head is there too, or a dependency of those rows
    for info in config.plugins.enabled:
        if info.migrations_dir is None:
            continue
        on_branch = [rev for rev in after if info.name in script.get_revision(rev).branch_labels]
        assert len(on_branch) == 1, f"{info.name}: {on_branch}"
    assert pending_heads(db, config.plugins) == set()


# -- configuration errors --------------------------------------------------------------------------


def test_an_unknown_config_key_fails_naming_the_key_and_the_file(early_failures):
    assert_clear_failure(early_failures["unknown_config_key"], "visit_standard_lenght",
                         early_failures["files"]["typo"])
    assert "visit_standard_length" in early_failures["unknown_config_key"].stderr  # the suggestion


def test_an_unknown_key_in_a_plugin_section_fails_too(early_failures):
    assert_clear_failure(early_failures["unknown_plugin_config_key"], "ip_anonymisation_enabled",
                         early_failures["files"]["plugin_typo"])


def test_a_bad_environment_override_fails_naming_the_variable(early_failures):
    assert_clear_failure(early_failures["bad_env_value"], "TRACKWAY_TRACKER__VISIT_STANDARD_LENGTH", "abc")
