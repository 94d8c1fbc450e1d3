"""UserLanguage over real HTTP: location_browser_lang holds one language code per visit."""

from __future__ import annotations

import pytest

VISITOR = "eb99367032ce97d5"
MATOMO_JS_HEADERS = {"Accept-Language": "en-US", "Origin": "http://shop.test"}
"""What Chromium sent with matomo.js's first page view (real-clients capture, seq 1)."""


def page_view(server, site: int, headers: dict[str, str] | None = None, **params: str):
    return server.track(params={"idsite": site, "rec": 1, "url": "http://shop.test/", "_id": VISITOR, **params},
                        headers=headers or {})


def stored_language(db, site: int) -> str | None:
    (visit,) = db.visits(site)
    return visit["location_browser_lang"]


def test_matomo_js_page_view_stores_the_accept_language_code(server, db, site):
    response = server.track("POST", params={"idsite": site, "rec": 1, "url": "http://shop.test/", "_id": VISITOR,
                                            "send_image": 0}, headers=MATOMO_JS_HEADERS)

    assert response.status_code == 204
    assert stored_language(db, site) == "en-us"


@pytest.mark.parametrize("accept_language, stored", [
    ("de-DE,de;q=0.9,en;q=0.8", "de-de"),
    ("fr", "fr"),
    ("pt_BR", "pt-br"),  # a locale name, as some user agents send it
    ("en;q=0.5, de", "en"),  # the first entry wins, whatever its quality
    (", zh-CN", "zh-cn"),
])
def test_the_first_language_of_the_header_is_stored_in_lower_case(server, db, site, accept_language, stored):
    page_view(server, site, {"Accept-Language": accept_language})

    assert stored_language(db, site) == stored


def test_lang_overrides_the_header(server, db, site):
    page_view(server, site, {"Accept-Language": "en-US"}, lang="fr-CA,fr;q=0.9")

    assert stored_language(db, site) == "fr-ca"


def test_without_any_language_preference_the_language_is_empty(server, db, site):
    page_view(server, site)  # httpx sends no Accept-Language

    assert stored_language(db, site) == ""


@pytest.mark.parametrize("lang", [";;;", "12345", "*"])
def test_a_preference_without_a_language_code_is_stored_as_unknown(server, db, site, lang):
    response = page_view(server, site, lang=lang)

    assert response.status_code == 200
    assert stored_language(db, site) == "xx"


def test_the_language_is_kept_for_the_whole_visit(server, db, site):
    page_view(server, site, {"Accept-Language": "en-US"})
    page_view(server, site, {"Accept-Language": "en-US"}, lang="de")

    (visit,) = db.visits(site)
    assert visit["visit_total_actions"] == 2
    assert visit["location_browser_lang"] == "en-us"
