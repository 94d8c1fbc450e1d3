"""The ua-parser resolver: ua-parser's Rust regex engine over uap-core's rules, built once per process."""

from __future__ import annotations

import threading

import ua_parser
from ua_parser import Domain, PartialResult, Resolver

_lock = threading.Lock()
_resolver: Resolver | None = None


def resolver() -> Resolver:
    """The process's resolver, built on first use (the ``startup`` hook calls this before any request).

    No ua-parser cache is put in front of it: the plugin caches whole detections instead, keyed
    by user agent and client hints (see ``detection.py``).
    """
    global _resolver
    if _resolver is None:
        with _lock:
            if _resolver is None:
                if ua_parser.RegexResolver is None:
                    raise RuntimeError("DevicesDetection needs ua-parser's fast resolver: "
                                       "pip install 'ua-parser[regex]'")
                _resolver = ua_parser.RegexResolver(ua_parser.load_lazy_builtins())
    return _resolver


def parse(user_agent: str) -> PartialResult:
    """Browser, OS and device of a user agent, in ua-parser's vocabulary (any of them may be None)."""
    return resolver()(user_agent, Domain.ALL)
