"""config/config.example.toml documents every key of the core and the bundled plugins, with its default."""

import tomllib
from pathlib import Path

from core.bootstrap import full_schema
from core.plugins import bundled_plugin_names, load_plugins
from core.settings import load_settings, render_example_config

EXAMPLE = Path(__file__).resolve().parent.parent / "config" / "config.example.toml"


def bundled_schema():
    return full_schema(load_plugins(environ={"TRACKWAY_LOAD_PLUGINS": ",".join(bundled_plugin_names())}))


def test_example_file_is_up_to_date():
    assert EXAMPLE.read_text() == render_example_config(bundled_schema()), (
        "regenerate it, with no third-party plugin installed: python console.py config:example "
        "> config/config.example.toml")


def test_example_file_loads_to_the_defaults():
    schema = bundled_schema()
    settings = load_settings(schema, tomllib.loads(EXAMPLE.read_text()), environ={})
    for section, keys in schema.items():
        for key, setting in keys.items():
            assert settings.get(section, key) == setting.default
