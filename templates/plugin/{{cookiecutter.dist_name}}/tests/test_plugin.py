"""{{ cookiecutter.plugin }} loads into trackway and registers every dimension of its ``columns/`` package."""

from pathlib import Path

from core.plugins import LoadedPlugins, load_plugins

import {{ cookiecutter.package }}
from {{ cookiecutter.package }} import plugin

PACKAGE_DIR = Path({{ cookiecutter.package }}.__file__).resolve().parent


def load() -> LoadedPlugins:
    # Only the essential CoreHome comes from the installed entry points: {{ cookiecutter.plugin }} is passed
    # in directly, so the test works whether or not the plugin is installed.
    return load_plugins(environ={"TRACKWAY_LOAD_PLUGINS": "CoreHome"},
                        extra_modules=[("{{ cookiecutter.plugin }}", plugin)])


def registered_dimensions(loaded: LoadedPlugins) -> list[type]:
    return [cls for impl in loaded.manager.hook.register_dimensions.get_hookimpls()
            if impl.plugin_name == "{{ cookiecutter.plugin }}" for cls in impl.function()]


def test_every_module_in_columns_registers_its_dimension():
    modules = {f"{{ cookiecutter.package }}.columns.{path.stem}" for path in (PACKAGE_DIR / "columns").glob("[!_]*.py")}

    assert {cls.__module__ for cls in registered_dimensions(load())} == modules


def test_every_dimension_owns_a_column_of_its_own():
    dimensions = registered_dimensions(load())
    columns = [(cls.table, cls.column_name) for cls in dimensions]

    assert all(cls.column_name and cls.column_type is not None for cls in dimensions)
    assert len(set(columns)) == len(columns)


def test_the_migrations_are_found_beside_the_plugin():
    (info,) = [p for p in load().enabled if p.name == "{{ cookiecutter.plugin }}"]
    revisions = list((PACKAGE_DIR / "migrations").glob("*.py"))

    # before its first dimension the plugin has no revision, hence no Alembic branch yet
    assert info.migrations_dir == (PACKAGE_DIR / "migrations" if revisions else None)
