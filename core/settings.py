"""Configuration loading: a declared schema, a TOML file and environment overrides."""

from __future__ import annotations

import difflib
import os
import re
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Mapping

__all__ = [
    "CORE_SCHEMA",
    "ConfigError",
    "Schema",
    "Setting",
    "Settings",
    "database_url",
    "load_settings",
    "read_config_file",
    "render_example_config",
]

ENV_PREFIX = "TRACKWAY_"
CONFIG_ENV = "TRACKWAY_CONFIG"
DATABASE_URL_ENV = "TRACKWAY_DATABASE_URL"
DEFAULT_CONFIG_NAME = "config.toml"

_SUPPORTED_TYPES = (bool, int, float, str, list)
_TYPE_DESCRIPTIONS = {
    bool: "a boolean (true/false)",
    int: "an integer",
    float: "a number",
    str: "a string",
    list: "a list of strings",
}
_ENV_TRUE = {"true", "1", "yes", "on"}
_ENV_FALSE = {"false", "0", "no", "off"}


class ConfigError(Exception):
    """Invalid configuration; the message names the file or variable and the section/key at fault."""


@dataclass(frozen=True)
class Setting:
    """One configuration key: its default (whose type is the accepted type) and its documentation."""

    default: Any
    doc: str

    def __post_init__(self) -> None:
        if type(self.default) not in _SUPPORTED_TYPES:
            raise TypeError(
                f"Setting default must be bool, int, float, str or list, got {type(self.default).__name__}"
            )
        if isinstance(self.default, list) and not all(isinstance(item, str) for item in self.default):
            raise TypeError("Setting default list must contain only strings")

    @property
    def type(self) -> type:
        """The Python type values of this setting must have."""
        return type(self.default)


Schema = dict[str, dict[str, Setting]]


CORE_SCHEMA: Schema = {
    "database": {
        "url": Setting(
            "sqlite:///trackway.db",
            "SQLAlchemy database URL, e.g. postgresql+psycopg://user:pass@host/db or "
            "mysql+pymysql://user:pass@host/db. The TRACKWAY_DATABASE_URL environment variable overrides it.",
        ),
        "tables_prefix": Setting("", "Text put in front of every table name, to share one database with other applications."),
        "pool_size": Setting(10, "Number of database connections each worker process keeps open."),
    },
    "General": {
        "proxy_client_headers": Setting(
            [],
            'Request headers that hold the real client IP when trackway runs behind a reverse proxy or '
            'load balancer, e.g. ["X-Forwarded-For"]. Leave empty when clients connect directly.',
        ),
        "proxy_ips": Setting(
            [],
            "IP addresses or CIDR ranges of your own proxies; they are skipped when the client IP is "
            "read from the proxy headers.",
        ),
        "proxy_ip_read_last_in_list": Setting(
            True,
            "When a proxy header lists several addresses, take the client IP from the end of the list "
            "(after skipping proxy_ips) instead of the start. The end is the part your proxies wrote, so it "
            "cannot be forged by the client.",
        ),
    },
    "Tracker": {
        "record_statistics": Setting(
            True, "Store incoming tracking requests. Set to false to accept requests but record nothing."
        ),
        "visit_standard_length": Setting(
            1800, "Seconds of inactivity after which the next action of a visitor starts a new visit."
        ),
        "window_look_back_for_visitor": Setting(
            0,
            "Seconds to look back for an existing visit of the same visitor when matching a request. "
            "0 uses visit_standard_length.",
        ),
        "trust_visitors_cookies": Setting(
            False,
            "Identify returning visitors only by the visitor ID sent by the tracker cookie, ignoring the "
            "configuration fingerprint. Useful when many visitors share one IP and browser setup.",
        ),
        "enable_userid_overwrites_visitorid": Setting(
            True,
            "When a User ID is set, derive the visitor ID from it so the same user is one visitor across "
            "devices.",
        ),
        "create_new_visit_after_midnight": Setting(
            True, "Start a new visit when a visit crosses midnight in the website's timezone."
        ),
        "create_new_visit_after_x_actions": Setting(
            10000, "Start a new visit once the current visit has recorded this many actions."
        ),
        "enable_fingerprinting_across_websites": Setting(
            False,
            "Let the configuration fingerprint match the same visitor on different websites, instead of "
            "keeping fingerprints per website.",
        ),
        "default_time_one_page_visit": Setting(
            0, "Visit duration in seconds recorded for visits that consist of a single page view."
        ),
        "tracking_requests_require_authentication": Setting(
            True,
            "Require a token_auth for tracking parameters that override request data, such as the visitor "
            "IP (cip) or a custom timestamp (cdt) in the past.",
        ),
        "tracking_requests_require_authentication_when_custom_timestamp_newer_than": Setting(
            86400,
            "Custom timestamps (cdt) no older than this many seconds are accepted without token_auth "
            "even when tracking_requests_require_authentication is true.",
        ),
        "page_maximum_length": Setting(
            1024, "Maximum length in bytes (UTF-8) of page URLs and titles; longer values are cut at a "
            "character boundary."
        ),
        "bulk_requests_use_transaction": Setting(
            True, "Process a bulk tracking request in one database transaction, which is faster."
        ),
        "debug": Setting(False, "Log detailed information about every tracking request. Do not use in production."),
        "debug_on_demand": Setting(
            False,
            "Allow a single tracking request to turn on debug output by passing the debug=1 parameter.",
        ),
        "tracker_cache_file_ttl": Setting(
            300, "Seconds the tracker keeps website and settings data in its cache before reloading it."
        ),
        "url_query_parameter_to_exclude_from_url": Setting(
            [
                "gclid",
                "fbclid",
                "msclkid",
                "twclid",
                "wbraid",
                "gbraid",
                "yclid",
                "fb_xd_fragment",
                "fb_comment_id",
                "phpsessid",
                "jsessionid",
                "sessionid",
                "aspsessionid",
                "doing_wp_cron",
                "sid",
                "pk_vid",
            ],
            "Query parameters removed from every tracked URL (session IDs, ad click IDs and the like), "
            "in addition to the ones excluded per website.",
        ),
    },
    "Debug": {
        "tracker_always_new_visitor": Setting(
            False, "Treat every tracking request as a new visitor. Only for testing and load generation."
        ),
    },
    "Plugins": {
        "disabled": Setting([], "Names of plugins, as shown by `plugin:list`, that must not be loaded."),
    },
}


class Settings:
    """Validated configuration values, grouped by section, using the schema's spelling."""

    def __init__(self, values: dict[str, dict[str, Any]]):
        self._values: dict[str, dict[str, Any]] = {
            section: {key: _copy_value(value) for key, value in keys.items()} for section, keys in values.items()
        }
        self._section_index = {section.lower(): section for section in self._values}

    def _section_name(self, section: str) -> str:
        name = self._section_index.get(section.lower())
        if name is None:
            raise KeyError(f"unknown settings section {section!r}")
        return name

    def get(self, section: str, key: str) -> Any:
        """The value of `key` in `section` (both matched case-insensitively)."""
        values = self._values[self._section_name(section)]
        if key in values:
            return values[key]
        for name, value in values.items():
            if name.lower() == key.lower():
                return value
        raise KeyError(f"unknown setting {key!r} in [{section}]")

    def section(self, section: str) -> Mapping[str, Any]:
        """A read-only view of one section."""
        return MappingProxyType(self._values[self._section_name(section)])

    def sections(self) -> list[str]:
        """The section names, in schema order."""
        return list(self._values)

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """A deep copy of all values."""
        return {section: {k: _copy_value(v) for k, v in keys.items()} for section, keys in self._values.items()}

    def with_overrides(self, section: str, **values: Any) -> Settings:
        """A copy with some values of one section replaced; unknown keys raise KeyError."""
        name = self._section_name(section)
        current = self._values[name]
        key_index = {key.lower(): key for key in current}
        updated = self.as_dict()
        for key, value in values.items():
            real = key_index.get(key.lower())
            if real is None:
                raise KeyError(f"unknown setting {key!r} in [{name}]")
            updated[name][real] = value
        return Settings(updated)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Settings):
            return NotImplemented
        return self._values == other._values

    def __repr__(self) -> str:
        return f"Settings({self._values!r})"


def _copy_value(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def read_config_file(
    environ: Mapping[str, str] = os.environ, cwd: Path | None = None
) -> tuple[dict[str, dict[str, Any]], Path | None]:
    """Read the TOML file named by TRACKWAY_CONFIG, else ./config.toml (relative to cwd) if it exists.

    Returns the parsed sections and the file's path, or ({}, None) when there is no file.
    """
    named = environ.get(CONFIG_ENV, "")
    if named:
        path = Path(named)
        if not path.is_absolute() and cwd is not None:
            path = cwd / path
        if not path.is_file():
            reason = "is not a file" if path.exists() else "does not exist"
            raise ConfigError(f"{CONFIG_ENV}: configuration file {str(path)!r} {reason}")
    else:
        path = (cwd / DEFAULT_CONFIG_NAME) if cwd is not None else Path(DEFAULT_CONFIG_NAME)
        if not path.is_file():
            return {}, None
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration file: {exc.strerror or exc}") from exc
    for name, value in data.items():
        if not isinstance(value, dict):
            raise ConfigError(
                f"{path}: top-level key {name!r} must be a section ([{name}]) but is {_describe(value)}; "
                "put settings under a [section] header"
            )
    return data, path


def load_settings(
    schema: Schema,
    raw: dict[str, dict[str, Any]] | None = None,
    *,
    source: Path | None = None,
    environ: Mapping[str, str] = os.environ,
    only_sections: Iterable[str] | None = None,
) -> Settings:
    """Build Settings: schema defaults, then the file's values (raw), then TRACKWAY_<SECTION>__<KEY> overrides.

    With only_sections, only those sections are validated and returned; others in raw and env are ignored.
    """
    origin = str(source) if source is not None else "configuration"
    section_index = {name.lower(): name for name in schema}
    if only_sections is None:
        wanted = list(schema)
    else:
        wanted = []
        for name in only_sections:
            real = section_index.get(name.lower())
            if real is None:
                raise ValueError(f"only_sections names {name!r}, which is not in the schema")
            if real not in wanted:
                wanted.append(real)
    wanted_lower = {name.lower() for name in wanted}

    values: dict[str, dict[str, Any]] = {
        section: {key: _copy_value(setting.default) for key, setting in schema[section].items()}
        for section in schema
        if section in wanted
    }

    seen_sections: dict[str, str] = {}
    for given_section, keys in (raw or {}).items():
        lowered = str(given_section).lower()
        if only_sections is not None and lowered not in wanted_lower:
            continue
        section = section_index.get(lowered)
        if section is None:
            raise ConfigError(f"{origin}: unknown section [{given_section}]; {_suggest(given_section, list(schema), 'section')}")
        if section in seen_sections:
            raise ConfigError(
                f"{origin}: section [{section}] is given twice, as [{seen_sections[section]}] and [{given_section}]"
            )
        seen_sections[section] = given_section
        if not isinstance(keys, dict):
            raise ConfigError(f"{origin}: [{given_section}] must be a section (table), got {_describe(keys)}")
        key_index = {key.lower(): key for key in schema[section]}
        seen_keys: dict[str, str] = {}
        for given_key, value in keys.items():
            key = key_index.get(str(given_key).lower())
            if key is None:
                raise ConfigError(
                    f"{origin}: unknown key {given_key!r} in [{section}]; "
                    f"{_suggest(given_key, list(schema[section]), 'key')}"
                )
            if key in seen_keys:
                raise ConfigError(
                    f"{origin}: [{section}] {key} is given twice, as {seen_keys[key]!r} and {given_key!r}"
                )
            seen_keys[key] = given_key
            values[section][key] = _coerce_file_value(value, schema[section][key], f"{origin}: [{section}] {key}")

    env_seen: dict[tuple[str, str], str] = {}
    for variable in sorted(environ):
        if not variable.startswith(ENV_PREFIX):
            continue
        rest = variable[len(ENV_PREFIX):]
        if "__" not in rest:
            continue
        given_section, given_key = rest.split("__", 1)
        if only_sections is not None and given_section.lower() not in wanted_lower:
            continue
        section = section_index.get(given_section.lower())
        if section is None:
            raise ConfigError(
                f"{variable}: unknown section {given_section!r}; {_suggest(given_section, list(schema), 'section')}"
            )
        key = {k.lower(): k for k in schema[section]}.get(given_key.lower())
        if key is None:
            raise ConfigError(
                f"{variable}: unknown key {given_key!r} in [{section}]; "
                f"{_suggest(given_key, list(schema[section]), 'key')}"
            )
        if (section, key) in env_seen:
            raise ConfigError(f"{variable}: [{section}] {key} is also set by {env_seen[(section, key)]}")
        env_seen[(section, key)] = variable
        values[section][key] = _coerce_env_value(environ[variable], schema[section][key], variable, section, key)

    return Settings(values)


def database_url(settings: Settings, environ: Mapping[str, str] = os.environ) -> str:
    """TRACKWAY_DATABASE_URL if set and non-empty, else [database] url."""
    override = environ.get(DATABASE_URL_ENV, "").strip()
    if override:
        return override
    return settings.get("database", "url")


def render_example_config(schema: Schema) -> str:
    """An example TOML file listing every section and key with its doc and default value."""
    lines = [
        "# trackway configuration file.",
        "#",
        "# Every setting is shown with its default value; change the ones you need and",
        "# delete the rest. Save as ./config.toml or point TRACKWAY_CONFIG at the file.",
        "# Any setting can also be overridden with an environment variable named",
        "# TRACKWAY_<SECTION>__<KEY>, e.g. TRACKWAY_TRACKER__VISIT_STANDARD_LENGTH=600.",
    ]
    for section, keys in schema.items():
        lines.append("")
        lines.append(f"[{_toml_key(section)}]")
        for index, (key, setting) in enumerate(keys.items()):
            if index:
                lines.append("")
            for doc_line in textwrap.wrap(setting.doc, width=76, break_long_words=False, break_on_hyphens=False):
                lines.append(f"# {doc_line}")
            lines.append(f"{_toml_key(key)} = {_toml_value(setting.default, len(key) + 3)}")
    return "\n".join(lines) + "\n"


def _suggest(given: str, known: list[str], what: str) -> str:
    lowered = {name.lower(): name for name in known}
    matches = difflib.get_close_matches(str(given).lower(), list(lowered), n=1)
    wrap = (lambda n: f"[{n}]") if what == "section" else (lambda n: repr(n))
    if matches:
        return f"did you mean {wrap(lowered[matches[0]])}?"
    listing = ", ".join(wrap(name) for name in known) or "none"
    return f"known {what}s: {listing}"


def _describe(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})"


def _coerce_file_value(value: Any, setting: Setting, where: str) -> Any:
    kind = setting.type
    if kind is bool:
        if isinstance(value, bool):
            return value
        if type(value) is int and value in (0, 1):
            return bool(value)
    elif kind is int:
        if type(value) is int:
            return value
    elif kind is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif kind is str:
        if isinstance(value, str):
            return value
    elif kind is list:
        if isinstance(value, str):
            return _split_list(value)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return list(value)
    raise ConfigError(f"{where} must be {_TYPE_DESCRIPTIONS[kind]}, got {_describe(value)}")


def _coerce_env_value(text: str, setting: Setting, variable: str, section: str, key: str) -> Any:
    kind = setting.type
    stripped = text.strip()
    if kind is str:
        return text
    if kind is list:
        return _split_list(text)
    if kind is bool:
        if stripped.lower() in _ENV_TRUE:
            return True
        if stripped.lower() in _ENV_FALSE:
            return False
        raise ConfigError(
            f"{variable}: [{section}] {key} must be a boolean (true/false/1/0/yes/no/on/off), got {text!r}"
        )
    try:
        return int(stripped) if kind is int else float(stripped)
    except ValueError:
        raise ConfigError(f"{variable}: [{section}] {key} must be {_TYPE_DESCRIPTIONS[kind]}, got {text!r}") from None


def _split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _toml_string(text: str) -> str:
    out = []
    for char in text:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _toml_key(name: str) -> str:
    return name if _BARE_KEY.match(name) else _toml_string(name)


def _toml_value(value: Any, indent: int = 0) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        items = [_toml_value(item) for item in value]
        single = "[" + ", ".join(items) + "]"
        if indent + len(single) <= 79:
            return single
        return "[\n" + "".join(f"    {item},\n" for item in items) + "]"
    raise TypeError(f"cannot render {type(value).__name__} as TOML")
