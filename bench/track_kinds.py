"""Benchmark: what each kind of tracking request costs in-process, all bundled plugins enabled.

    python bench/track_kinds.py [--requests 2000] [--database-url URL]

What one run does: creates a fresh SQLite file in a temp folder (or a fresh database on the
PostgreSQL/MariaDB server given with ``--database-url``, dropped afterwards), migrates it, adds a
site with ``console.py site:add``, builds the tracker as ``serve`` does, and then, for each kind
(page view, event, outlink, download, content impression, site search, heartbeat), sends
``--requests`` requests of that kind straight to ``Tracker.track`` from one thread, spread over
200 visitors whose visits were opened by a page view first. It prints the mean and the 99th
percentile of the wall time per request, and the CPU time per request of the process. No HTTP:
this isolates the tracking work, to be read next to ``track_pageviews.py``. Never fails on a number.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.bootstrap import load_configuration, open_database  # noqa: E402
from core.tracker import Tracker  # noqa: E402
from tests.helpers import scratch_database  # noqa: E402

VISITORS = [f"{i:016x}" for i in range(1, 201)]
PAGE = "https://bench.example.com/products/page-{n}?utm_source=bench"
KINDS = {
    "page view": lambda n: {"url": PAGE.format(n=n % 300), "action_name": f"Page {n % 300}"},
    "event": lambda n: {"url": PAGE.format(n=n % 300), "e_c": "Video", "e_a": "Play", "e_n": f"clip {n % 50}",
                        "e_v": "3.5", "ca": "1"},
    "outlink": lambda n: {"url": PAGE.format(n=n % 300), "link": f"https://partner.example/{n % 100}"},
    "download": lambda n: {"url": PAGE.format(n=n % 300), "download": f"https://bench.example.com/f{n % 100}.pdf"},
    "content impression": lambda n: {"url": PAGE.format(n=n % 300), "c_n": "Banner", "c_p": f"img-{n % 20}.png",
                                     "c_t": "https://partner.example/", "ca": "1"},
    "site search": lambda n: {"url": PAGE.format(n=n % 300), "search": f"shoes {n % 80}", "search_count": "7"},
    "heartbeat": lambda n: {"url": PAGE.format(n=n % 300), "ping": "1"},
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per kind")
    parser.add_argument("--database-url", default="", help="a PostgreSQL or MariaDB server URL; default SQLite")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder, scratch_database(args.database_url, Path(folder),
                                                                   "trackway_bench") as url:
        config_file = Path(folder) / "config.toml"
        config_file.write_text("", encoding="utf-8")  # the defaults, whatever ./config.toml says
        env = {**os.environ, "TRACKWAY_DATABASE_URL": url, "TRACKWAY_CONFIG": str(config_file)}
        idsite = subprocess.run([sys.executable, str(ROOT / "console.py"), "site:add", "--name", "Bench",
                                 "--url", "https://bench.example.com"], env=env, check=True,
                                capture_output=True, text=True, cwd=folder).stdout.strip().splitlines()[-1]
        config = load_configuration(env)
        tracker = Tracker(config.settings, open_database(config), config.plugins)
        try:
            run(tracker, int(idsite), args.requests)
        finally:
            tracker.close()
    return 0


def run(tracker: Tracker, idsite: int, count: int) -> None:
    headers = {"user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                             "Chrome/124.0.0.0 Safari/537.36", "accept-language": "en-US,en;q=0.9"}

    def track(params: dict, visitor: str) -> None:
        request = tracker.new_request({"idsite": str(idsite), "rec": "1", "_id": visitor, **params},
                                      headers=headers, remote_addr="10.1.2.3")
        tracker.track(request)

    for visitor in VISITORS:  # every visitor has an ongoing visit, so pings are not dropped
        track(KINDS["page view"](0), visitor)
    print(f"{'kind':<20} {'mean ms':>8} {'p99 ms':>8} {'CPU ms':>8}")
    for kind, make in KINDS.items():
        timings = []
        cpu_start = time.process_time()
        for n in range(count):
            started = time.perf_counter()
            track(make(n), VISITORS[n % len(VISITORS)])
            timings.append(time.perf_counter() - started)
        cpu = (time.process_time() - cpu_start) / count
        timings.sort()
        mean = sum(timings) / count
        print(f"{kind:<20} {mean * 1000:8.3f} {timings[int(count * 0.99) - 1] * 1000:8.3f} {cpu * 1000:8.3f}")


if __name__ == "__main__":
    sys.exit(main())
