"""The Starlette application: the tracking endpoints, /health, and the routes plugins add."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Mapping
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core.bootstrap import Configuration, load_configuration, open_database
from core.errors import TrackingError
from core.params import merge_params, parse_query
from core.tracker import Tracker

log = logging.getLogger("trackway.app")

GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAAAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")
ABOUT = ("This resource is part of trackway, a Matomo-compatible tracking server. "
         "Point a Matomo tracking client (matomo.js, an SDK, the log importer) at this URL.\n")
FORM_CONTENT_TYPES = ("", "application/x-www-form-urlencoded", "text/plain")
_TEXT_BYTES = bytes([9, 10, 13, *range(32, 127), *range(128, 256)])


def create_app(config: Configuration | None = None, environ: Mapping[str, str] | None = None) -> Starlette:
    """The ASGI app. Configuration and plugins load now (so plugin routes exist); the database
    and the tracker are built in the lifespan, once per worker process."""
    config = config or load_configuration(environ)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        db = open_database(config, migrate=False)
        tracker = Tracker(config.settings, db, config.plugins)
        app.state.tracker = tracker
        try:
            yield
        finally:
            tracker.close()

    routes = [
        Route("/matomo.php", track, methods=["GET", "POST", "OPTIONS", "HEAD"]),
        Route("/piwik.php", track, methods=["GET", "POST", "OPTIONS", "HEAD"]),
        Route("/health", health, methods=["GET"]),
    ]
    for extra in config.plugins.manager.hook.register_routes():
        routes.extend(extra or ())
    return Starlette(routes=routes, lifespan=lifespan)


# -- /matomo.php ---------------------------------------------------------------------------------


async def track(request: Request) -> Response:
    tracker: Tracker = request.app.state.tracker
    if request.method == "OPTIONS":
        return Response(status_code=204, headers=_preflight_headers(request))
    body = await request.body()
    query = parse_query(request.scope.get("query_string", b""))
    if body and _is_bulk(body):
        return await _track_bulk(request, tracker, body, query)
    if body and not _is_form(request, body):
        return _error(request, query, 400, "The request body must be form-encoded "
                      "(application/x-www-form-urlencoded) or a bulk tracking JSON object.")
    params = merge_params(query, parse_query(body) if body else {})
    if not params:
        status = 200 if request.method in ("GET", "HEAD") else 400
        return Response(ABOUT, status_code=status, media_type="text/plain", headers=_cors_headers(request))
    if not tracker.settings.get("Tracker", "record_statistics"):
        return _image(request, params, 503)
    tracking_request = tracker.new_request(params, headers=request.headers, remote_addr=_client_ip(request, tracker))
    try:
        await run_in_threadpool(tracker.track, tracking_request)
    except TrackingError as exc:
        return _error(request, params, exc.status, exc.message)
    except Exception:
        log.exception("tracking request failed")
        return _error(request, params, 500, "An unexpected error occurred; it has been logged.")
    return _image(request, params, 200)


async def _track_bulk(request: Request, tracker: Tracker, body: bytes, query: dict[str, Any]) -> Response:
    try:
        payload = json.loads(body)
        entries = payload["requests"]
        if not isinstance(entries, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return _error(request, query, 400, 'A bulk request must be a JSON object with a "requests" list.')
    token = payload.get("token_auth") if isinstance(payload.get("token_auth"), str) else None
    tracked = invalid = 0
    for entry in entries:
        if isinstance(entry, str):
            if "?" not in entry:
                continue
            params = parse_query(entry.split("?", 1)[1])
        elif isinstance(entry, dict):
            params = {str(k): v if isinstance(v, (str, list, dict)) else ("" if v is None else str(v))
                      for k, v in entry.items()}
        else:
            invalid += 1
            continue
        tracking_request = tracker.new_request(params, headers=request.headers,
                                               remote_addr=_client_ip(request, tracker), token_auth=token)
        try:
            await run_in_threadpool(tracker.track, tracking_request)
            tracked += 1
        except TrackingError:
            invalid += 1
        except Exception:
            log.exception("bulk tracking entry failed")
            invalid += 1
    if str(payload.get("send_image", "")) == "0":
        return Response(status_code=204, headers=_cors_headers(request))
    return JSONResponse({"status": "success", "tracked": tracked, "invalid": invalid}, headers=_cors_headers(request))


def _is_bulk(body: bytes) -> bool:
    return b'"requests"' in body or b"'requests'" in body


def _is_form(request: Request, body: bytes) -> bool:
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type not in FORM_CONTENT_TYPES:
        return False
    # Form bodies are text: control bytes mean something else was sent. Bytes above 127 are
    # allowed, since some clients send UTF-8 (or Latin-1) without percent-encoding it.
    return not body.translate(None, _TEXT_BYTES)


def _client_ip(request: Request, tracker: Tracker) -> str:
    general = tracker.settings.section("General")
    headers = general["proxy_client_headers"]
    if headers:
        proxies = set(general["proxy_ips"])
        for name in headers:
            value = request.headers.get(name)
            if not value:
                continue
            candidates = [part.strip() for part in value.split(",") if part.strip() and part.strip() not in proxies]
            if candidates:
                return candidates[-1] if general["proxy_ip_read_last_in_list"] else candidates[0]
    return request.client.host if request.client else ""


def _cors_headers(request: Request) -> dict[str, str]:
    origin = request.headers.get("origin")
    headers = {"Cache-Control": "no-store"}
    if origin or request.method != "GET":
        headers["Access-Control-Allow-Origin"] = origin or "*"
        headers["Access-Control-Allow-Credentials"] = "true"
        headers["Vary"] = "Origin"
    return headers


def _preflight_headers(request: Request) -> dict[str, str]:
    headers = _cors_headers(request)
    headers["Access-Control-Allow-Methods"] = "GET, POST"
    headers["Access-Control-Allow-Headers"] = "*"
    headers["Access-Control-Allow-Origin"] = request.headers.get("origin") or "*"
    return headers


def _wants_image(params: Mapping[str, Any]) -> bool:
    return params.get("send_image") != "0"


def _image(request: Request, params: Mapping[str, Any], status: int) -> Response:
    if not _wants_image(params):
        return Response(status_code=204, headers=_cors_headers(request))
    return Response(GIF, status_code=status, media_type="image/gif", headers=_cors_headers(request))


def _error(request: Request, params: Mapping[str, Any], status: int, message: str) -> Response:
    """Matomo answers an invalid request with the image (unless send_image=0) followed by a text;
    ours names what was wrong."""
    text_body = f"Error: {message}\n\n{ABOUT}".encode("utf-8")
    if _wants_image(params):
        return Response(GIF + text_body, status_code=status, media_type="image/gif", headers=_cors_headers(request))
    return Response(text_body, status_code=status, media_type="text/plain", headers=_cors_headers(request))


# -- /health -------------------------------------------------------------------------------------


async def health(request: Request) -> Response:
    tracker: Tracker = request.app.state.tracker

    def ping() -> None:
        with tracker.db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    try:
        await run_in_threadpool(ping)
    except Exception as exc:
        return JSONResponse({"status": "error", "database": tracker.db.dialect,
                             "message": str(exc).splitlines()[0]}, status_code=503)
    return JSONResponse({"status": "ok", "database": tracker.db.dialect})
