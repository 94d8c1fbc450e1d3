"""UserCountry's hook implementations."""

from __future__ import annotations

import weakref

from core import Setting, hookimpl

from plugins.user_country import columns
from plugins.user_country.install import COMMAND
from plugins.user_country.locator import Locator, build_locator
from plugins.user_country.providers import SECTION, DefaultProvider, GeoIP2Provider

_locators: weakref.WeakKeyDictionary[object, Locator] = weakref.WeakKeyDictionary()
"""The open provider of each tracker (one per worker process; several in tests)."""


@hookimpl
def settings_schema():
    return {SECTION: {
        "location_provider": Setting(
            "default", 'Where visitor locations come from: "default" guesses the country from the browser language; '
                       '"geoip2" looks the visitor IP up in geoip2_database (country, region, city, latitude, '
                       "longitude). Plugins can add other providers."),
        "geoip2_database": Setting(
            "", "Path of the MaxMind-format City or Country database (.mmdb: DB-IP Lite, MaxMind GeoLite2 or "
                "GeoIP2) the geoip2 provider reads, relative to the working directory unless absolute. "
                "`trackway usercountry:install-database FILE` installs one. trackway ships none."),
        "enable_language_to_country_guess": Setting(
            True, "Let the default provider take a language spoken mainly in one country (fr, de, ja, ...) as "
                  "that country. Without it, only a region in the language tag (de-AT) gives a country."),
    }}


@hookimpl
def register_location_providers():
    return [DefaultProvider, GeoIP2Provider]


@hookimpl
def register_dimensions():
    return columns.DIMENSIONS


@hookimpl
def startup(tracker):
    """Open the configured provider once; a missing or unreadable database stops the server here."""
    _locators[tracker] = build_locator(tracker.hook, tracker.settings)


@hookimpl
def shutdown(tracker):
    locator = _locators.pop(tracker, None)
    if locator is not None:
        locator.close()


@hookimpl
def prepare_request(request):
    # Like cip and cdt, a location override without a valid token fails before any exclusion, and
    # outside the request's transaction (where, on SQLite, checking the token would wait on it).
    for parameter in columns.OVERRIDE_PARAMETERS:
        if request.get_str(parameter) is not None:
            request.require_authentication(parameter)


@hookimpl
def process_request(context):
    # Dimensions only see the request: hand them this tracker's provider; the location itself is
    # looked up lazily, once, when a column first needs it (new visits and overrides only).
    context.request.extra[columns.LOCATOR_KEY] = _locators[context.tracker]


@hookimpl
def register_commands():
    return [COMMAND]
