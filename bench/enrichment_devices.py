"""Benchmark: what DevicesDetection costs per tracking request, cached and uncached.

    python bench/enrichment_devices.py [--rounds 5] [--repeat 20000]     # from the repository root

Measures, in one process and in this order:

1. start-up: building ua-parser's resolver and reading the mapping (once per process, in the
   ``startup`` hook);
2. uncached: a full detection (``detect``) of each of the 300 corpus user agents
   (tests/fixtures/devices_detection/ua-sample.jsonl) with their client hints, and the share of
   it spent in ua-parser itself;
3. cached: ``detection_for`` on a new ``TrackingRequest`` with an already-seen user agent, as
   every request of a returning browser costs: reading the hint headers, the LRU lookup, storing
   the result in ``request.extra``; once without and once with a ``uadata`` parameter. The cost
   of building the ``TrackingRequest`` itself is measured apart and subtracted.

Each figure is the best of ``--rounds`` rounds (the least disturbed by other work on the machine),
in microseconds per request. This is a benchmark, not a test: it reports, it never fails.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

from core import TrackingRequest
from plugins.devices_detection import parser
from plugins.devices_detection.client_hints import from_header_mapping
from plugins.devices_detection.detection import cache_clear, detect, detection_for, warm_up
from plugins.devices_detection.mapping import default_mapping

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "devices_detection" / "ua-sample.jsonl"
CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/124.0.0.0 Safari/537.36")
UADATA = json.dumps({"fullVersionList": [{"brand": "Chromium", "version": "124.0.6367.91"},
                                         {"brand": "Google Chrome", "version": "124.0.6367.91"},
                                         {"brand": "Not-A.Brand", "version": "99.0.0.0"}],
                     "mobile": False, "model": "", "platform": "Windows", "platformVersion": "15.0.0"})


def best_of(rounds: int, count: int, run: Callable[[], None]) -> float:
    """Microseconds per call of the fastest round; ``run`` makes ``count`` calls."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter_ns()
        run()
        best = min(best, (time.perf_counter_ns() - start) / count / 1000)
    return best


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--rounds", type=int, default=5)
    options.add_argument("--repeat", type=int, default=20000, help="cached requests per round")
    args = options.parse_args()

    start = time.perf_counter()
    warm_up()
    startup_ms = (time.perf_counter() - start) * 1000

    rows = [json.loads(line) for line in CORPUS.read_text().splitlines()]
    agents = [(row["user_agent"], from_header_mapping({k.lower().removeprefix("http-"): v
                                                       for k, v in row["client_hints"].items()})
               if row["client_hints"] else None) for row in rows]
    mapping = default_mapping()

    def uncached() -> None:
        for agent, hints in agents:
            detect(agent, hints, mapping)

    def ua_parser_only() -> None:
        for agent, _ in agents:
            parser.parse(agent)

    def cached(params: dict) -> Callable[[], None]:
        def run() -> None:
            for _ in range(args.repeat):
                detection_for(TrackingRequest(params, headers={"user-agent": CHROME}))
        return run

    def bare_requests(params: dict) -> Callable[[], None]:  # building the request alone, to subtract
        def run() -> None:
            for _ in range(args.repeat):
                TrackingRequest(params, headers={"user-agent": CHROME})
        return run

    cache_clear()
    plain, hinted = {"idsite": "1", "rec": "1"}, {"idsite": "1", "rec": "1", "uadata": UADATA}
    detection_for(TrackingRequest(plain, headers={"user-agent": CHROME}))
    detection_for(TrackingRequest(hinted, headers={"user-agent": CHROME}))
    results = [
        ("uncached: full detection (300 corpus UAs)", best_of(args.rounds, len(agents), uncached)),
        ("  of which ua-parser's parse", best_of(args.rounds, len(agents), ua_parser_only)),
        ("cached: detection_for, same UA", best_of(args.rounds, args.repeat, cached(plain))
         - best_of(args.rounds, args.repeat, bare_requests(plain))),
        ("cached: detection_for, same UA + uadata", best_of(args.rounds, args.repeat, cached(hinted))
         - best_of(args.rounds, args.repeat, bare_requests(hinted))),
    ]
    print(f"start-up (resolver + mapping, once per process): {startup_ms:.0f} ms")
    print(f"{'path':45} {'µs/request':>10}")
    print("-" * 56)
    for name, micros in results:
        print(f"{name:45} {micros:10.2f}")


if __name__ == "__main__":
    main()
