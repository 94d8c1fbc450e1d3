"""Location providers: where a visitor is, from the request (IP, browser language, ...).

The UserCountry plugin picks the provider named by ``[UserCountry] location_provider`` among
those plugins register through the ``register_location_providers`` hook.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from core.request import TrackingRequest


class LocationProviderError(Exception):
    """A provider cannot work (a missing or unreadable database file): reported at start-up."""


@dataclass(frozen=True)
class Location:
    """What a provider found; ``None`` fields are unknown. Codes are stored as Matomo stores them:
    ``country_code`` ISO 3166-1 alpha-2 in lower case (``"de"``), ``region_code`` the ISO 3166-2
    subdivision part (``"BY"``)."""

    country_code: str | None = None
    region_code: str | None = None
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    isp: str | None = None
    organization: str | None = None


class LocationProvider:
    """Base class: subclass it, set ``id``, and implement ``locate``."""

    id: ClassVar[str] = ""
    """The name ``[UserCountry] location_provider`` uses to pick this provider."""

    def __init__(self, settings: Any) -> None:
        self.settings = settings

    def open(self) -> None:
        """Called once per process at start-up: open files here, raise ``LocationProviderError``
        with a message that says what to do when the provider cannot work."""

    def close(self) -> None:
        """Called when the server stops."""

    def locate(self, request: TrackingRequest) -> Location | None:
        """The visitor's location, or None when unknown. Use ``request.enrichment_ip`` (the IP
        the privacy settings allow for enrichment) rather than ``request.ip``."""
        raise NotImplementedError
