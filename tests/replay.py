"""Replaying requests captured from real tracking clients (tests/fixtures/real_clients/*.jsonl)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "real_clients"
SKIPPED_HEADERS = {"host", "content-length", "connection"}
_IDSITE = re.compile(r"(^|[?&])idsite=\d+")


def load_captures(name: str) -> list[dict[str, Any]]:
    with open(FIXTURES / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def all_captures() -> list[dict[str, Any]]:
    return [record for path in sorted(FIXTURES.glob("*.jsonl")) for record in load_captures(path.name)]


def with_idsite(text: str, idsite: int) -> str:
    """The captures were made against site 1: point them at the test's site."""
    return _IDSITE.sub(lambda m: f"{m.group(1)}idsite={idsite}", text)


def replay(base: str, record: dict[str, Any], idsite: int) -> httpx.Response:
    query = with_idsite(record["query"] or "", idsite)
    body = record.get("body") or ""
    if body.lstrip().startswith("{"):
        payload = json.loads(body)
        payload["requests"] = [with_idsite(e, idsite) if isinstance(e, str) else {**e, "idsite": idsite}
                               for e in payload.get("requests", [])]
        body = json.dumps(payload)
    else:
        body = with_idsite(body, idsite)
    headers = {k: v for k, v in record.get("headers", []) if k.lower() not in SKIPPED_HEADERS}
    url = f"{base}{record['path']}" + (f"?{query}" if query else "")
    return httpx.request(record["method"], url, content=body.encode("utf-8"), headers=headers, timeout=30)


def is_plain_page_view(record: dict[str, Any]) -> bool:
    """A single tracking request with no other action kind in it (no event, link, search, goal, ping, content)."""
    if record.get("kind") != "tracking":
        return False
    text = (record["query"] or "") + "&" + (record.get("body") or "")
    return not re.search(r"(^|&)(e_c|link|download|search|idgoal|ping|c_n)=", text)
