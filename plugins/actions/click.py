"""Outlinks and downloads: a click on a link, recorded with the link's URL only."""

from __future__ import annotations

from core import Action, ActionName, ActionType, TrackingRequest, max_url_bytes, normalize_click_url


class Download(Action):
    kind = "download"
    priority = 50


class Outlink(Action):
    kind = "outlink"
    priority = 40


def _click(cls: type[Action], action_type: int, request: TrackingRequest, parameter: str) -> Action | None:
    raw = request.get_raw(parameter)
    if not isinstance(raw, str):
        return None
    url = normalize_click_url(raw, max_bytes=max_url_bytes(request))
    # The link's URL is stored whole (no prefix split) and still HTML-escaped, as Matomo stores it.
    return cls(type=action_type, url=url, raw_url=url,
               names={"idaction_url": ActionName(url, action_type), "idaction_name": None})


def build_download(request: TrackingRequest) -> Action | None:
    return _click(Download, ActionType.DOWNLOAD, request, "download")


def build_outlink(request: TrackingRequest) -> Action | None:
    return _click(Outlink, ActionType.OUTLINK, request, "link")
