"""CustomDimensions' console commands: what they print, how they fail, and what
``plugin:downgrade CustomDimensions`` leaves behind (nothing)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, inspect

from tests.helpers import scratch_database
from tests.test_custom_dimensions import add_dimension

SERVER_URL = os.environ.get("TRACKWAY_TEST_DATABASE_URL", "").strip()
COMMANDS = ("customdimension:add", "customdimension:list", "customdimension:activate", "customdimension:deactivate")


def configured(db, idsite: int) -> list[dict]:
    return db.rows("custom_dimensions", idsite=idsite)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(console, command):
    result = console.run(command, "--help")

    assert "--idsite" in result.stdout
    assert result.stdout.startswith("usage: ")


def test_add_prints_the_id_last_and_list_shows_every_dimension(console, db, site):
    other = int(console.run("site:add", "--name", "Other shop", "--url", "http://other.test").last_line)
    added = console.run("customdimension:add", "--idsite", str(site), "--name", "Customer type", "--scope", "visit")
    assert added.last_line == "1"
    assert "dimension1" in added.stdout and "custom_dimension_1" in added.stdout
    add_dimension(console, site, "Category", "action", "--extraction", "url=/shop/([^/]+)",
                  "--extraction", "urlparam=cat", "--case-sensitive")
    add_dimension(console, other, "Author", "action", "--extraction", "action_name=by (.*)")
    console.run("customdimension:deactivate", "--idsite", str(site), "--id", "1")

    listed = console.run("customdimension:list", "--idsite", str(site)).stdout.splitlines()

    assert listed == [
        f"{site}\t1\tCustomer type\tvisit\t1\tinactive\t-\tcase-insensitive",
        f"{site}\t2\tCategory\taction\t1\tactive\t'url=/shop/([^/]+)' urlparam=cat\tcase-sensitive",
    ]
    everything = console.run("customdimension:list").stdout.splitlines()
    assert set(listed) | {f"{other}\t1\tAuthor\taction\t1\tactive\t'action_name=by (.*)'\tcase-insensitive"} \
        <= set(everything)
    stored = configured(db, site)
    assert [(r["idcustomdimension"], r["index"], r["scope"], r["active"], r["case_sensitive"]) for r in stored] == [
        (1, 1, "visit", 0, 0), (2, 1, "action", 1, 1)]
    assert stored[1]["extractions"] == ('[{"dimension": "url", "pattern": "/shop/([^/]+)"}, '
                                        '{"dimension": "urlparam", "pattern": "cat"}]')


def test_an_inactive_dimension_keeps_its_slot(console, db, site):
    add_dimension(console, site, "First", "visit")
    console.run("customdimension:deactivate", "--idsite", str(site), "--id", "1")

    assert add_dimension(console, site, "Second", "visit") == 2

    assert [r["index"] for r in configured(db, site)] == [1, 2]


@pytest.mark.parametrize("arguments, message", [
    (["--idsite", "999999", "--name", "X", "--scope", "visit"], "site 999999 does not exist"),
    (["--name", "X", "--scope", "session"], "invalid choice: 'session'"),
    (["--name", "X", "--scope", "visit", "--extraction", "url=/shop/(["], "not a valid regular expression"),
    (["--name", "X", "--scope", "visit", "--extraction", "url=/shop/.*"], "exactly one capturing group"),
    (["--name", "X", "--scope", "visit", "--extraction", "action_name=(a)(b)"], "exactly one capturing group"),
    (["--name", "X", "--scope", "visit", "--extraction", "referrer=(.*)"], "DIM one of url, urlparam, action_name"),
    (["--name", "   ", "--scope", "visit"], "--name must not be empty"),
    (["--name", "N" * 101, "--scope", "visit"], "at most 100 characters"),
])
def test_add_refuses_bad_input_and_creates_nothing(console, db, site, arguments, message):
    if "--idsite" not in arguments:
        arguments = ["--idsite", str(site), *arguments]
    columns_before = {c["name"] for c in inspect(db.engine).get_columns("log_visit")}

    result = console.run("customdimension:add", *arguments, check=False)

    assert result.returncode != 0
    assert message in result.stderr
    assert result.stdout == ""
    assert configured(db, site) == []
    assert {c["name"] for c in inspect(db.engine).get_columns("log_visit")} == columns_before


@pytest.mark.parametrize("command", ["customdimension:activate", "customdimension:deactivate"])
def test_switching_an_unknown_dimension_or_site_fails(console, db, site, command):
    add_dimension(console, site, "Only", "visit")

    unknown_id = console.run(command, "--idsite", str(site), "--id", "2", check=False)
    unknown_site = console.run(command, "--idsite", "999999", "--id", "1", check=False)
    listing = console.run("customdimension:list", "--idsite", "999999", check=False)

    assert unknown_id.returncode != 0 and f"site {site} has no custom dimension 2" in unknown_id.stderr
    assert unknown_site.returncode != 0 and "site 999999 does not exist" in unknown_site.stderr
    assert listing.returncode != 0 and "site 999999 does not exist" in listing.stderr
    assert [r["active"] for r in configured(db, site)] == [1]


# -- plugin:downgrade ------------------------------------------------------------------------------


def columns_of(engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


def test_downgrade_drops_every_custom_dimension_column_including_added_ones(console, tmp_path):
    with scratch_database(SERVER_URL, tmp_path, "trackway_cd_downgrade") as url:
        env = {"TRACKWAY_DATABASE_URL": url}
        console.run("core:update", env=env)
        idsite = console.run("site:add", "--name", "Scratch", "--url", "http://scratch.test", env=env).last_line
        for n in range(1, 7):
            console.run("customdimension:add", "--idsite", idsite, "--name", f"V{n}", "--scope", "visit", env=env)
        console.run("customdimension:add", "--idsite", idsite, "--name", "A", "--scope", "action", env=env)
        engine = create_engine(url)
        try:
            assert {"custom_dimension_6", "last_idlink_va"} <= columns_of(engine, "log_visit")
            assert "custom_dimension_6" in columns_of(engine, "log_conversion")
            assert {"custom_dimension_5", "time_spent"} <= columns_of(engine, "log_link_visit_action")

            result = console.run("plugin:downgrade", "CustomDimensions", env=env)

            assert "Removed the columns of plugin CustomDimensions" in result.stdout
            for table in ("log_visit", "log_conversion", "log_link_visit_action"):
                left = {c for c in columns_of(engine, table)
                        if c.startswith("custom_dimension_") or c in ("last_idlink_va", "time_spent")}
                assert not left, f"{table} still has {sorted(left)}"
            assert "custom_dimensions" not in inspect(engine).get_table_names()
            assert {"visit_total_actions", "idvisitor"} <= columns_of(engine, "log_visit")
            assert "time_spent_ref_action" in columns_of(engine, "log_link_visit_action")

            console.run("plugin:activate", "CustomDimensions", env=env)
            console.run("core:update", env=env)
            restored = {c for c in columns_of(engine, "log_visit") if c.startswith("custom_dimension_")}
            assert restored == {f"custom_dimension_{n}" for n in range(1, 6)}
            assert console.run("customdimension:list", env=env, check=False).stdout == ""
        finally:
            engine.dispose()
