"""Benchmark: what UserCountry costs per tracking request, with the GeoIP2 and the default provider.

    python bench/enrichment_geo.py [--rounds 5] [--repeat 20000] [--database City.mmdb]

Measures, in one process, in microseconds per request:

1. ``geoip2``, a City database: the provider's ``locate`` (IP parsing, the lookup, building the
   ``Location``) for addresses found in the database, for IPv4-mapped IPv6 addresses, and for
   addresses it does not hold (which then fall back to the browser-language guess);
2. the whole of UserCountry for a new visit with ``geoip2``: the five columns' ``on_new_visit``,
   which share one lookup through ``request.extra``;
3. ``default``: the browser-language guess, over a mix of Accept-Language headers;
4. for comparison, the geoip2 library's ``Reader.city()`` on the same file: its model objects are
   why the provider reads records with maxminddb (the reader geoip2 itself uses) instead.

Without ``--database`` the City database is written first with mmdb-writer from MaxMind's fake
test networks (tests/fixtures/user_country; mmdb-writer is a test dependency); with a real
DB-IP or GeoLite2 City file, lookups go through its much larger tree. Every request is a new
``TrackingRequest``, as in the server, built (with its IP parsed, as the tracker does before the
dimensions run) outside the measured loop. Each figure
is the best of ``--rounds`` rounds. This is a benchmark, not a test: it reports, it never fails.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import geoip2.database
import geoip2.errors

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.fixtures, when run as python bench/enrichment_geo.py

from core import TrackingRequest  # noqa: E402
from core.bootstrap import full_schema  # noqa: E402
from core.plugins import load_plugins  # noqa: E402
from core.settings import load_settings  # noqa: E402
from plugins.user_country.columns import DIMENSIONS, LOCATOR_KEY  # noqa: E402
from plugins.user_country.locator import build_locator  # noqa: E402
from plugins.user_country.providers import open_mmdb  # noqa: E402

FOUND = ["81.2.69.142", "2.125.160.217", "175.16.199.5", "89.160.20.129", "216.160.83.57", "2001:480:10::1",
         "67.43.156.1", "214.78.120.5"]
MAPPED = ["::ffff:" + ip for ip in FOUND if ":" not in ip]
MISSING = ["198.51.100.7", "203.0.113.50", "192.0.2.99", "2001:db8::1"]
LANGUAGES = ["de-DE,de;q=0.9,en;q=0.8", "en-US,en;q=0.9", "fr", "ja", "en", "pt-BR,pt;q=0.9", "zh-Hans-CN,zh;q=0.9",
             "es-419,es;q=0.9", "", "nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7"]


def best_of(rounds: int, count: int, run: Callable[[], None]) -> float:
    """Microseconds per call of the fastest round; ``run`` makes ``count`` calls."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter_ns()
        run()
        best = min(best, (time.perf_counter_ns() - start) / count / 1000)
    return best


def settings_for(provider: str, database: Path):
    plugins = load_plugins(environ={"TRACKWAY_LOAD_PLUGINS": "CoreHome,PrivacyManager,UserCountry"})
    values = {"UserCountry": {"location_provider": provider, "geoip2_database": str(database)}}
    return plugins, load_settings(full_schema(plugins), values, environ={})


def requests(settings, ips: list[str], count: int) -> Callable[[], list[TrackingRequest]]:
    """A factory of ``count`` fresh requests cycling through ``ips`` and ``LANGUAGES``."""
    pairs = list(itertools.islice(zip(itertools.cycle(ips), itertools.cycle(LANGUAGES)), count))

    def build() -> list[TrackingRequest]:
        batch = [TrackingRequest({"idsite": "1", "rec": "1"}, headers={"accept-language": language},
                                 remote_addr=ip, settings=settings) for ip, language in pairs]
        for request in batch:
            _ = request.ip_bytes  # the tracker reads it (for location_ip) before any dimension runs
        return batch
    return build


def measure(rounds: int, count: int, make: Callable[[], list[TrackingRequest]],
            work: Callable[[TrackingRequest], object]) -> float:
    """µs per request of ``work``, without building the requests (fresh ones each round)."""
    best = float("inf")
    for _ in range(rounds):
        batch = make()
        start = time.perf_counter_ns()
        for request in batch:
            work(request)
        best = min(best, (time.perf_counter_ns() - start) / count / 1000)
    return best


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--rounds", type=int, default=5)
    options.add_argument("--repeat", type=int, default=20000, help="requests per round")
    options.add_argument("--database", type=Path, help="a City .mmdb file (default: built from the test networks)")
    args = options.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        database = args.database
        if database is None:
            from tests.fixtures.user_country.mmdb import write_database

            database = write_database(Path(folder) / "City.mmdb", kind="city")
        start = time.perf_counter()
        reader, kind = open_mmdb(database)
        open_ms = (time.perf_counter() - start) * 1000
        reader.close()

        plugins, geo_settings = settings_for("geoip2", database)
        geo = build_locator(plugins.manager.hook, geo_settings)
        _, default_settings = settings_for("default", database)
        default = build_locator(plugins.manager.hook, default_settings)
        columns = [cls() for cls in DIMENSIONS]

        def new_visit(request: TrackingRequest) -> None:
            request.extra[LOCATOR_KEY] = geo
            for column in columns:
                column.on_new_visit(request, None, None)

        library = geoip2.database.Reader(str(database))

        def library_city(request: TrackingRequest) -> None:
            try:
                library.city(request.ip)
            except geoip2.errors.AddressNotFoundError:
                pass

        def per_request(settings, ips: list[str], work: Callable[[TrackingRequest], object]) -> float:
            return measure(args.rounds, args.repeat, requests(settings, ips, args.repeat), work)

        results = [
            (f"geoip2 ({kind}): locate, address in the database", per_request(geo_settings, FOUND, geo.locate)),
            ("geoip2: locate, IPv4-mapped IPv6 address", per_request(geo_settings, MAPPED, geo.locate)),
            ("geoip2: locate, address not in it (+ fallback)", per_request(geo_settings, MISSING, geo.locate)),
            ("geoip2: 5 columns of a new visit (one lookup)", per_request(geo_settings, FOUND, new_visit)),
            ("default: locate (browser language)", per_request(default_settings, FOUND, default.locate)),
            ("for comparison: geoip2 library Reader.city()", per_request(geo_settings, FOUND, library_city)),
        ]
        library.close()
        geo.close()
        default.close()

    print(f"database: {database if args.database else 'test networks (mmdb-writer)'}; opened in {open_ms:.2f} ms")
    print(f"{'path':52} {'µs/request':>10}")
    print("-" * 63)
    for name, micros in results:
        print(f"{name:52} {micros:10.2f}")


if __name__ == "__main__":
    main()
