"""UserCountry's own location providers: ``default`` (browser language) and ``geoip2`` (an .mmdb file)."""

from __future__ import annotations

import ipaddress
import logging
from pathlib import Path
from typing import Any

import maxminddb

from core import Location, LocationProvider, LocationProviderError, TrackingRequest

from plugins.user_country.languages import guess_country

log = logging.getLogger("trackway.user_country")

SECTION = "UserCountry"
INSTALL_HINT = ("Download a City or Country database (DB-IP IP to City Lite or MaxMind GeoLite2, see "
                "docs/user_country.md), install it with `trackway usercountry:install-database PATH`, or set "
                '[UserCountry] location_provider = "default".')
COORDINATE_DECIMALS = 3
"""Matomo rounds GeoIP latitudes and longitudes to 3 decimals (about 100 m)."""
SUBDIVISION_LAST = frozenset({"GB"})
"""Countries whose region is the most specific subdivision (West Berkshire, not England)."""


class DefaultProvider(LocationProvider):
    """The country the browser language suggests; nothing else."""

    id = "default"

    def locate(self, request: TrackingRequest) -> Location | None:
        guess = self.settings is None or self.settings.get(SECTION, "enable_language_to_country_guess")
        country = guess_country(request.browser_language, from_language=guess)
        return Location(country_code=country) if country else None


def open_mmdb(path: str | Path) -> tuple[maxminddb.Reader, str]:
    """Open a MaxMind-format database for UserCountry: the reader and its kind, ``city`` or
    ``country``. Raises ``LocationProviderError`` naming the file and what is wrong with it."""
    path = Path(path)
    if not path.exists():
        raise LocationProviderError(f"{str(path)!r} does not exist")
    if not path.is_file():
        raise LocationProviderError(f"{str(path)!r} is not a file")
    try:
        reader = maxminddb.open_database(str(path))
    except (OSError, ValueError, maxminddb.InvalidDatabaseError) as exc:
        raise LocationProviderError(f"{str(path)!r} is not a readable MaxMind DB (.mmdb) file ({exc})") from exc
    database_type = reader.metadata().database_type
    kind = database_kind(database_type)
    if kind is None:
        reader.close()
        raise LocationProviderError(f"{str(path)!r} is a {database_type!r} database, not a City or Country one")
    try:
        reader.get("1.1.1.1" if reader.metadata().ip_version == 4 else "2001:db8::1")
    except maxminddb.InvalidDatabaseError as exc:
        reader.close()
        raise LocationProviderError(f"{str(path)!r} is damaged ({exc})") from exc
    return reader, kind


def database_kind(database_type: str) -> str | None:
    """``city`` for City and Enterprise databases (DB-IP's and MaxMind's), ``country`` for
    Country databases, None for the others (ASN, ISP, anonymous IP, ...)."""
    if "City" in database_type or "Enterprise" in database_type:
        return "city"
    if "Country" in database_type:
        return "country"
    return None


class GeoIP2Provider(LocationProvider):
    """Looks the visitor's IP up in the City or Country database named by ``geoip2_database``."""

    id = "geoip2"

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.path = settings.get(SECTION, "geoip2_database") if settings is not None else ""
        self.reader: maxminddb.Reader | None = None
        self.kind = "country"
        self._warned = False

    def open(self) -> None:
        if not self.path:
            raise LocationProviderError(
                '[UserCountry] location_provider is "geoip2" but geoip2_database is empty: set it to the path of '
                f"a City or Country .mmdb file. {INSTALL_HINT}")
        try:
            self.reader, self.kind = open_mmdb(self.path)
        except LocationProviderError as exc:
            raise LocationProviderError(f"[UserCountry] geoip2_database: {exc}. {INSTALL_HINT}") from None

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
            self.reader = None

    def locate(self, request: TrackingRequest) -> Location | None:
        # request.enrichment_ip in packed form: the tracker has computed ip_bytes already
        record = self.lookup(request.enrichment_ip_bytes or request.ip_bytes)
        return None if record is None else location_from_record(record, city=self.kind == "city")

    def lookup(self, ip: str | bytes) -> dict | None:
        """The database record of ``ip``, text or packed (an IPv4-mapped IPv6 address is looked up as IPv4)."""
        address = ipaddress.ip_address(ip)
        if address.version == 6 and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        try:
            return self.reader.get(address)
        except ValueError:  # an IPv6 address in an IPv4-only database
            return None
        except maxminddb.InvalidDatabaseError as exc:
            if not self._warned:  # the file was damaged after start-up: say so once, answer "unknown"
                log.error("GeoIP2 database %r is damaged: %s; locations are unknown until it is replaced", self.path,
                          exc)
                self._warned = True
            return None


def location_from_record(record: dict, *, city: bool) -> Location:
    """A GeoIP2 City or Country record as a ``Location``; Country databases give the country only."""
    country = (record.get("country") or {}).get("iso_code")
    country_code = country.lower() if country else None
    if not city:
        return Location(country_code=country_code)
    coordinates = record.get("location") or {}
    return Location(
        country_code=country_code,
        region_code=_region_code(record.get("subdivisions") or [], country),
        city=((record.get("city") or {}).get("names") or {}).get("en"),
        latitude=_rounded(coordinates.get("latitude")),
        longitude=_rounded(coordinates.get("longitude")),
    )


def _region_code(subdivisions: list[dict], country: str | None) -> str | None:
    if not subdivisions:
        return None
    subdivision = subdivisions[-1] if country in SUBDIVISION_LAST else subdivisions[0]
    code = subdivision.get("iso_code")
    if not code:
        return None
    code = code.upper()
    if country and code.startswith(country.upper() + "-"):  # some databases give AE-DU for DU
        code = code[len(country) + 1:]
    return code


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), COORDINATE_DECIMALS)
