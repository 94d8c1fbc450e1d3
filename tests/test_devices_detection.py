"""DevicesDetection at unit level: real ua-parser over real user agents, against what Matomo stores.

The corpus (tests/fixtures/devices_detection/, see its README for sources and licences) holds 300
user agents; for 250 of them it records the values Matomo writes into log_visit. The table below
runs ours against Matomo's for the listed rows, column by column, under three documented rules
(see ``expected_values``); the few rows where we knowingly differ list each difference with the
value we store and why. ``test_corpus_accuracy_does_not_regress`` counts matches over all 250 rows.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from core import TrackingRequest
from plugins.devices_detection import detection as detection_module
from plugins.devices_detection import versions
from plugins.devices_detection.client_hints import ClientHints, from_header_mapping, from_uadata
from plugins.devices_detection.detection import EXTRA_KEY, Detection, detect, detection_for
from plugins.devices_detection.mapping import MappingError, default_mapping, load_mapping

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "devices_detection"
CORPUS = {row["id"]: row for row in map(json.loads, (FIXTURES / "ua-sample.jsonl").read_text().splitlines())}
MATOMO_CODES = json.loads((FIXTURES / "matomo-device-codes.json").read_text())
COLUMNS = {"config_os": "os", "config_os_version": "os_version", "config_browser_name": "browser_name",
           "config_browser_version": "browser_version", "config_browser_engine": "browser_engine",
           "config_client_type": "client_type", "config_device_type": "device_type",
           "config_device_brand": "device_brand", "config_device_model": "device_model"}


def hints_of(row: dict) -> ClientHints | None:
    """The row's request headers as client hints (the source spells some as ``http-x-requested-with``)."""
    headers = row["client_hints"]
    if not headers:
        return None
    return from_header_mapping({name.lower().removeprefix("http-"): value for name, value in headers.items()})


def ours(row: dict) -> Detection:
    return detect(row["user_agent"], hints_of(row))


def expected_values(row: dict, detection: Detection) -> dict:
    """Matomo's values for the row, less what only Matomo's databases know:

    1. ``config_device_brand``: Matomo finds the maker of tens of thousands of bare model codes in
       its device database; we know only the makers ua-parser names. Compared where we found one
       (we must never store a wrong brand), or where Matomo stores none.
    2. ``config_device_model``: Matomo stores marketing names from the same database ("SM-G600F"
       is "Galaxy On7"); we store the model the user agent or the client hints give. Compared
       where Matomo stores a placeholder ('' or "generic <device type>").
    3. ``config_browser_name`` of a web view whose X-Requested-With app id our mapping does not
       list: Matomo names the app from its app list, we store the app id.
    """
    matomo = {column: row["matomo_log_visit"][column] for column in COLUMNS}
    if detection.device_brand == "" and matomo["config_device_brand"] != "":
        del matomo["config_device_brand"]
    if matomo["config_device_model"] != "" and not matomo["config_device_model"].startswith("generic "):
        del matomo["config_device_model"]
    hints = hints_of(row)
    if hints is not None and hints.app and hints.app not in default_mapping().hint_apps:
        matomo["config_browser_name"] = hints.app[:40]
    return matomo


TABLE = {
    "bots": ["dd-bots-001", "dd-bots-002", "dd-bots-004", "dd-bots-005", "dd-bots-007", "dd-bots-008",
             "dd-bots-009", "dd-bots-010", "dd-bots-011", "dd-bots-012", "dd-bots-013", "dd-bots-014",
             "dd-bots-015", "dd-bots-016", "dd-bots-017", "dd-bots-018", "dd-bots-019", "dd-bots-020"],
    "desktop": ["dd-desktop-001", "dd-desktop-002", "dd-desktop-003", "dd-desktop-010", "dd-desktop-014",
                "dd-desktop-015", "dd-desktop-017", "dd-desktop-019", "dd-desktop-023", "dd-desktop-024",
                "dd-desktop-025", "dd-desktop-026", "dd-desktop-030", "dd-desktop-035", "dd-desktop-036",
                "dd-desktop-037", "dd-desktop-041"],
    "smartphone": ["dd-smartphone-001", "dd-smartphone-003", "dd-smartphone-004", "dd-smartphone-005",
                   "dd-smartphone-006", "dd-smartphone-007", "dd-smartphone-008", "dd-smartphone-009",
                   "dd-smartphone-010", "dd-smartphone-011", "dd-smartphone-012", "dd-smartphone-013",
                   "dd-smartphone-014", "dd-smartphone-015", "dd-smartphone-016", "dd-smartphone-017",
                   "dd-smartphone-018", "dd-smartphone-019", "dd-smartphone-020", "dd-smartphone-021",
                   "dd-smartphone-022", "dd-smartphone-023", "dd-smartphone-024", "dd-smartphone-025",
                   "dd-smartphone-026", "dd-smartphone-027", "dd-smartphone-028", "dd-smartphone-029",
                   "dd-smartphone-030", "dd-smartphone-031", "dd-smartphone-032", "dd-smartphone-033",
                   "dd-smartphone-034", "dd-smartphone-035", "dd-smartphone-036", "dd-smartphone-037",
                   "dd-smartphone-038", "dd-smartphone-040", "dd-smartphone-041", "dd-smartphone-042",
                   "dd-smartphone-043", "dd-smartphone-044", "dd-smartphone-045", "dd-smartphone-046",
                   "dd-smartphone-048", "dd-smartphone-049", "dd-smartphone-050"],
    "tablet": ["dd-tablet-001", "dd-tablet-002", "dd-tablet-003", "dd-tablet-004", "dd-tablet-005", "dd-tablet-006",
               "dd-tablet-007", "dd-tablet-008", "dd-tablet-010", "dd-tablet-012", "dd-tablet-013", "dd-tablet-014",
               "dd-tablet-015", "dd-tablet-016", "dd-tablet-018", "dd-tablet-019", "dd-tablet-021", "dd-tablet-022",
               "dd-tablet-024", "dd-tablet-025"],
    "client hints": ["dd-clienthints-002", "dd-clienthints-003", "dd-clienthints-006", "dd-clienthints-007",
                     "dd-clienthints-008", "dd-clienthints-009", "dd-clienthints-010", "dd-clienthints-011",
                     "dd-clienthints-012", "dd-clienthints-013", "dd-clienthints-014", "dd-clienthints-015",
                     "dd-clienthints-016", "dd-clienthints-017", "dd-clienthints-018", "dd-clienthints-019",
                     "dd-clienthints-020", "dd-clienthints-021", "dd-clienthints-022", "dd-clienthints-023",
                     "dd-clienthints-024", "dd-clienthints-025"],
    "other devices and clients": ["dd-feature_phone-001", "dd-feature_phone-002", "dd-feature_phone-004",
                                  "dd-feature_phone-006", "dd-feature_phone-007", "dd-feature_phone-008",
                                  "dd-mobile_apps-007", "dd-feed_reader-001", "dd-mediaplayer-002", "dd-unknown-003",
                                  "dd-unknown-004"],
}
"""Corpus rows compared column by column, by kind of device."""

DEVICE_DATABASE = "only Matomo's device database knows this model's type"
KNOWN_DIFFERENCES: dict[tuple[str, str], tuple[object, str]] = {
    ("dd-clienthints-004", "config_browser_version"): (
        "125.0.6422.165", ("the client hints give DuckDuckGo's version; Matomo, which finds the browser by its "
                           "X-Requested-With app id, stores none")),
    ("dd-clienthints-001", "config_device_type"): (1, DEVICE_DATABASE + " (GR0006 is a Logitech G Cloud console); "
                                                      "the hints only say mobile"),
    ("dd-clienthints-005", "config_device_type"): (1, DEVICE_DATABASE + " (a Redmi Note 7 is a phablet)"),
    ("dd-phablet-002", "config_device_type"): (1, DEVICE_DATABASE + " (a Galaxy Note 3 is a phablet)"),
    ("dd-tablet-009", "config_device_type"): (1, DEVICE_DATABASE + " (TB-7306X is a tablet whose browser says Mobile)"),
    ("dd-desktop-007", "config_device_type"): (2, DEVICE_DATABASE + " (GP70 is an Android laptop; without "
                                                  "'Mobile', Chrome on Android is a tablet)"),
    ("dd-tv-002", "config_device_type"): (2, DEVICE_DATABASE + " (NEO-X8-H is a TV box; its user agent has no "
                                                               "TV token)"),
}
"""(row, column) -> (the value we store, why it is not Matomo's)."""


def table_rows() -> list[str]:
    rows = [row_id for ids in TABLE.values() for row_id in ids]
    rows += sorted({row_id for row_id, _ in KNOWN_DIFFERENCES} - set(rows))
    return rows


@pytest.mark.parametrize("row_id", table_rows())
def test_we_store_what_matomo_stores(row_id):
    row = CORPUS[row_id]
    detection = ours(row)
    expected = expected_values(row, detection)
    for (known_row, column), (our_value, _why) in KNOWN_DIFFERENCES.items():
        if known_row == row_id:
            assert expected[column] != our_value, f"{row_id} {column} now matches Matomo: drop the known difference"
            expected[column] = our_value
    actual = {column: getattr(detection, attribute) for column, attribute in COLUMNS.items() if column in expected}
    assert actual == expected, row["user_agent"]


def test_the_table_is_large_and_covers_every_kind_of_device():
    assert len(table_rows()) >= 100
    assert all(len(ids) >= 5 for ids in TABLE.values())
    assert len(KNOWN_DIFFERENCES) <= 10


ACCURACY_FLOORS = {"config_os": 233, "config_os_version": 228, "config_browser_name": 191,
                   "config_browser_version": 212, "config_browser_engine": 240, "config_client_type": 214,
                   "config_device_type": 181, "config_device_brand": 130, "config_device_model": 97}
"""How many of the 250 rows with Matomo values we match, column by column, compared as they are
(no rule of ``expected_values`` applied). Raise a floor when the mapping gets better."""


def test_corpus_accuracy_does_not_regress():
    rows = [row for row in CORPUS.values() if row["matomo_log_visit"]]
    detections = {row["id"]: ours(row) for row in rows}
    matches = {column: sum(getattr(detections[row["id"]], attribute) == row["matomo_log_visit"][column]
                           for row in rows)
               for column, attribute in COLUMNS.items()}
    assert len(rows) == 250
    assert {column: matches[column] >= floor for column, floor in ACCURACY_FLOORS.items()} == \
        dict.fromkeys(ACCURACY_FLOORS, True), matches


def test_the_uap_rows_that_are_crawlers_are_bots_and_the_others_are_not():
    uap_rows = [row for row in CORPUS.values() if row["id"].startswith("uap-")]
    bots = {row["id"] for row in uap_rows if ours(row).is_bot}
    assert bots == {"uap-browser-001", "uap-browser-003", "uap-browser-004", "uap-browser-005", "uap-browser-006",
                    "uap-browser-007", "uap-browser-008", "uap-browser-009", "uap-browser-011", "uap-browser-012",
                    "uap-browser-015", "uap-browser-018"}


# -- the mapping file ------------------------------------------------------------------------------

MOST_USED_BROWSERS = [
    "Chrome", "Chrome Mobile", "Chrome Mobile iOS", "Chrome Mobile WebView", "Safari", "Mobile Safari",
    "Mobile Safari UI/WKWebView", "Edge", "Edge Mobile", "Firefox", "Firefox Mobile", "Firefox iOS",
    "Samsung Internet", "Opera", "Opera Mobile", "Opera Mini", "Opera GX", "UC Browser", "Yandex Browser", "IE",
    "IE Mobile", "Android", "Amazon Silk", "MiuiBrowser", "Huawei Browser", "QQ Browser", "QQ Browser Mobile",
    "Baidu Browser", "Sogou Explorer", "Brave", "Vivaldi", "DuckDuckGo Mobile", "Coc Coc", "Whale", "Maxthon",
    "Puffin", "Chromium", "Pale Moon", "SeaMonkey", "Waterfox", "HeadlessChrome", "Oculus Browser", "VivoBrowser",
    "HeyTap Browser", "360 Secure Browser",
]
"""ua-parser's names for the browsers most visits come from."""
MOST_USED_OPERATING_SYSTEMS = [
    "Windows", "Mac OS X", "iOS", "Android", "Linux", "Chrome OS", "Ubuntu", "Fedora", "Debian", "FreeBSD",
    "OpenBSD", "Windows Phone", "BlackBerry OS", "KaiOS", "Tizen", "webOS", "Web0S", "tvOS", "WatchOS", "HarmonyOS",
    "Symbian OS", "Firefox OS", "Red Hat", "SUSE", "Linux Mint", "Arch Linux", "CentOS",
]


def test_the_mapping_covers_the_most_used_browsers_and_operating_systems():
    mapping = default_mapping()
    assert len(MOST_USED_BROWSERS) >= 40 and len(MOST_USED_OPERATING_SYSTEMS) >= 25
    assert [family for family in MOST_USED_BROWSERS if family not in mapping.browsers] == []
    assert [family for family in MOST_USED_OPERATING_SYSTEMS if family not in mapping.operating_systems] == []


def test_every_code_in_the_mapping_is_one_matomo_defines():
    mapping = default_mapping()
    browsers, systems, brands = (set(MATOMO_CODES[key]) for key in ("browsers", "operating_systems", "device_brands"))
    browser_codes = (set(mapping.browsers.values()) | set(mapping.engines) | set(mapping.hint_apps.values())
                     | {code for codes in mapping.hint_brands.values() for code in codes})
    system_codes = (set(mapping.operating_systems.values()) | {code for code, _ in mapping.os_patterns}
                    | set(mapping.os_device_types) | set(mapping.hint_platforms.values()))
    brand_codes = set(mapping.device_brands.values()) | {code for _, code in mapping.brands_by_model}
    assert (browser_codes - browsers, system_codes - systems, brand_codes - brands) == (set(), set(), set())


@pytest.mark.parametrize("text, message", [
    ('[browsers]\n"Chrome" = "CHR"\n', "browsers.Chrome: 'CHR' must have 2 characters"),
    ('[operating_systems]\n"Windows" = "WI"\n', "operating_systems.Windows: 'WI' must have 3 characters"),
    ('[clients]\n"curl" = { name = "curl", type = "tool" }\n', "clients.curl: type must be one of"),
    ('[os_device_types]\n"WIN" = "laptop"\n', "os_device_types.WIN: 'laptop' is not a device type"),
    ('[bots]\npatterns = ["(unclosed"]\n', "bots.patterns[0]: invalid regular expression"),
    ('[browser]\n"Chrome" = "CH"\n', "unknown section [browser]"),
    ('[client_hints.brands]\n"Brave" = "BR"\n', "client_hints.brands.Brave: expected a list of two-character"),
])
def test_a_malformed_mapping_file_is_refused_with_a_message_naming_the_entry(tmp_path, text, message):
    path = tmp_path / "mapping.toml"
    path.write_text(text)
    with pytest.raises(MappingError, match=message.replace("[", r"\[").replace("(", r"\(")):
        load_mapping(path)


# -- rules -----------------------------------------------------------------------------------------

CHROME_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/124.0.0.0 Safari/537.36")
CHROME_ANDROID_REDUCED = ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                          "Chrome/124.0.0.0 Mobile Safari/537.36")
IE_11 = "Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko"
IPAD = ("Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 "
        "Mobile/15E148 Safari/604.1")


@pytest.mark.parametrize("platform_version, windows", [
    ("15.0.0", "11"), ("13.0.0", "11"), ("10.0.0", "10"), ("1.0.0", "10"), ("0.3.0", "8.1"), ("0.2.0", "8"),
    ("0.1.0", "7"), ("", None),
])
def test_windows_is_named_from_the_platform_version(platform_version, windows):
    assert versions.windows_from_platform_version(platform_version) == windows


def test_uadata_names_windows_11_and_the_full_version():
    hints = from_uadata({"fullVersionList": [{"brand": "Not(A:Brand", "version": "24.0.0.0"},
                                             {"brand": "Chromium", "version": "124.0.6367.91"},
                                             {"brand": "Google Chrome", "version": "124.0.6367.91"}],
                         "mobile": False, "model": "", "platform": "Windows", "platformVersion": "15.0.0"})
    detection = detect(CHROME_WINDOWS, hints)
    assert (detection.os, detection.os_version, detection.browser_name, detection.browser_version) == \
        ("WIN", "11", "CH", "124.0.6367.91")


def test_a_hint_brand_of_another_browser_replaces_the_user_agents():
    hints = from_header_mapping({"Sec-CH-UA": '"Brave";v="124", "Chromium";v="124", "Not-A.Brand";v="99"'})
    detection = detect(CHROME_WINDOWS, hints)
    assert (detection.browser_name, detection.browser_version, detection.browser_engine) == ("BR", "124", "Blink")


def test_client_hints_give_the_model_and_the_device_type_behind_a_reduced_user_agent():
    tablet = from_header_mapping({"Sec-CH-UA-Mobile": "?0", "Sec-CH-UA-Model": '"SM-X700"',
                                  "Sec-CH-UA-Platform": '"Android"', "Sec-CH-UA-Platform-Version": '"14.0.0"'})
    detection = detect(CHROME_ANDROID_REDUCED, tablet)
    assert (detection.device_type, detection.device_model, detection.os_version) == (2, "SM-X700", "14.0.0")
    assert detect(CHROME_ANDROID_REDUCED).device_model == "generic smartphone"  # "K" names no device
    assert detect(CHROME_WINDOWS, from_uadata({"formFactors": ["Tablet"]})).device_type == 2


def test_bad_uadata_values_are_ignored():
    assert from_uadata("Windows") is None
    assert from_uadata({"brands": "Chrome", "mobile": "yes", "platform": 11, "formFactors": "XR"}) == ClientHints()


def test_x_requested_with_names_the_app_of_a_web_view():
    webview = ("Mozilla/5.0 (Linux; Android 13; SM-S901U1; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
               "Chrome/115.0.5790.138 Mobile Safari/537.36")
    app = detect(webview, from_header_mapping({"X-Requested-With": "com.example.news"}))
    browser = detect(webview, from_header_mapping({"X-Requested-With": "com.duckduckgo.mobile.android"}))
    ajax = detect(webview, from_header_mapping({"X-Requested-With": "XMLHttpRequest"}))
    assert (app.browser_name, app.client_type, app.browser_version, app.browser_engine) == \
        ("com.example.news", 5, "", "")
    assert (browser.browser_name, browser.client_type) == ("DD", 1)
    assert (ajax.browser_name, ajax.client_type) == ("CV", 1)


@pytest.mark.parametrize("user_agent, is_bot, client", [
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", True, "UNK"),
    ("Mozilla/5.0 (compatible; Odin; https://docs.getodin.com/)", True, "UNK"),
    ("Feedfetcher-Google; (+http://www.google.com/feedfetcher.html)", True, "UNK"),
    ("curl/8.5.0", False, "curl"),
    ("Java/1.8.0_151", False, "Java"),  # ua-parser calls it a spider; Matomo a library
    ("python-httpx/0.28.1", False, "UNK"),
    ("Liferea/1.10.2 (Linux; en_US.UTF-8; http://liferea.sf.net/)", False, "Liferea"),
])
def test_bots_are_told_from_libraries_and_feed_readers(user_agent, is_bot, client):
    detection = detect(user_agent)
    assert (detection.is_bot, detection.browser_name) == (is_bot, client)
    assert detection.os == ("BOT" if is_bot else detection.os)


def test_values_are_cut_to_their_column_lengths():
    long_version = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                    "Chrome/124.0.6367.91.1234567.89012345 Safari/537.36")
    assert detect(long_version).browser_version == "124.0.6367.91.123456"
    long_model = from_header_mapping({"Sec-CH-UA-Model": "M" * 150, "X-Requested-With": "com." + "a" * 60})
    detection = detect(CHROME_ANDROID_REDUCED, long_model)
    assert (len(detection.device_model), len(detection.browser_name)) == (100, 40)


def test_internet_explorer_is_recognised_by_its_trident_token_and_in_the_fingerprint():
    compatibility_mode = "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; Trident/7.0)"
    assert detect(compatibility_mode).browser_version == "11.0"
    assert detect(IE_11).fingerprint() == {"os": "WIN", "browser": "IE", "browser_version": "11.0",
                                           "is_internet_explorer": True}


def test_the_fingerprint_counts_the_browser_code_only_for_browsers():
    assert detect(CHROME_WINDOWS).fingerprint() == {"os": "WIN", "browser": "CH", "browser_version": "124.0.0.0",
                                                    "is_internet_explorer": False}
    assert detect("curl/8.5.0").fingerprint()["browser"] == "UNK"
    assert detect("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)").fingerprint() == \
        {"os": "BOT", "browser": "UNK", "browser_version": "", "is_internet_explorer": False}


def test_an_ipad_runs_ipados_from_ios_13_on():
    assert (detect(IPAD).os, detect(IPAD).os_version, detect(IPAD).device_type) == ("IPA", "17.1", 2)


# -- parsing once ----------------------------------------------------------------------------------


def request_of(user_agent: str, **params: str) -> TrackingRequest:
    return TrackingRequest({"idsite": "1", "rec": "1", **params}, headers={"User-Agent": user_agent})


def test_a_user_agent_and_its_hints_are_parsed_once_per_process():
    uadata = json.dumps({"platform": "Windows", "platformVersion": "14.0.0"})
    first = detection_for(request_of(CHROME_WINDOWS, uadata=uadata))
    hits = detection_module.cached_detection.cache_info().hits
    second = detection_for(request_of(CHROME_WINDOWS, uadata=uadata))
    assert second is first and detection_module.cached_detection.cache_info().hits == hits + 1
    other = detection_for(request_of(CHROME_WINDOWS))  # other hints: another entry
    assert other is not first and (first.os_version, other.os_version) == ("11", "10")


def test_a_request_is_detected_once_and_the_result_kept_in_request_extra():
    request = request_of(CHROME_WINDOWS)
    first = detection_for(request)
    assert request.extra[EXTRA_KEY] is first and first.browser_name == "CH"
    stored = replace(first, browser_name="FF")  # as if an earlier hook of this request had stored it
    request.extra[EXTRA_KEY] = stored
    assert detection_for(request) is stored
