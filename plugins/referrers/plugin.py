"""Referrers' hook implementations: settings, columns, the per-site data detection reads, and the
campaign parameters removed from page URLs."""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy import func, select

from core import Setting, Site, hookimpl

from plugins.referrers import columns
from plugins.referrers.definitions import load_definitions
from plugins.referrers.detect import (DEFAULT_CAMPAIGN_KEYWORD_PARAMETERS, DEFAULT_CAMPAIGN_NAME_PARAMETERS,
                                      ReferrerSettings, SiteReferrers)
from plugins.referrers.hosts import SiteUrls

SECTION = "Referrers"

# Per tracker (that is, per process): the settings and definitions built at start-up, and the
# URLs of all sites with the fingerprint of the rows they were read from.
_settings: weakref.WeakKeyDictionary[Any, ReferrerSettings] = weakref.WeakKeyDictionary()
_all_urls: weakref.WeakKeyDictionary[Any, tuple[tuple, SiteUrls]] = weakref.WeakKeyDictionary()


@hookimpl
def settings_schema():
    return {SECTION: {
        "campaign_var_name": Setting(list(DEFAULT_CAMPAIGN_NAME_PARAMETERS), (
            "Page-URL query parameters holding a campaign name, tried in this order. They are removed from "
            "stored page URLs.")),
        "campaign_keyword_var_name": Setting(list(DEFAULT_CAMPAIGN_KEYWORD_PARAMETERS), (
            "Page-URL query parameters holding a campaign keyword, tried in this order. They are removed from "
            "stored page URLs.")),
        "create_new_visit_when_campaign_changes": Setting(True, (
            "Start a new visit when an ongoing visit that did not come direct arrives with another campaign "
            "name or keyword.")),
        "create_new_visit_when_website_referrer_changes": Setting(False, (
            "Start a new visit when an ongoing visit that did not come direct arrives from another website.")),
        "excluded_referrers": Setting([], (
            "Referrers ignored on every site, in addition to each site's excluded referrers: a host with an "
            "optional path, e.g. \"partner.example/app\"; a leading dot (\".example.org\") also covers "
            "subdomains. A request from an excluded referrer counts as direct.")),
        "definitions_files": Setting([], (
            "Extra TOML files of search engines and social networks, in the format of "
            "plugins/referrers/data/*.toml (see docs/referrers.md); read at start-up.")),
    }}


@hookimpl
def register_dimensions():
    return columns.DIMENSIONS


@hookimpl
def startup(tracker):
    _settings[tracker] = build_settings(tracker)


@hookimpl
def shutdown(tracker):
    _settings.pop(tracker, None)
    _all_urls.pop(tracker, None)


def build_settings(tracker: Any) -> ReferrerSettings:
    """Read the settings, the data files and the plugins' definitions: once per process."""
    section = tracker.settings.section(SECTION)
    hook = tracker.hook

    def provided(caller: Any) -> list[tuple[str, Any]]:
        # get_hookimpls() lists implementations in reverse call order: the first one called is
        # added last and so wins a clash of host patterns.
        return [(f"plugin {impl.plugin_name}", impl.function()) for impl in caller.get_hookimpls()]

    definitions = load_definitions(section["definitions_files"], provided(hook.referrer_search_engines),
                                   provided(hook.referrer_social_networks))
    return ReferrerSettings(
        definitions=definitions,
        campaign_names=tuple(section["campaign_var_name"]),
        campaign_keywords=tuple(section["campaign_keyword_var_name"]),
        new_visit_on_campaign_change=section["create_new_visit_when_campaign_changes"],
        new_visit_on_website_change=section["create_new_visit_when_website_referrer_changes"],
        excluded_referrers=tuple(section["excluded_referrers"]),
    )


def all_site_urls(connection: Any, tracker: Any) -> SiteUrls:
    """The main and alias URLs of every site, re-read only when the rows changed."""
    site, site_url = tracker.db.table("site"), tracker.db.table("site_url")
    fingerprint = tuple(
        tuple(connection.execute(select(func.count(), func.sum(t.c.idsite), func.sum(func.length(column)))).one())
        for t, column in ((site, site.c.main_url), (site_url, site_url.c.url)))
    cached = _all_urls.get(tracker)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    rows = [*connection.execute(select(site.c.idsite, site.c.main_url)),
            *connection.execute(select(site_url.c.idsite, site_url.c.url))]
    urls = SiteUrls((idsite, url) for idsite, url in rows)
    _all_urls[tracker] = (fingerprint, urls)
    return urls


@hookimpl
def site_attributes(site, connection, tracker):
    settings = _settings.get(tracker)
    if settings is None:  # a site loaded before startup ran (a tracker built by hand)
        settings = _settings[tracker] = build_settings(tracker)
    return {"referrers": SiteReferrers(
        idsite=site.idsite, settings=settings,
        own_urls=SiteUrls((site.idsite, url) for url in site.urls),
        all_urls=all_site_urls(connection, tracker),
        excluded_referrers=SiteUrls((site.idsite, url) for url in (*site.excluded_referrers,
                                                                     *settings.excluded_referrers)),
        exclude_unknown_urls=site.exclude_unknown_urls,
        keep_url_fragment=site.keep_url_fragment == 1,
        site=site,
        tracker_excluded_parameters=tuple(tracker.settings.get("Tracker", "url_query_parameter_to_exclude_from_url")),
    )}


@hookimpl
def excluded_query_parameters(site: Site) -> list[str]:
    """Campaign parameters are removed from stored page URLs (spec §7.3)."""
    info = site.attributes.get("referrers")
    if info is None:
        return [*DEFAULT_CAMPAIGN_NAME_PARAMETERS, *DEFAULT_CAMPAIGN_KEYWORD_PARAMETERS]
    return info.settings.campaign_parameters


@hookimpl
def prepare_request(request, site):
    request.extra[columns.SITE_KEY] = site
