"""Search-engine and social-network definitions: the bundled TOML files, extra files and what
plugins return from the ``referrer_search_engines`` / ``referrer_social_networks`` hooks.

The format is described in docs/referrers.md and at the top of ``data/search_engines.toml``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plugins.referrers.hosts import HostPatterns
from core import query_values, stored_value

DATA_DIR = Path(__file__).resolve().parent / "data"
BUNDLED_FILES = (DATA_DIR / "search_engines.toml", DATA_DIR / "social_networks.toml")
DEFAULT_HIDDEN_KEYWORD_PATHS = ("/",)

_ENGINE_KEYS = {"name", "hosts", "keyword_parameters", "hidden_keyword_paths", "charsets", "names_by_parameter",
                "url_noise_parameters"}
_NETWORK_KEYS = {"name", "hosts", "url_noise_parameters"}


class DefinitionError(ValueError):
    """A malformed search-engine or social-network definition; the message says where it came from."""


@dataclass(frozen=True)
class SearchEngine:
    name: str
    keyword_parameters: tuple[str | re.Pattern[str], ...] = ()
    hidden_paths: frozenset[str] = frozenset(DEFAULT_HIDDEN_KEYWORD_PATHS)
    hidden_prefixes: tuple[str, ...] = ()
    charsets: tuple[str, ...] = ()
    names_by_parameter: tuple[tuple[str, Mapping[str, str]], ...] = ()
    url_noise_parameters: tuple[str, ...] = ()

    def keyword(self, url: str, values: Mapping[str, str], fragment: str, path: str) -> str | None:
        """The stored (lower-case) keyword of a referrer URL (*values*: its query's, see
        ``query_values``); ``""`` for a search whose keyword is hidden or empty; None when the
        URL is no search of this engine."""
        for parameter in self.keyword_parameters:
            if isinstance(parameter, str):
                if parameter in values:
                    return stored_value(values[parameter], self.charsets).lower()
            else:
                found = parameter.search(url)
                if found is not None:
                    return stored_value(found.group(1) or "", self.charsets).lower()
        if fragment:
            values = query_values(fragment)
            for parameter in self.keyword_parameters:
                if isinstance(parameter, str) and parameter in values:
                    return stored_value(values[parameter], self.charsets).lower()
        path = path or "/"
        if path in self.hidden_paths or any(path.startswith(prefix) for prefix in self.hidden_prefixes):
            return ""
        return None

    def name_for(self, values: Mapping[str, str]) -> str:
        if self.names_by_parameter:
            for parameter, names in self.names_by_parameter:
                name = names.get(values.get(parameter, ""))
                if name:
                    return name
        return self.name


@dataclass(frozen=True)
class SocialNetwork:
    name: str
    url_noise_parameters: tuple[str, ...] = ()


@dataclass
class Definitions:
    """Host lookups for search engines and social networks, built once per process."""

    search_engines: HostPatterns[SearchEngine] = field(default_factory=HostPatterns)
    social_networks: HostPatterns[SocialNetwork] = field(default_factory=HostPatterns)
    engine_names: set[str] = field(default_factory=set)
    network_names: set[str] = field(default_factory=set)

    def add_search_engine(self, definition: Mapping[str, Any], source: str) -> None:
        engine, hosts = parse_search_engine(definition, source)
        _add_hosts(self.search_engines, hosts, engine, source)
        self.engine_names.add(engine.name)

    def add_social_network(self, definition: Mapping[str, Any], source: str) -> None:
        network, hosts = parse_social_network(definition, source)
        _add_hosts(self.social_networks, hosts, network, source)
        self.network_names.add(network.name)

    def add_file(self, path: Path) -> None:
        """Add the ``[[search_engine]]`` and ``[[social_network]]`` tables of a TOML file."""
        try:
            with open(path, "rb") as handle:
                data = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise DefinitionError(f"referrer definitions file {path}: {exc}") from exc
        unknown = set(data) - {"search_engine", "social_network"}
        if unknown:
            raise DefinitionError(f"referrer definitions file {path}: unknown tables {sorted(unknown)}")
        for number, definition in enumerate(data.get("search_engine", []), 1):
            self.add_search_engine(definition, f"{path}, search_engine #{number}")
        for number, definition in enumerate(data.get("social_network", []), 1):
            self.add_social_network(definition, f"{path}, social_network #{number}")


def load_definitions(files: Iterable[Path | str] = (),
                     search_engines: Iterable[tuple[str, Iterable[Mapping[str, Any]]]] = (),
                     social_networks: Iterable[tuple[str, Iterable[Mapping[str, Any]]]] = ()) -> Definitions:
    """The bundled files, then *files*, then the ``(source, definitions)`` pairs plugins returned;
    for a host pattern defined twice the later definition wins."""
    definitions = Definitions()
    for path in (*BUNDLED_FILES, *(Path(f) for f in files)):
        definitions.add_file(path)
    for source, engines in search_engines:
        for number, definition in enumerate(engines or (), 1):
            definitions.add_search_engine(definition, f"{source}, search engine #{number}")
    for source, networks in social_networks:
        for number, definition in enumerate(networks or (), 1):
            definitions.add_social_network(definition, f"{source}, social network #{number}")
    return definitions


# -- validation ------------------------------------------------------------------------------------


def _add_hosts(patterns: HostPatterns[Any], hosts: tuple[str, ...], value: Any, source: str) -> None:
    for host in hosts:
        try:
            patterns.add(host, value)
        except ValueError as exc:
            raise DefinitionError(f"{source}: {exc}") from exc


def _strings(definition: Mapping[str, Any], key: str, source: str, default: tuple[str, ...] = (),
             required: bool = False) -> tuple[str, ...]:
    if key not in definition:
        if required:
            raise DefinitionError(f"{source}: {key!r} is missing")
        return default
    value = definition[key]
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) and item.strip() for item in value):
        raise DefinitionError(f"{source}: {key!r} must be a list of non-empty strings")
    if required and not value:
        raise DefinitionError(f"{source}: {key!r} must not be empty")
    return tuple(item.strip() for item in value)


def _common(definition: Mapping[str, Any], source: str, allowed: set[str]) -> tuple[str, tuple[str, ...]]:
    if not isinstance(definition, Mapping):
        raise DefinitionError(f"{source}: expected a mapping, got {type(definition).__name__}")
    unknown = set(definition) - allowed
    if unknown:
        raise DefinitionError(f"{source}: unknown keys {sorted(unknown)} (allowed: {sorted(allowed)})")
    name = definition.get("name")
    if not isinstance(name, str) or not name.strip():
        raise DefinitionError(f"{source}: 'name' must be a non-empty string")
    return name.strip(), _strings(definition, "hosts", source, required=True)


def _keyword_parameter(entry: str, source: str) -> str | re.Pattern[str]:
    if len(entry) > 2 and entry.startswith("/") and entry.endswith("/"):
        try:
            pattern = re.compile(entry[1:-1])
        except re.error as exc:
            raise DefinitionError(f"{source}: keyword pattern {entry!r} is not a regular expression: {exc}") from exc
        if pattern.groups < 1:
            raise DefinitionError(f"{source}: keyword pattern {entry!r} needs a group around the keyword")
        return pattern
    return entry


def parse_search_engine(definition: Mapping[str, Any], source: str) -> tuple[SearchEngine, tuple[str, ...]]:
    name, hosts = _common(definition, source, _ENGINE_KEYS)
    parameters = tuple(_keyword_parameter(p, source) for p in _strings(definition, "keyword_parameters", source))
    hidden = _strings(definition, "hidden_keyword_paths", source, DEFAULT_HIDDEN_KEYWORD_PATHS)
    by_parameter = definition.get("names_by_parameter", {})
    if not isinstance(by_parameter, Mapping) or not all(
            isinstance(names, Mapping) and all(isinstance(k, str) and isinstance(v, str) for k, v in names.items())
            for names in by_parameter.values()):
        raise DefinitionError(f"{source}: 'names_by_parameter' must map parameters to {{value: name}} tables")
    engine = SearchEngine(
        name=name, keyword_parameters=parameters,
        hidden_paths=frozenset(p for p in hidden if not p.endswith("*")),
        hidden_prefixes=tuple(p[:-1] for p in hidden if p.endswith("*")),
        charsets=_strings(definition, "charsets", source),
        names_by_parameter=tuple((param, dict(names)) for param, names in by_parameter.items()),
        url_noise_parameters=_strings(definition, "url_noise_parameters", source),
    )
    return engine, hosts


def parse_social_network(definition: Mapping[str, Any], source: str) -> tuple[SocialNetwork, tuple[str, ...]]:
    name, hosts = _common(definition, source, _NETWORK_KEYS)
    return SocialNetwork(name, _strings(definition, "url_noise_parameters", source)), hosts
