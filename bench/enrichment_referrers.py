"""Benchmark: microseconds the Referrers plugin spends per tracking request, by referrer kind.

    python bench/enrichment_referrers.py [--number 20000] [--repeat 5]

What one run does: loads the bundled search-engine and social-network definitions once (as
``startup`` does), builds the per-site data of a site with three URLs next to 200 other sites
(as ``site_attributes`` does), then times, for each kind of referrer, the whole per-request
work of the plugin: a ``TrackingRequest`` is built outside the timing, and the four column
hooks (``referer_type``, ``_name``, ``_keyword``, ``_url``) run on it, the first one detecting and
caching the referrer in ``request.extra``. Beside them, the same run times the Actions page-URL
normalisation (``normalize_page_url``) of the same page URL: work every page view pays anyway,
as a yardstick for the machine. The best of ``--repeat`` runs of ``--number`` requests is printed.
This is a benchmark, not a test: it reports numbers and never fails on them.
"""

from __future__ import annotations

import argparse
import gc
import time
from typing import Any

from core.request import TrackingRequest
from core.urls import normalize_page_url
from core.visitor import Visitor
from plugins.referrers.columns import DIMENSIONS, SITE_KEY
from plugins.referrers.definitions import load_definitions
from plugins.referrers.detect import ReferrerSettings, SiteReferrers
from plugins.referrers.hosts import SiteUrls

PAGE = "https://shop.example.com/products/shoes?color=red&size=42"
CASES = {
    "search engine": (PAGE, "https://www.google.de/search?q=rote+schuhe+gr%C3%B6%C3%9Fe+42&hl=de&ved=0ahUKEw"),
    "social network": (PAGE, "https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.example.com%2F&h=AT0xyz"),
    "website": (PAGE, "https://news.example.org/2026/11/best-running-shoes?ref=list"),
    "campaign": (PAGE + "&utm_campaign=Black%20Friday&utm_source=newsletter&utm_term=shoes",
                 "https://mail.example.net/"),
    "direct (own page)": (PAGE, "https://shop.example.com/products"),
    "direct (none)": (PAGE, None),
}


class _Site:
    """The two things of a ``core.Site`` that detection reads."""

    def __init__(self) -> None:
        self.excluded_parameters: list[str] = []
        self.attributes: dict[str, Any] = {}


def site_data() -> SiteReferrers:
    definitions = load_definitions()
    own = [(1, "https://shop.example.com"), (1, "https://.shop-cdn.example.com"), (1, "https://shop.example.com/en")]
    others = [(n, f"https://site-{n}.example/") for n in range(2, 202)]
    site = _Site()
    info = SiteReferrers(idsite=1, settings=ReferrerSettings(definitions=definitions), own_urls=SiteUrls(own),
                         all_urls=SiteUrls(own + others), site=site,
                         tracker_excluded_parameters=("gclid", "fbclid", "msclkid"))
    site.attributes = {"referrers": info, "excluded_query_parameters": info.settings.campaign_parameters}
    return info


def time_requests(info: SiteReferrers, url: str, urlref: str | None, number: int) -> float:
    """Seconds for *number* requests through the four column hooks."""
    dimensions = [cls() for cls in DIMENSIONS]
    params = {"idsite": "1", "rec": "1", "url": url, **({"urlref": urlref} if urlref else {})}
    requests = [TrackingRequest(params) for _ in range(number)]
    for request in requests:
        request.extra[SITE_KEY] = info.site
    visitor = Visitor(None, is_new_visit=True, values={})
    gc.disable()  # as timeit does: a collection of the prepared requests is not the plugin's cost
    try:
        start = time.process_time()
        for request in requests:
            for dimension in dimensions:
                dimension.on_new_visit(request, visitor, None)
        return time.process_time() - start
    finally:
        gc.enable()


def time_page_url(url: str, number: int) -> float:
    gc.disable()
    try:
        start = time.process_time()
        for _ in range(number):
            normalize_page_url(url, excluded_params=("gclid", "fbclid"))
        return time.process_time() - start
    finally:
        gc.enable()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=20000, help="requests per timed run")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per kind; the best is shown")
    args = parser.parse_args()

    started = time.process_time()
    info = site_data()
    print(f"definitions and site data built in {(time.process_time() - started) * 1000:.1f} ms "
          f"({len(info.settings.definitions.engine_names)} search engines, "
          f"{len(info.settings.definitions.network_names)} social networks)")
    print(f"{'referrer':<20} {'µs/request':>11} {'page URL µs':>12}")
    print("-" * 45)
    for kind, (url, urlref) in CASES.items():
        referrers = min(time_requests(info, url, urlref, args.number) for _ in range(args.repeat))
        page = min(time_page_url(url, args.number) for _ in range(args.repeat))
        print(f"{kind:<20} {referrers / args.number * 1e6:>11.2f} {page / args.number * 1e6:>12.2f}")


if __name__ == "__main__":
    main()
