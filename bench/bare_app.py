"""A bare Starlette app: ``/matomo.php`` answers the tracking GIF and does nothing else.

It is the ceiling trackway is compared with in ``bench/track_pageviews.py``: the same server
(uvicorn), the same framework (Starlette) and the same request stream, without any tracking work.

Run: ``python -m uvicorn bench.bare_app:app --port 8001`` from the repository root.
"""

from __future__ import annotations

import base64

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAAAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")


async def matomo(request: Request) -> Response:
    await request.body()  # read a POST body like trackway does, so both do the same I/O
    return Response(GIF, media_type="image/gif")


app = Starlette(routes=[Route("/matomo.php", matomo, methods=["GET", "POST"])])
