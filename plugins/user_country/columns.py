"""UserCountry's columns: where the visit comes from, set when it starts (Matomo's rules).

A new visit takes the location the provider finds for the request, unless an authenticated
request overrides it (``country``, ``region``, ``city``, ``lat``, ``long``); an ongoing visit
changes only through such an override. Conversions copy the visit's values.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from core import UNCHANGED, InvalidRequest, Location, TrackingRequest, VisitDimension, Visitor, columns

from plugins.user_country.languages import guess_country
from plugins.user_country.providers import SECTION

LOCATOR_KEY = "UserCountry.locator"
LOCATION_KEY = "UserCountry.location"
UNKNOWN_COUNTRY = "xx"


def short_code(length: int) -> sa.TypeEngine:
    """CHAR(n) on MariaDB/MySQL, as Matomo declares it, which hands values back without padding;
    VARCHAR(n) elsewhere, since PostgreSQL's CHAR would return ``de`` as ``de `` (padded to n)."""
    return sa.String(length).with_variant(mysql.CHAR(length), "mysql", "mariadb")


DEGREES = sa.Numeric(9, 6).with_variant(mysql.DECIMAL(9, 6), "mysql", "mariadb")
"""DECIMAL(9,6); MariaDB/MySQL report NUMERIC columns as DECIMAL, so spell it that way there."""


def location_of(request: TrackingRequest) -> Location:
    """The request's location, computed once and kept in ``request.extra``."""
    location = request.extra.get(LOCATION_KEY)
    if location is None:
        location = request.extra[LOCATION_KEY] = request.extra[LOCATOR_KEY].locate(request)
    return location


class _LocationColumn(VisitDimension):
    parameter: ClassVar[str]
    """The request parameter with which an authenticated request sets the column."""

    def override(self, request: TrackingRequest) -> Any:
        """The parameter's value when the request sends one (None otherwise); 400 without a valid token."""
        value = request.get_str(self.parameter)
        if value is None:
            return None
        request.require_authentication(self.parameter)
        return self.clean(value)

    def clean(self, value: str) -> Any:
        return value

    def from_location(self, location: Location) -> Any:
        raise NotImplementedError

    def on_new_visit(self, request, visitor, action):
        value = self.override(request)
        return value if value is not None else self.from_location(location_of(request))

    def on_existing_visit(self, request, visitor, action):
        value = self.override(request)
        return value if value is not None else UNCHANGED

    def on_any_goal_conversion(self, request, visitor, action):
        return visitor.get(self.column_name)


class LocationCountry(_LocationColumn):
    column_name = "location_country"
    column_type = short_code(3)
    parameter = "country"

    def clean(self, value: str) -> str:
        return value[:3].lower()

    def from_location(self, location: Location) -> str:
        return (location.country_code or UNKNOWN_COUNTRY).lower()[:3]

    def on_any_goal_conversion(self, request: TrackingRequest, visitor: Visitor, action: Any) -> str:
        country = visitor.get(self.column_name)
        if country is not None:
            return country
        guessed = guess_country(request.browser_language,
                                from_language=request.settings.get(SECTION, "enable_language_to_country_guess"))
        return guessed or UNKNOWN_COUNTRY


class LocationRegion(_LocationColumn):
    column_name = "location_region"
    column_type = short_code(3)
    parameter = "region"

    def clean(self, value: str) -> str:
        return value[:3].upper()

    def from_location(self, location: Location) -> str | None:
        return location.region_code[:3] if location.region_code else None


class LocationCity(_LocationColumn):
    column_name = "location_city"
    column_type = columns.VarChar(255)
    parameter = "city"

    def clean(self, value: str) -> str:
        return value[:255]

    def from_location(self, location: Location) -> str | None:
        return location.city[:255] if location.city else None


class _Coordinate(_LocationColumn):
    column_type = DEGREES
    limit: ClassVar[float]

    def clean(self, value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not -self.limit <= number <= self.limit:  # also rejects nan
            raise InvalidRequest(f"{self.parameter} must be a number between -{self.limit:g} and {self.limit:g}")
        return round(number, 6)


class LocationLatitude(_Coordinate):
    column_name = "location_latitude"
    parameter = "lat"
    limit = 90.0

    def from_location(self, location: Location) -> float | None:
        return None if location.latitude is None else round(location.latitude, 6)


class LocationLongitude(_Coordinate):
    column_name = "location_longitude"
    parameter = "long"
    limit = 180.0

    def from_location(self, location: Location) -> float | None:
        return None if location.longitude is None else round(location.longitude, 6)


DIMENSIONS = [LocationCountry, LocationRegion, LocationCity, LocationLatitude, LocationLongitude]
OVERRIDE_PARAMETERS = tuple(dimension.parameter for dimension in DIMENSIONS)
