import tomllib
from pathlib import Path

import pytest

from core.settings import (
    CORE_SCHEMA,
    ConfigError,
    Setting,
    Settings,
    database_url,
    load_settings,
    read_config_file,
    render_example_config,
)


def write_config(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_file(tmp_path: Path, text: str, environ: dict[str, str] | None = None) -> Settings:
    write_config(tmp_path, text)
    env = environ or {}
    raw, source = read_config_file(environ=env, cwd=tmp_path)
    return load_settings(CORE_SCHEMA, raw, source=source, environ=env)


def defaults() -> dict[str, dict]:
    return {section: {key: s.default for key, s in keys.items()} for section, keys in CORE_SCHEMA.items()}


def test_defaults_without_file(tmp_path):
    raw, source = read_config_file(environ={}, cwd=tmp_path)
    assert (raw, source) == ({}, None)
    settings = load_settings(CORE_SCHEMA, raw, source=source, environ={})
    assert settings.as_dict() == defaults()
    assert settings.sections() == ["database", "General", "Tracker", "Debug", "Plugins"]
    assert settings.get("Tracker", "visit_standard_length") == 1800
    assert settings.get("database", "url") == "sqlite:///trackway.db"
    assert settings.get("Tracker", "url_query_parameter_to_exclude_from_url")[0] == "gclid"


def test_file_values(tmp_path):
    settings = load_file(
        tmp_path,
        """
        [tracker]
        Visit_Standard_Length = 600
        debug = true
        url_query_parameter_to_exclude_from_url = ["a", "b"]

        [database]
        tables_prefix = "matomo_"
        """,
    )
    assert settings.get("Tracker", "visit_standard_length") == 600
    assert settings.get("Tracker", "debug") is True
    assert settings.get("Tracker", "url_query_parameter_to_exclude_from_url") == ["a", "b"]
    assert settings.get("database", "tables_prefix") == "matomo_"
    assert settings.get("database", "pool_size") == 10
    assert "Tracker" in settings.sections() and "tracker" not in settings.sections()


def test_trackway_config_names_the_file(tmp_path):
    other = write_config(tmp_path, "[Debug]\ntracker_always_new_visitor = true\n", name="other.toml")
    write_config(tmp_path, "[Debug]\ntracker_always_new_visitor = false\n")
    raw, source = read_config_file(environ={"TRACKWAY_CONFIG": str(other)}, cwd=tmp_path)
    assert source == other
    assert raw == {"Debug": {"tracker_always_new_visitor": True}}


def test_relative_trackway_config_resolves_against_cwd(tmp_path):
    write_config(tmp_path, "[Plugins]\ndisabled = ['Foo']\n", name="custom.toml")
    raw, source = read_config_file(environ={"TRACKWAY_CONFIG": "custom.toml"}, cwd=tmp_path)
    assert source == tmp_path / "custom.toml"
    assert raw["Plugins"]["disabled"] == ["Foo"]


def test_env_override_beats_file(tmp_path):
    settings = load_file(
        tmp_path,
        "[Tracker]\nvisit_standard_length = 600\n",
        environ={"TRACKWAY_TRACKER__VISIT_STANDARD_LENGTH": "900"},
    )
    assert settings.get("Tracker", "visit_standard_length") == 900


def test_env_section_and_key_case_insensitive():
    settings = load_settings(
        CORE_SCHEMA,
        {},
        environ={
            "TRACKWAY_GENERAL__PROXY_IP_READ_LAST_IN_LIST": "off",
            "TRACKWAY_database__Pool_Size": "3",
            "TRACKWAY_DEBUG__TRACKER_ALWAYS_NEW_VISITOR": "True",
            "TRACKWAY_DATABASE__URL": "postgresql://x/y",
        },
    )
    assert settings.get("General", "proxy_ip_read_last_in_list") is False
    assert settings.get("database", "pool_size") == 3
    assert settings.get("Debug", "tracker_always_new_visitor") is True
    assert settings.get("database", "url") == "postgresql://x/y"


@pytest.mark.parametrize("value, expected", [(0, False), (1, True), (True, True), (False, False)])
def test_bool_from_file_accepts_0_and_1(tmp_path, value, expected):
    toml_value = {True: "true", False: "false"}.get(value) if isinstance(value, bool) else str(value)
    settings = load_file(tmp_path, f"[Tracker]\ndebug = {toml_value}\n")
    assert settings.get("Tracker", "debug") is expected


@pytest.mark.parametrize(
    "text, expected",
    [("yes", True), ("YES", True), ("on", True), ("1", True), ("true", True),
     ("no", False), ("off", False), ("0", False), ("False", False)],
)
def test_bool_from_env(text, expected):
    settings = load_settings(CORE_SCHEMA, {}, environ={"TRACKWAY_TRACKER__DEBUG": text})
    assert settings.get("Tracker", "debug") is expected


def test_bool_rejects_other_integers(tmp_path):
    with pytest.raises(ConfigError, match=r"\[Tracker\] debug must be a boolean"):
        load_file(tmp_path, "[Tracker]\ndebug = 2\n")


def test_list_from_comma_string(tmp_path):
    settings = load_file(
        tmp_path,
        '[General]\nproxy_client_headers = " X-Forwarded-For , X-Real-IP,, "\n',
        environ={"TRACKWAY_GENERAL__PROXY_IPS": "10.0.0.1, 10.0.0.0/8"},
    )
    assert settings.get("General", "proxy_client_headers") == ["X-Forwarded-For", "X-Real-IP"]
    assert settings.get("General", "proxy_ips") == ["10.0.0.1", "10.0.0.0/8"]


def test_list_rejects_non_string_elements(tmp_path):
    with pytest.raises(ConfigError, match=r"\[General\] proxy_ips must be a list of strings, got \[1, 2\] \(list\)"):
        load_file(tmp_path, "[General]\nproxy_ips = [1, 2]\n")


def test_float_setting_accepts_int():
    schema = {"Demo": {"ratio": Setting(0.5, "A ratio.")}}
    assert load_settings(schema, {"Demo": {"ratio": 2}}, environ={}).get("Demo", "ratio") == 2.0
    assert load_settings(schema, {}, environ={"TRACKWAY_DEMO__RATIO": "0.25"}).get("Demo", "ratio") == 0.25
    with pytest.raises(ConfigError, match="must be a number"):
        load_settings(schema, {"Demo": {"ratio": True}}, environ={})


def test_unknown_key_suggests_close_match(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_file(tmp_path, "[Tracker]\nvisit_standard_lenght = 10\n")
    message = str(info.value)
    assert message.startswith(str(tmp_path / "config.toml") + ": ")
    assert "unknown key 'visit_standard_lenght' in [Tracker]; did you mean 'visit_standard_length'?" in message


def test_unknown_key_without_close_match_lists_known_keys(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_file(tmp_path, "[database]\nzzz = 1\n")
    message = str(info.value)
    assert "unknown key 'zzz' in [database]" in message
    assert "'url'" in message and "'tables_prefix'" in message and "'pool_size'" in message


def test_unknown_section(tmp_path):
    with pytest.raises(ConfigError, match=r"unknown section \[Trackr\]; did you mean \[Tracker\]\?"):
        load_file(tmp_path, "[Trackr]\ndebug = true\n")
    with pytest.raises(ConfigError) as info:
        load_file(tmp_path, "[Nothing]\nx = 1\n")
    assert "config.toml" in str(info.value)
    assert "[General]" in str(info.value) and "[PrivacyManager]" not in str(info.value)


def test_wrong_type_message(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_file(tmp_path, '[Tracker]\nvisit_standard_length = "abc"\n')
    assert str(info.value) == (
        f"{tmp_path / 'config.toml'}: [Tracker] visit_standard_length must be an integer, got 'abc' (str)"
    )


def test_int_rejects_bool(tmp_path):
    with pytest.raises(ConfigError, match=r"pool_size must be an integer, got True \(bool\)"):
        load_file(tmp_path, "[database]\npool_size = true\n")


def test_bad_env_value_names_variable():
    with pytest.raises(ConfigError) as info:
        load_settings(CORE_SCHEMA, {}, environ={"TRACKWAY_TRACKER__VISIT_STANDARD_LENGTH": "ten"})
    message = str(info.value)
    assert message.startswith("TRACKWAY_TRACKER__VISIT_STANDARD_LENGTH: ")
    assert "visit_standard_length must be an integer" in message and "'ten'" in message

    with pytest.raises(ConfigError, match="^TRACKWAY_TRACKER__DEBUG: .*boolean"):
        load_settings(CORE_SCHEMA, {}, environ={"TRACKWAY_TRACKER__DEBUG": "maybe"})


def test_unknown_env_override_names_variable():
    with pytest.raises(ConfigError, match=r"^TRACKWAY_TRACKER__VISIT_LENGTH: unknown key 'VISIT_LENGTH'"):
        load_settings(CORE_SCHEMA, {}, environ={"TRACKWAY_TRACKER__VISIT_LENGTH": "1"})
    with pytest.raises(ConfigError, match=r"^TRACKWAY_NOPE__X: unknown section 'NOPE'"):
        load_settings(CORE_SCHEMA, {}, environ={"TRACKWAY_NOPE__X": "1"})


def test_env_vars_without_double_underscore_are_ignored():
    settings = load_settings(
        CORE_SCHEMA,
        {},
        environ={"TRACKWAY_DATABASE_URL": "mysql://h/db", "TRACKWAY_CONFIG": "x.toml", "OTHER__THING": "1"},
    )
    assert settings.as_dict() == defaults()


def test_trackway_config_missing_file(tmp_path):
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as info:
        read_config_file(environ={"TRACKWAY_CONFIG": str(missing)}, cwd=tmp_path)
    assert "TRACKWAY_CONFIG" in str(info.value) and str(missing) in str(info.value)


def test_invalid_toml(tmp_path):
    write_config(tmp_path, "[Tracker]\ndebug = \n")
    with pytest.raises(ConfigError) as info:
        read_config_file(environ={}, cwd=tmp_path)
    message = str(info.value)
    assert message.startswith(str(tmp_path / "config.toml") + ": invalid TOML")
    assert "line 2" in message


def test_top_level_non_table_key(tmp_path):
    write_config(tmp_path, 'debug = true\n[Tracker]\n')
    with pytest.raises(ConfigError, match=r"config\.toml: top-level key 'debug'"):
        read_config_file(environ={}, cwd=tmp_path)


def test_only_sections_ignores_other_sections():
    raw = {
        "database": {"url": "sqlite:///other.db"},
        "SomePlugin": {"anything": 1},
        "Tracker": {"visit_standard_length": "not validated"},
    }
    environ = {
        "TRACKWAY_SOMEPLUGIN__OPTION": "x",
        "TRACKWAY_TRACKER__DEBUG": "not validated",
        "TRACKWAY_PLUGINS__DISABLED": "Foo, Bar",
    }
    settings = load_settings(CORE_SCHEMA, raw, environ=environ, only_sections=["Database", "plugins"])
    assert settings.sections() == ["database", "Plugins"]
    assert settings.get("database", "url") == "sqlite:///other.db"
    assert settings.get("Plugins", "disabled") == ["Foo", "Bar"]

    with pytest.raises(ConfigError, match="TRACKWAY_PLUGINS__ENABLED"):
        load_settings(CORE_SCHEMA, {}, environ={"TRACKWAY_PLUGINS__ENABLED": "x"}, only_sections=["Plugins"])


def test_example_config_loads_to_defaults():
    text = render_example_config(CORE_SCHEMA)
    parsed = tomllib.loads(text)
    assert list(parsed) == list(CORE_SCHEMA)
    for section, keys in CORE_SCHEMA.items():
        assert list(parsed[section]) == list(keys)
    settings = load_settings(CORE_SCHEMA, parsed, environ={})
    assert settings.as_dict() == defaults()
    assert settings == load_settings(CORE_SCHEMA, None, environ={})


def test_example_config_documents_every_key():
    lines = render_example_config(CORE_SCHEMA).splitlines()
    for section, keys in CORE_SCHEMA.items():
        for key, setting in keys.items():
            index = next(i for i, line in enumerate(lines) if line.startswith(f"{key} = "))
            comments = []
            i = index - 1
            while i >= 0 and lines[i].startswith("# "):
                comments.insert(0, lines[i][2:])
                i -= 1
            assert " ".join(comments) == " ".join(setting.doc.split()), key


def test_example_config_escapes_strings():
    schema = {
        "Odd Section": {
            "text": Setting('quote " backslash \\ tab \t newline \n bell \x07 é', "Tricky."),
            "items": Setting(['a"b', "c\\d"], "Items."),
            "ratio": Setting(1e-5, "Small."),
        }
    }
    parsed = tomllib.loads(render_example_config(schema))
    assert parsed == {"Odd Section": {key: s.default for key, s in schema["Odd Section"].items()}}


def test_database_url_precedence():
    settings = load_settings(CORE_SCHEMA, {"database": {"url": "sqlite:///file.db"}}, environ={})
    assert database_url(settings, environ={}) == "sqlite:///file.db"
    assert database_url(settings, environ={"TRACKWAY_DATABASE_URL": ""}) == "sqlite:///file.db"
    assert database_url(settings, environ={"TRACKWAY_DATABASE_URL": "postgresql://h/db"}) == "postgresql://h/db"
    assert database_url(load_settings(CORE_SCHEMA, {}, environ={}), environ={}) == "sqlite:///trackway.db"


def test_settings_views_and_overrides():
    settings = load_settings(CORE_SCHEMA, {}, environ={})
    view = settings.section("tracker")
    assert view["debug"] is False
    with pytest.raises(TypeError):
        view["debug"] = True  # type: ignore[index]

    changed = settings.with_overrides("Tracker", debug=True, visit_standard_length=5)
    assert changed.get("Tracker", "debug") is True
    assert changed.get("Tracker", "visit_standard_length") == 5
    assert settings.get("Tracker", "debug") is False
    with pytest.raises(KeyError):
        settings.with_overrides("Tracker", no_such_key=1)
    with pytest.raises(KeyError):
        settings.get("Tracker", "no_such_key")


def test_setting_rejects_unsupported_default():
    with pytest.raises(TypeError):
        Setting({"a": 1}, "A dict is not a supported type.")
    with pytest.raises(TypeError):
        Setting([1, 2], "Lists hold strings only.")
