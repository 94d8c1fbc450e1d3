"""Scaffolding (core/scaffold.py): reading column types, and the checks generate_plugin and
generate_dimension make before writing anything. What they render is run by the tests in templates/."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from core.plugins import PluginInfo
from core.scaffold import (ColumnType, ScaffoldError, generate_dimension, generate_plugin, parse_column_type,
                           plugin_package_dir)

# -- parse_column_type -----------------------------------------------------------------------------


@pytest.mark.parametrize("text, sql, code, kind", [
    ("VARCHAR(255)", "VARCHAR(255)", "columns.VarChar(255)", "str"),
    ("  varchar ( 20 )  ", "VARCHAR(20)", "columns.VarChar(20)", "str"),
    ("CHAR(2)", "CHAR(2)", "columns.Char(2)", "str"),
    ("TEXT", "TEXT", "sa.Text()", "str"),
    ("TINYINT(1)", "TINYINT(1)", "columns.TinyInt(1)", "int"),
    ("tinyint unsigned", "TINYINT UNSIGNED", "columns.UnsignedTinyInt()", "int"),
    ("SMALLINT", "SMALLINT", "sa.SmallInteger()", "int"),
    ("MEDIUMINT UNSIGNED", "MEDIUMINT UNSIGNED", "columns.UnsignedMediumInt()", "int"),
    ("INT UNSIGNED", "INT UNSIGNED", "columns.UnsignedInt()", "int"),
    ("INTEGER(11) UNSIGNED", "INTEGER(11) UNSIGNED", "columns.UnsignedInt()", "int"),
    ("BIGINT", "BIGINT", "sa.BigInteger()", "int"),
    ("BIGINT UNSIGNED", "BIGINT UNSIGNED", "columns.UnsignedBigInt()", "int"),
    ("FLOAT", "FLOAT", "sa.Float()", "float"),
    ("DOUBLE", "DOUBLE", "columns.Double()", "float"),
    ("DECIMAL(9, 6)", "DECIMAL(9,6)", "sa.Numeric(9, 6)", "float"),
    ("DATETIME", "DATETIME", "columns.DateTime()", "datetime"),
    ("DATE", "DATE", "sa.Date()", "datetime"),
    ("TIME", "TIME", "sa.Time()", "datetime"),
    ("BINARY(8)", "BINARY(8)", "columns.Binary(8)", "bytes"),
    ("VARBINARY(16)", "VARBINARY(16)", "columns.VarBinary(16)", "bytes"),
])
def test_accepted_column_types(text, sql, code, kind):
    column = parse_column_type(text)

    assert (column.sql, column.code, column.kind, column.nullable, column.server_default) == (sql, code, kind,
                                                                                               True, None)


def test_null_not_null_and_defaults():
    assert parse_column_type("int unsigned not null default 0") == ColumnType(
        sql="INT UNSIGNED NOT NULL DEFAULT 0", code="columns.UnsignedInt()", kind="int", nullable=False,
        server_default="0", python_type="int", value_range=(0, 2**31 - 1), default=0)
    assert parse_column_type("VARCHAR(10) DEFAULT 'It''s' NOT NULL").server_default == "It's"
    assert parse_column_type("varchar(10) default 'Case'").sql == "VARCHAR(10) DEFAULT 'Case'"  # the value's case
    assert parse_column_type("VARCHAR(10) NULL DEFAULT NULL").server_default is None
    assert parse_column_type("DATETIME NOT NULL DEFAULT '1970-01-01 00:00:00'").server_default == "1970-01-01 00:00:00"
    assert parse_column_type("DECIMAL(5,2) DEFAULT -1.5").default == -1.5


@pytest.mark.parametrize("text, mentions", [
    ("BLOB", "accepted: VARCHAR(n)"),
    ("JSON", "accepted"),
    ("", "accepted"),
    ("VARCHAR", "VARCHAR(n)"),
    ("VARCHAR(0)", "between 1 and 4096"),
    ("VARCHAR(5000)", "between 1 and 4096"),
    ("CHAR(300)", "between 1 and 255"),
    ("TEXT(10)", "TEXT"),
    ("DECIMAL(5,6)", "DECIMAL(p,s)"),
    ("FLOAT UNSIGNED", "integer types only"),
    ("INT NOT NULL", "needs a DEFAULT"),
    ("VARCHAR(10) NOT NULL", "needs a DEFAULT"),
    ("INT NOT NULL DEFAULT NULL", "cannot default to NULL"),
    ("INT DEFAULT 'abc'", "not a valid INT"),
    ("TINYINT UNSIGNED DEFAULT 300", "0 to 255"),
    ("VARCHAR(3) DEFAULT 'abcd'", "longer than 3"),
    ("TEXT DEFAULT 'x'", "TEXT columns cannot have a DEFAULT"),
    ("DATE DEFAULT 'yesterday'", "not a valid DATE"),
    ("INT DEFAULT CURRENT_TIMESTAMP", "cannot read"),
    ("INT UNSIGNED AUTO_INCREMENT", "cannot read"),
    ("INT NULL NOT NULL", "NULL or NOT NULL once"),
    ("VARCHAR(10) DEFAULT '{{ x }}'", "cannot contain"),
])
def test_rejected_column_types_say_what_to_write(text, mentions):
    with pytest.raises(ScaffoldError) as caught:
        parse_column_type(text)

    assert mentions in str(caught.value)


# -- generate_plugin -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["shopExtras", "Shop_Extras", "Shop-Extras", "", "9Lives"])
def test_plugin_names_must_be_camel_case(name, tmp_path):
    with pytest.raises(ScaffoldError, match="CamelCase"):
        generate_plugin(name, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["Json", "Core", "Plugins"])
def test_a_plugin_may_not_shadow_an_existing_module(name, tmp_path):
    with pytest.raises(ScaffoldError, match="already exists"):
        generate_plugin(name, tmp_path)


def test_an_existing_folder_is_never_overwritten(tmp_path):
    (tmp_path / "trackway-shop-extras").mkdir()

    with pytest.raises(ScaffoldError, match="already exists"):
        generate_plugin("ShopExtras", tmp_path)
    assert list((tmp_path / "trackway-shop-extras").iterdir()) == []


# -- generate_dimension ----------------------------------------------------------------------------


def plugin_info(package_dir: Path, name: str = "ShopExtras", module_name: str = "shop_extras.plugin") -> PluginInfo:
    """A loaded plugin whose module lives in ``package_dir`` (only its ``__file__`` is read)."""
    module = SimpleNamespace(__name__=module_name, __file__=str(package_dir / "plugin.py"))
    return PluginInfo(name, module_name, "", "", False, True, module)


@pytest.fixture
def plugin(tmp_path) -> PluginInfo:
    return plugin_info(generate_plugin("ShopExtras", tmp_path) / "shop_extras")


def no_columns(table: str) -> set[str]:
    return set()


def files_under(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): path.read_text() for path in folder.rglob("*") if path.is_file()}


def add(plugin: PluginInfo, type: str = "visit", name: str = "Shop segment", column_name: str = "shop_segment",
        column_type: str = "VARCHAR(100)", existing_columns=no_columns) -> list[Path]:
    return generate_dimension(plugin, type=type, name=name, column_name=column_name, column_type=column_type,
                              existing_columns=existing_columns)


def revision_constants(path: Path) -> dict:
    tree = ast.parse(path.read_text())
    return {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body
            if isinstance(node, ast.Assign) and node.targets[0].id in ("revision", "down_revision", "branch_labels",
                                                                      "depends_on")}


def test_a_dimension_lands_in_columns_migrations_and_the_dist_tests(plugin, tmp_path):
    created = add(plugin)

    dist = tmp_path / "trackway-shop-extras"
    assert created == [dist / "shop_extras/columns/shop_segment.py",
                       dist / "shop_extras/migrations/shop_extras_0001.py", dist / "tests/test_shop_segment.py"]
    assert "class ShopSegment(VisitDimension):" in created[0].read_text()
    assert not (dist / "shop_extras/migrations/__init__.py").exists()


def test_the_second_dimension_continues_the_plugins_branch(plugin):
    first = add(plugin)[1]
    second = add(plugin, type="action", name="Rating", column_name="rating", column_type="INT UNSIGNED")[1]

    assert first.name == "shop_extras_0001.py" and second.name == "shop_extras_0002.py"
    assert revision_constants(first) == {"revision": "shop_extras_0001", "down_revision": None,
                                         "branch_labels": ("ShopExtras",), "depends_on": "core_0001"}
    assert revision_constants(second) == {"revision": "shop_extras_0002", "down_revision": "shop_extras_0001",
                                          "branch_labels": None, "depends_on": None}


@pytest.mark.parametrize("name, class_name, module", [
    ("Shop segment", "ShopSegment", "shop_segment"), ("  URL  path 2 ", "URLPath2", "url_path2"),
    ("basketSize", "BasketSize", "basket_size"),
])
def test_the_dimension_name_gives_the_class_and_module_names(plugin, name, class_name, module):
    created = add(plugin, name=name)

    assert created[0].name == f"{module}.py" and created[2].name == f"test_{module}.py"
    assert f"class {class_name}(VisitDimension):" in created[0].read_text()


@pytest.mark.parametrize("changes, mentions", [
    ({"type": "session"}, "visit, action, conversion"),
    ({"name": ""}, "letters, digits and spaces"),
    ({"name": "1st visit"}, "starting with a letter"),
    ({"name": "shop-segment"}, "letters, digits and spaces"),
    ({"name": "Visitor"}, "clashes"),
    ({"name": "class"}, "clashes"),
    ({"column_name": "ShopSegment"}, "lower-case"),
    ({"column_name": "1shop"}, "lower-case"),
    ({"column_name": "shop-segment"}, "lower-case"),
    ({"column_name": "x" * 65}, "at most 64"),
    ({"column_type": "BLOB"}, "accepted"),
    ({"column_type": "INT NOT NULL"}, "needs a DEFAULT"),
])
def test_invalid_input_is_refused_before_anything_is_written(plugin, tmp_path, changes, mentions):
    before = files_under(tmp_path)

    with pytest.raises(ScaffoldError) as caught:
        add(plugin, **changes)

    assert mentions in str(caught.value)
    assert files_under(tmp_path) == before


def test_a_column_the_database_has_is_refused(plugin, tmp_path):
    before = files_under(tmp_path)
    database = {"log_visit": {"idvisit", "visit_total_time"}, "log_conversion": {"idvisit", "revenue"},
                "log_link_visit_action": {"idlink_va", "server_time"}}

    with pytest.raises(ScaffoldError, match="'visit_total_time' already exists in log_visit"):
        add(plugin, column_name="visit_total_time", existing_columns=database.__getitem__)
    with pytest.raises(ScaffoldError, match="'revenue' already exists in log_conversion"):
        add(plugin, column_name="revenue", existing_columns=database.__getitem__)  # visit columns are copied there
    with pytest.raises(ScaffoldError, match="'server_time' already exists in log_link_visit_action"):
        add(plugin, type="action", column_name="server_time", existing_columns=database.__getitem__)
    assert files_under(tmp_path) == before

    add(plugin, type="action", column_name="visit_total_time", existing_columns=database.__getitem__)  # other table


def test_a_column_another_dimension_of_the_plugin_fills_is_refused(plugin):
    add(plugin)

    with pytest.raises(ScaffoldError, match=r"already filled by columns/shop_segment\.py"):
        add(plugin, type="action", name="Other", column_name="shop_segment")


def test_an_existing_dimension_module_is_not_overwritten(plugin):
    add(plugin)

    with pytest.raises(ScaffoldError, match="already exists"):
        add(plugin, column_name="another_column")


def test_a_plugin_without_columns_and_migrations_folders_is_refused(tmp_path):
    package = tmp_path / "old_style"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "columns.py").write_text("")
    info = plugin_info(package, "OldStyle", "old_style.plugin")

    with pytest.raises(ScaffoldError, match="generate:plugin"):
        add(info)
    (package / "migrations").mkdir()
    with pytest.raises(ScaffoldError, match="generate:plugin"):
        add(info)
    assert sorted(path.name for path in package.iterdir()) == ["__init__.py", "columns.py", "migrations"]


def test_a_bundled_plugin_with_a_columns_module_is_refused():
    from core.plugins import load_plugins

    core_home = load_plugins(environ={"TRACKWAY_LOAD_PLUGINS": "CoreHome"}).info("CoreHome")

    with pytest.raises(ScaffoldError, match="generate:plugin"):
        add(core_home)


def test_a_plugin_that_is_a_single_module_is_refused(tmp_path):
    info = PluginInfo("Single", "single", "", "", False, True,
                      SimpleNamespace(__name__="single", __file__=str(tmp_path / "single.py")))

    with pytest.raises(ScaffoldError, match="single module"):
        add(info)


def test_a_migrations_folder_with_two_heads_must_be_merged_first(plugin):
    add(plugin)
    migrations = plugin_package_dir(plugin) / "migrations"
    for revision in ("shop_extras_0002", "hand_made"):
        (migrations / f"{revision}.py").write_text(f'revision = "{revision}"\ndown_revision = "shop_extras_0001"\n')

    with pytest.raises(ScaffoldError, match="several heads"):
        add(plugin, type="action", name="Other", column_name="other")


def test_without_a_pyproject_the_test_goes_into_the_package(tmp_path):
    dist = generate_plugin("ShopExtras", tmp_path)
    (dist / "pyproject.toml").unlink()

    created = add(plugin_info(dist / "shop_extras"))

    assert created[2] == dist / "shop_extras/tests/test_shop_segment.py"


def test_a_disabled_plugin_is_found_without_importing_its_module(tmp_path, monkeypatch):
    dist = generate_plugin("ShopExtras", tmp_path)
    (dist / "shop_extras/plugin.py").write_text("raise RuntimeError('imported')\n")
    monkeypatch.syspath_prepend(str(dist))
    try:
        info = PluginInfo("ShopExtras", "shop_extras.plugin", "trackway-shop-extras", "0.1.0", False, False)

        assert plugin_package_dir(info) == dist / "shop_extras"
        assert add(info)[0] == dist / "shop_extras/columns/shop_segment.py"
    finally:
        for name in [n for n in sys.modules if n == "shop_extras" or n.startswith("shop_extras.")]:
            del sys.modules[name]
