"""The path docs/plugins.md promises a plugin author: from an empty folder to a column filled by a
real tracking request, with the documented commands and nothing else."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_PLUGINS, ROOT, running_server
from tests.helpers import Console, TrackwayDb, scratch_database

PLUGIN = "JourneyDemo"
DISTRIBUTION = "trackway-journey-demo"


@pytest.fixture
def author_env(trackway_env, tmp_path):
    server_url = os.environ.get("TRACKWAY_TEST_DATABASE_URL", "").strip()
    with scratch_database(server_url, tmp_path, "trackway_journey") as url:
        yield {**trackway_env, "TRACKWAY_DATABASE_URL": url, "TRACKWAY_LOAD_PLUGINS": f"{BUNDLED_PLUGINS},{PLUGIN}"}


@pytest.fixture
def uninstall_afterwards():
    yield
    subprocess.run([sys.executable, "-m", "pip", "uninstall", "-y", "--quiet", DISTRIBUTION], capture_output=True,
                   timeout=300)


def test_from_generate_plugin_to_a_filled_column(author_env, uninstall_afterwards, tmp_path):
    console = Console(author_env, ROOT)
    site = int(console.run("site:add", "--name", "Journey shop", "--url", "http://journey.test").last_line)

    # 1. scaffold the plugin
    folder = Path(console.run("generate:plugin", "--name", PLUGIN, "--directory", str(tmp_path)).last_line)
    # 2. install it
    installed = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(folder)],
                               capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr
    # 3. add a dimension
    created = console.run("generate:dimension", "--plugin", PLUGIN, "--type", "visit", "--name", "Member Level",
                          "--column-name", "member_level", "--column-type", "VARCHAR(20)").stdout
    assert "member_level" in created and "core:update" in created
    # 4. serve (it migrates by itself) and 5. track
    with running_server(author_env, tmp_path) as server:
        assert server.page_view(site, member_level="gold").status_code == 200

    db = TrackwayDb(author_env["TRACKWAY_DATABASE_URL"])
    try:
        assert [visit["member_level"] for visit in db.visits(site)] == ["gold"]
    finally:
        db.close()
    generated_tests = subprocess.run([sys.executable, "-m", "pytest", "-q", str(folder / "tests")], cwd=folder,
                                     capture_output=True, text=True, timeout=300)
    assert generated_tests.returncode == 0, generated_tests.stdout


def test_generate_dimension_without_a_terminal_names_what_is_missing(console):
    result = console.run("generate:dimension", "--plugin", "Actions", check=False)

    assert result.returncode == 1
    assert "--type" in result.stderr and "--column-type" in result.stderr and "terminal" in result.stderr


def test_generate_dimension_asks_for_what_is_missing_in_a_terminal(trackway_env, tmp_path):
    console = Console(trackway_env, ROOT)
    folder = Path(console.run("generate:plugin", "--name", "PromptDemo", "--directory", str(tmp_path)).last_line)
    env = {**trackway_env, "PYTHONPATH": str(folder), "TRACKWAY_LOAD_PLUGINS": BUNDLED_PLUGINS}
    # the plugin is not installed: ask about a bundled one first (refused: no columns/ package), then answer
    answers = ["visit", "Tier Name", "tier_name", "NOT A TYPE", "VARCHAR(10)"]
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, str(ROOT / "console.py"), "generate:dimension", "--plugin", "Actions"],
                               stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    os.close(terminal)
    for answer in answers:
        time.sleep(0.2)
        os.write(controller, (answer + "\n").encode())
    stdout, stderr = process.communicate(timeout=120)
    os.close(controller)

    assert process.returncode == 1  # Actions is bundled: no columns/ package to add to
    assert b"unknown column type 'NOT A TYPE'" in stderr
    assert b"columns/ package" in stderr
