"""Errors a tracking request can end with, each carrying the HTTP status it is answered with."""

from __future__ import annotations


class TrackingError(Exception):
    """A request that cannot be tracked. The message is shown to the client and nothing is stored."""

    status: int = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class InvalidRequest(TrackingError):
    """A parameter is missing or malformed (Matomo's InvalidRequestParameterException): 400."""


class UnexpectedWebsite(TrackingError):
    """``idsite`` names no site (Matomo's UnexpectedWebsiteFoundException): 400."""


class TemporarilyUnavailable(TrackingError):
    """The database could not be reached or a lock wait ran out: 503, the client may retry."""

    status = 503
