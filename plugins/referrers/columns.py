"""Referrers' visit columns: ``referer_type``, ``referer_name``, ``referer_keyword``, ``referer_url``.

The referrer is detected once per request (cached in ``request.extra``) by whichever hook needs
it first: ``should_force_new_visit`` for a request that extends a visit, else ``on_new_visit``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import types as sa
from sqlalchemy.dialects import mysql

from core import UNCHANGED, TrackingRequest, VisitDimension, Visitor, columns

from plugins.referrers.detect import (CAMPAIGN, DIRECT, NO_REFERRER, WEBSITE, Referrer, SiteReferrers,
                                      campaign_from_tracking_parameters, conversion_referrer, detect)
from core import url_decode

SITE_KEY = "referrers.site"
"""``request.extra`` key of the request's ``Site`` (set in ``prepare_request``): dimension hooks get no site."""
_REFERRER_KEY = "referrers.referrer"
_CONVERSION_KEY = "referrers.conversion"


def unsigned_tinyint_1() -> sa.TypeEngine:
    """TINYINT(1) UNSIGNED, as Matomo declares ``referer_type`` (``core.columns`` has no such helper)."""
    return sa.SmallInteger().with_variant(mysql.TINYINT(1, unsigned=True), "mysql", "mariadb")


def site_referrers(request: TrackingRequest) -> SiteReferrers | None:
    site = request.extra.get(SITE_KEY)
    return site.attributes.get("referrers") if site is not None else None


def page_url(request: TrackingRequest) -> Any:
    """``url``, or the HTTP Referer of an image tracker that sends neither ``url`` nor ``urlref``."""
    url = request.get_raw("url")
    if url is None and not request.has("urlref"):
        return request.header("referer")
    return url


def stored_referrer(visitor: Visitor) -> Referrer:
    return Referrer(visitor.previous("referer_type"), visitor.previous("referer_name"),
                    visitor.previous("referer_keyword"), visitor.previous("referer_url") or "")


def request_referrer(request: TrackingRequest, visitor: Visitor) -> Referrer:
    found = request.extra.get(_REFERRER_KEY)
    if found is None:
        site = site_referrers(request)
        if site is None:
            found = NO_REFERRER
        else:
            found = detect(request.get_raw("urlref"), page_url(request), site,
                           tracker_campaign=campaign_from_tracking_parameters(request.params, request.get_str,
                                                                               site.settings),
                           current=None if visitor.is_new_visit else stored_referrer(visitor))
        request.extra[_REFERRER_KEY] = found
    return found


def conversion_attribution(request: TrackingRequest, visitor: Visitor) -> Referrer:
    found = request.extra.get(_CONVERSION_KEY)
    if found is None:
        visit = Referrer(visitor.get("referer_type"), visitor.get("referer_name"), visitor.get("referer_keyword"))
        site = site_referrers(request)
        if site is None:
            found = visit
        else:
            name, keyword = (url_decode(request.get_str(p) or "").strip(" \t\n\r\x00\x0b") for p in ("_rcn", "_rck"))
            found = conversion_referrer(visit, site, name, keyword, request.get_raw("_ref"))
        request.extra[_CONVERSION_KEY] = found
    return found


def _changed(stored: Any, new: Any) -> bool:
    return str(stored if stored is not None else "").lower() != str(new if new is not None else "").lower()


class _ReferrerColumn(VisitDimension):
    field: ClassVar[str] = ""

    def on_new_visit(self, request, visitor, action):
        return getattr(request_referrer(request, visitor), self.field)

    def on_existing_visit(self, request, visitor, action):
        """Only a visit that started direct takes the referrer of a later request."""
        referrer = request_referrer(request, visitor)
        if visitor.previous("referer_type") == DIRECT and referrer.type != DIRECT:
            return getattr(referrer, self.field)
        return UNCHANGED


class _CopiedToConversions(_ReferrerColumn):
    def on_any_goal_conversion(self, request, visitor, action):
        return getattr(conversion_attribution(request, visitor), self.field)


class ReferrerType(_CopiedToConversions):
    column_name = "referer_type"
    column_type = unsigned_tinyint_1()
    field = "type"

    def should_force_new_visit(self, request, visitor, action):
        """A new campaign (or, when configured, a new website) starts a new visit, unless the
        ongoing visit came direct: that one simply takes the referrer."""
        site = site_referrers(request)
        if site is None:
            return False
        referrer = request_referrer(request, visitor)
        settings = site.settings
        if not ((referrer.type == CAMPAIGN and settings.new_visit_on_campaign_change)
                or (referrer.type == WEBSITE and settings.new_visit_on_website_change)):
            return False
        stored = stored_referrer(visitor)
        if stored.type == DIRECT:
            return False
        return (_changed(stored.type, referrer.type) or _changed(stored.name, referrer.name)
                or _changed(stored.keyword, referrer.keyword))


class ReferrerName(_CopiedToConversions):
    column_name = "referer_name"
    column_type = columns.VarChar(255)
    field = "name"


class ReferrerKeyword(_CopiedToConversions):
    column_name = "referer_keyword"
    column_type = columns.VarChar(255)
    field = "keyword"


class ReferrerUrl(_ReferrerColumn):
    column_name = "referer_url"
    column_type = columns.VarChar(1500)
    field = "url"


DIMENSIONS = [ReferrerType, ReferrerName, ReferrerKeyword, ReferrerUrl]
