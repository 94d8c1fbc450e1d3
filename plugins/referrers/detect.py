"""Referrer detection (spec §10.3): direct, website, search engine, social network or campaign.

:func:`detect` is a pure function of the referrer URL, the page URL, the site's
:class:`SiteReferrers` and, for a campaign without keyword, the ongoing visit's referrer.
:func:`conversion_referrer` is the attribution of a goal conversion (``_rcn``/``_rck``/``_ref``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from core import query_values, stored_value, unsanitize
from core.urls import ParamExcluder, get_excluder, looks_like_url, normalize_page_url

from plugins.referrers.definitions import Definitions, SearchEngine, SocialNetwork
from plugins.referrers.hosts import SiteUrls, canonical_host, canonical_path


def php_empty(value: str | None) -> bool:
    """PHP's ``empty()`` on a string, which Matomo's campaign checks use: ``""`` and ``"0"``."""
    return not value or value == "0"

DIRECT, SEARCH_ENGINE, WEBSITE, CAMPAIGN, SOCIAL_NETWORK = 1, 2, 3, 6, 7
NAME_LENGTH = 255
KEYWORD_LENGTH = 255
URL_LENGTH = 1500

DEFAULT_CAMPAIGN_NAME_PARAMETERS = ("pk_cpn", "pk_campaign", "piwik_campaign", "mtm_campaign", "matomo_campaign",
                                    "utm_campaign", "utm_source", "utm_medium")
DEFAULT_CAMPAIGN_KEYWORD_PARAMETERS = ("pk_kwd", "pk_keyword", "piwik_kwd", "mtm_kwd", "mtm_keyword", "matomo_kwd",
                                       "utm_term")
_PHP_TRIM = " \t\n\r\x00\x0b"


@dataclass(frozen=True)
class Referrer:
    """The four ``referer_*`` values of a visit. Matomo leaves name and keyword NULL where a type
    has none (direct: both; website: the keyword)."""

    type: int
    name: str | None = None
    keyword: str | None = None
    url: str = ""


NO_REFERRER = Referrer(DIRECT)


@dataclass(frozen=True)
class ReferrerSettings:
    """What the ``[Referrers]`` settings and the definitions say, once per tracker."""

    definitions: Definitions
    campaign_names: tuple[str, ...] = DEFAULT_CAMPAIGN_NAME_PARAMETERS
    campaign_keywords: tuple[str, ...] = DEFAULT_CAMPAIGN_KEYWORD_PARAMETERS
    new_visit_on_campaign_change: bool = True
    new_visit_on_website_change: bool = False
    excluded_referrers: tuple[str, ...] = ()

    @property
    def campaign_parameters(self) -> list[str]:
        return [*self.campaign_names, *self.campaign_keywords]

    @cached_property
    def campaign_parameter_set(self) -> frozenset[str]:
        return frozenset(self.campaign_parameters)


@dataclass
class SiteReferrers:
    """What detection needs to know about one site, kept in ``site.attributes["referrers"]``."""

    idsite: int
    settings: ReferrerSettings
    own_urls: SiteUrls
    all_urls: SiteUrls = field(default_factory=SiteUrls)
    excluded_referrers: SiteUrls = field(default_factory=SiteUrls)
    exclude_unknown_urls: bool = False
    keep_url_fragment: bool = False
    site: Any = None
    """The ``Site``: its excluded parameters, with those of every plugin, apply to ``referer_url`` too."""
    tracker_excluded_parameters: Sequence[str] = ()
    _excluders: dict[tuple[str, ...], ParamExcluder] = field(default_factory=dict, repr=False)

    def url_excluder(self, noise: tuple[str, ...]) -> ParamExcluder:
        """The page-URL exclusions plus a host's noise parameters, built on first use: the site's
        plugin exclusions are only complete once it is fully loaded."""
        excluder = self._excluders.get(noise)
        if excluder is None:
            if self.site is not None:
                site_names = [*self.site.excluded_parameters, *self.site.attributes.get("excluded_query_parameters", ())]
            else:  # detection without a loaded site (tests, benchmarks): the campaign parameters at least
                site_names = self.settings.campaign_parameters
            excluder = get_excluder([*self.tracker_excluded_parameters, *site_names, *noise])
            self._excluders[noise] = excluder
        return excluder


class _Url:
    """The parts of a URL detection reads; the query's values are parsed on first use."""

    __slots__ = ("host", "path", "query", "fragment", "_values")

    def __init__(self, host: str, path: str, query: str, fragment: str) -> None:
        self.host, self.path, self.query, self.fragment = host, path, query, fragment
        self._values: dict[str, str] | None = None

    @property
    def values(self) -> dict[str, str]:
        if self._values is None:
            self._values = query_values(self.query)
        return self._values


def _split(url: str) -> _Url | None:
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:  # an invalid IPv6 literal or port
        return None
    return _Url(host.rstrip("."), parts.path, parts.query, parts.fragment)


def _clean(raw: Any) -> str:
    """A URL parameter as Matomo reads it: the HTML entities decoded, trimmed."""
    if not isinstance(raw, str) or not raw:
        return ""
    return unsanitize(raw).strip(_PHP_TRIM)


def _campaign_in(values: dict[str, str], settings: ReferrerSettings) -> tuple[str, str]:
    """(name, keyword) of the first campaign name and keyword parameters present, in list order."""
    if not values or values.keys().isdisjoint(settings.campaign_names):
        return "", ""
    name = ""
    for parameter in settings.campaign_names:
        raw = values.get(parameter)
        if raw:
            name = stored_value(raw)
            if not php_empty(name):
                break
    if php_empty(name):
        return "", ""
    for parameter in settings.campaign_keywords:
        raw = values.get(parameter, "")
        if not php_empty(raw):
            return name, stored_value(raw)
    return name, ""


def _campaign_from_page(page: _Url | None, settings: ReferrerSettings) -> tuple[str, str]:
    if page is None:
        return "", ""
    name, keyword = _campaign_in(page.values, settings) if page.query else ("", "")
    if php_empty(keyword) and page.fragment:
        fragment_name, fragment_keyword = _campaign_in(query_values(page.fragment), settings)
        if fragment_name:
            name = fragment_name
            keyword = fragment_keyword or keyword
    return name, keyword


def _adwords(ref: _Url, host: str) -> tuple[str, str] | None:
    """(campaign name, keyword) of an AdSense/DoubleClick referrer that names the ad's page in ``url=``."""
    if not ref.query or ("googleads" not in host and "doubleclick" not in host):
        return None
    values = ref.values
    target = _split(stored_value(values.get("url", "")))
    if target is None or not target.host:
        return None
    ad_type = stored_value(values.get("ad_type", ""))
    return "AdWords" + (f" ({ad_type})" if ad_type else ""), "(adwords) " + target.host


class _Lookups:
    """The referrer's search-engine and social-network matches, each computed at most once."""

    __slots__ = ("_definitions", "_ref", "_url", "_engine", "_keyword", "_network")

    def __init__(self, definitions: Definitions, ref: _Url, url: str) -> None:
        self._definitions, self._ref, self._url = definitions, ref, url
        self._engine: Any = ...
        self._keyword: Any = ...
        self._network: Any = ...

    @property
    def engine(self) -> SearchEngine | None:
        if self._engine is ...:
            self._engine = self._definitions.search_engines.find(self._ref.host, self._ref.path or "/")
        return self._engine

    def search(self) -> tuple[str, str] | None:
        """(engine name, keyword) when the referrer is a search, else None."""
        if self._keyword is ...:
            engine, ref = self.engine, self._ref
            keyword = engine.keyword(self._url, ref.values, ref.fragment, ref.path) if engine else None
            self._keyword = None if keyword is None else (engine.name_for(ref.values), keyword)
        return self._keyword

    @property
    def network(self) -> SocialNetwork | None:
        if self._network is ...:
            self._network = self._definitions.social_networks.find(self._ref.host, self._ref.path or "/")
        return self._network

    def noise(self) -> tuple[str, ...]:
        engine, network = self.engine, self.network
        return (engine.url_noise_parameters if engine else ()) + (network.url_noise_parameters if network else ())


def detect(referrer_url: Any, page_url: Any, site: SiteReferrers, *,
           tracker_campaign: tuple[str, str] = ("", ""), current: Referrer | None = None) -> Referrer:
    """The referrer of a request, first applicable step wins (spec §10.3).

    *referrer_url* and *page_url* are the raw ``urlref`` and ``url`` parameters.
    *tracker_campaign* is a (name, keyword) sent as tracking parameters, which overrides the page
    URL's. *current* is the referrer of the visit the request extends (None for a new visit): a
    campaign without keyword keeps its keyword.
    """
    page_text = _clean(page_url)
    page = _split(page_text) if page_text else None
    if page is not None and page.query:
        values = page.values
        if values.get("ignore_referrer") == "1" or values.get("ignore_referer") == "1":
            return NO_REFERRER

    url = _clean(referrer_url)
    ref = _split(url) if url and looks_like_url(url) else None
    if ref is not None and ref.host and site.excluded_referrers and site.excluded_referrers.match(ref.host, ref.path):
        ref = None
    if ref is None:
        return Referrer(*_classify(page, None, site, None, tracker_campaign, current))
    lookups = _Lookups(site.settings.definitions, ref, url) if ref.host else None
    kind, name, keyword = _classify(page, ref, site, lookups, tracker_campaign, current)
    noise = lookups.noise() if lookups is not None else ()
    stored = normalize_page_url(url, excluded_params=site.url_excluder(noise), keep_fragment=site.keep_url_fragment,
                                max_bytes=URL_LENGTH * 4)
    return Referrer(kind, name, keyword, stored[:URL_LENGTH])


def _classify(page: _Url | None, ref: _Url | None, site: SiteReferrers, lookups: _Lookups | None,
              tracker_campaign: tuple[str, str], current: Referrer | None) -> tuple[int, str | None, str | None]:
    """(type, name, keyword): steps 3 to 7 of the detection."""
    host = ref.host if ref is not None else ""
    campaign = _campaign(page, ref, host, lookups, site.settings, tracker_campaign, current)
    if campaign is not None:
        return CAMPAIGN, campaign[0], campaign[1]
    if ref is None or lookups is None:
        return DIRECT, None, None

    site_host, site_path = canonical_host(host), canonical_path(ref.path or "/")
    if site.own_urls.match_canonical(site_host, site_path):
        return DIRECT, None, None
    matched = site.all_urls.match_canonical(site_host, site_path)
    known_elsewhere = matched is not None and bool(matched[0] - {site.idsite})
    if not known_elsewhere and not site.exclude_unknown_urls and page is not None and page.host == host:
        return DIRECT, None, None

    search = lookups.search()
    if search is not None:
        return SEARCH_ENGINE, search[0][:NAME_LENGTH], search[1][:KEYWORD_LENGTH]
    network = lookups.network
    if network is not None:
        return SOCIAL_NETWORK, network.name[:NAME_LENGTH], ""
    name = host
    if matched is not None and matched[1] != "/":
        name += matched[1].rstrip("/")
    return WEBSITE, name[:NAME_LENGTH], None


def _campaign(page: _Url | None, ref: _Url | None, host: str, lookups: _Lookups | None, settings: ReferrerSettings,
              tracker_campaign: tuple[str, str], current: Referrer | None) -> tuple[str, str] | None:
    """(name, keyword), lower-cased and cut, when the request is a campaign, else None."""
    name, keyword = _campaign_from_page(page, settings)
    tracker_name, tracker_keyword = tracker_campaign
    if tracker_name:
        name, keyword = tracker_name, tracker_keyword
    elif tracker_keyword and name:
        keyword = tracker_keyword

    if php_empty(name) or php_empty(keyword):
        if not php_empty(name) and lookups is not None:
            search = lookups.search()
            if search is not None and search[1]:
                keyword = search[1]
        if php_empty(keyword) and ref is not None and host:
            adwords = _adwords(ref, host)
            if adwords is not None:
                name = name if not php_empty(name) else adwords[0]
                keyword = adwords[1]
    if php_empty(name):
        return None
    if php_empty(keyword):
        same_campaign = (current is not None and current.type == CAMPAIGN
                         and (current.name or "").lower() == name.lower())
        keyword = (current.keyword or "") if same_campaign else host
    return name.lower()[:NAME_LENGTH], keyword.lower()[:KEYWORD_LENGTH]


def campaign_from_tracking_parameters(params: dict[str, Any], get_str: Any,
                                      settings: ReferrerSettings) -> tuple[str, str]:
    """(name, keyword) from campaign parameters sent as tracking parameters (read with ``get_str``)."""
    if params.keys().isdisjoint(settings.campaign_parameter_set):
        return "", ""
    name = keyword = ""
    for parameter in settings.campaign_names:
        name = (get_str(parameter) or "").strip(_PHP_TRIM)
        if not php_empty(name):
            break
    for parameter in settings.campaign_keywords:
        keyword = (get_str(parameter) or "").strip(_PHP_TRIM)
        if not php_empty(keyword):
            break
    return ("" if php_empty(name) else name), ("" if php_empty(keyword) else keyword)


def conversion_referrer(visit: Referrer, site: SiteReferrers, campaign_name: str, campaign_keyword: str,
                        referrer_url: Any) -> Referrer:
    """The referrer a goal conversion is credited to (``getValueForRecordGoal``).

    *campaign_name*/*campaign_keyword* are ``_rcn``/``_rck`` in their stored form (escaped, then
    URL-decoded, trimmed), *referrer_url* the raw ``_ref``; *visit* the visit's own referrer.
    """
    if php_empty(campaign_name) and visit.type == CAMPAIGN and visit.name:
        chosen = visit
    elif not php_empty(campaign_name):
        chosen = Referrer(CAMPAIGN, campaign_name, campaign_keyword)
    else:
        chosen = visit
        if isinstance(referrer_url, str) and referrer_url:
            parsed = detect(referrer_url, "", site)
            if parsed.type in (SEARCH_ENGINE, WEBSITE, SOCIAL_NETWORK):
                chosen = parsed
    if chosen.type == CAMPAIGN:
        return Referrer(CAMPAIGN, (chosen.name or "").lower()[:NAME_LENGTH],
                        (chosen.keyword or "").lower()[:KEYWORD_LENGTH])
    return Referrer(chosen.type, chosen.name, chosen.keyword)
