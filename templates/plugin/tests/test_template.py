"""The plugin template, rendered and run: a new plugin's own tests pass as generated and still pass
once it has dimensions; everything rendered is clean for pyflakes (ruff F); its pyproject.toml is
one setuptools accepts, with the entry point and the migrations shipped as package data."""

from __future__ import annotations

import tomllib

import pytest

from core.plugins import PluginInfo
from core.scaffold import generate_dimension, generate_plugin


def test_a_new_plugin_has_the_documented_layout(tmp_path):
    dist = generate_plugin("ShopExtras", tmp_path)

    assert dist == tmp_path / "trackway-shop-extras"
    assert sorted(path.relative_to(dist).as_posix() for path in dist.rglob("*") if path.is_file()) == [
        "README.md", "pyproject.toml", "shop_extras/__init__.py", "shop_extras/columns/__init__.py",
        "shop_extras/migrations/README.md", "shop_extras/plugin.py", "tests/test_plugin.py"]
    assert "{{" not in "".join(path.read_text() for path in dist.rglob("*") if path.is_file())


@pytest.mark.filterwarnings("ignore:Support for `\\[tool.setuptools\\]`")
def test_the_pyproject_declares_the_plugin_for_trackway_and_ships_its_migrations(tmp_path):
    from setuptools.config.pyprojecttoml import read_configuration

    dist = generate_plugin("ShopExtras", tmp_path)
    project = tomllib.loads((dist / "pyproject.toml").read_text())["project"]

    assert project["name"] == "trackway-shop-extras" and project["version"] == "0.1.0"
    assert project["dependencies"] == ["trackway"]
    assert project["entry-points"]["trackway.plugins"] == {"ShopExtras": "shop_extras.plugin"}
    setuptools = read_configuration(dist / "pyproject.toml")["tool"]["setuptools"]  # validates the file too
    assert setuptools["package-data"] == {"shop_extras": ["migrations/*.py"]}


def test_the_generated_plugin_tests_pass_before_and_after_adding_dimensions(tmp_path, run_generated_tests,
                                                                             ruff_errors, import_generated):
    dist = generate_plugin("ShopExtras", tmp_path)

    assert ruff_errors(dist) == ""
    result = run_generated_tests(dist)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout

    module = import_generated(dist, "shop_extras.plugin")
    plugin = PluginInfo("ShopExtras", module.__name__, "", "", False, True, module)
    for kind, column, sql in [("visit", "shop_segment", "VARCHAR(100)"), ("action", "shop_rating", "TINYINT"),
                              ("conversion", "shop_margin", "DECIMAL(10,2)")]:
        generate_dimension(plugin, type=kind, name=column.replace("_", " "), column_name=column, column_type=sql,
                           existing_columns=lambda table: set())

    assert ruff_errors(dist) == ""
    result = run_generated_tests(dist, "-rA")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED tests/test_plugin.py::") == 3
    assert "PASSED tests/test_shop_margin.py" in result.stdout
