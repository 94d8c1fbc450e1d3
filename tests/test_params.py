"""Tests for core.params: PHP-style parameter parsing, Matomo's sanitising, typed reads."""

from __future__ import annotations

import json
import random

import pytest

from core.params import (
    MAX_INPUT_VARS,
    clean_string,
    merge_params,
    parse_query,
    sanitize,
    to_float,
    to_int,
    to_json,
    to_str,
    truncate_utf8,
    unsanitize,
)

# A real matomo.js ecommerce-order hit (shared/data/real-clients/matomo-js.jsonl).
MATOMO_JS_QUERY = (
    "idgoal=0&ec_id=ORDER-1001&revenue=137.8&ec_st=124.3&ec_tx=10.5&ec_sh=8&ec_dt=5&ec_items="
    "%5B%5B%22SKU-1%22%2C%22Blue%20Shoes%22%2C%5B%22Shoes%22%2C%22Sale%22%5D%2C59.9%2C2%5D%2C"
    "%5B%22SKU-2%22%2C%22Socks%22%2C%22Accessories%22%2C4.5%2C1%5D%5D&idsite=1&rec=1&r=422867"
    "&h=10&m=6&s=13&url=http%3A%2F%2Fshop.test%3A45699%2Fshop%2Findex.html%3Futm_campaign%3DS"
    "pring%20Sale%26utm_source%3Dnewsletter%26utm_medium%3Demail%26utm_term%3Dblue%20shoes%26"
    "utm_content%3Dhero-banner%26utm_id%3Dcmp-42&urlref=https%3A%2F%2Fwww.google.com%2Fsearch"
    "%3Fq%3Dblue%2Bshoes%26hl%3Den&uid=alice%40example.com&_id=eb99367032ce97d5&_idn=0&send_i"
    "mage=0&_rcn=Spring%20Sale&_rck=blue%20shoes&_refts=1795943162&_ref=https%3A%2F%2Fwww.goo"
    "gle.com%2Fsearch%3Fq%3Dblue%2Bshoes%26hl%3Den&_pkc=Shoes&_pkp=59.9&_pks=SKU-1&_pkn=Blue%"
    "20Shoes&dimension1=Gold%20member&dimension3=Hero%20layout%20B&pv_id=vZY2Dc&uadata=%7B%22"
    "formFactors%22%3A%5B%22Desktop%22%5D%2C%22fullVersionList%22%3A%5B%7B%22brand%22%3A%22No"
    "t%3AA-Brand%22%2C%22version%22%3A%228.0.0.0%22%7D%2C%7B%22brand%22%3A%22Chromium%22%2C%2"
    "2version%22%3A%22156.0.8078.108%22%7D%5D%2C%22mobile%22%3Afalse%2C%22model%22%3A%22%22%2"
    "C%22platform%22%3A%22Linux%22%2C%22platformVersion%22%3A%22%22%7D&pdf=1&qt=0&realp=0&wma"
    "=0&fla=0&java=0&ag=0&cookie=1&res=1280x800"
)

# A real asgi-matomo form body: Python bytes reprs sent as text (python-clients.jsonl).
ASGI_BODY = (
    "idsite=1&rec=1&apiv=1&send_image=0&ua=b%27Mozilla%2F5.0+%28Macintosh%3B+Intel+Mac+OS+X+"
    "14_0%29+asgi-harness%27&action_name=Docs+page&url=https%3A%2F%2Fapp.example.org%3A8000%2F"
    "docs%23b%27page%3D2%27&rand=3174362432&token_auth=0123456789abcdef0123456789abcdef&cip="
    "198.51.100.23&urlref=b%27https%3A%2F%2Fwww.google.com%2Fsearch%3Fq%3Dasgi%27&gt_ms=72.175"
    "&cvar=%7B%22http_status_code%22%3A+200%2C+%22http_method%22%3A+%22GET%22%7D"
)

# A real flask-matomo2 body: cvar is a Python dict printout, not JSON.
FLASK_BODY = (
    "idsite=1&rec=1&apiv=1&send_image=0&ua=Mozilla%2F5.0+%28Windows+NT+10.0%3B+Win64%3B+x64%29"
    "+flask-harness&action_name=%2Fusers%2F%3Cint%3Auid%3E&url=https%3A%2F%2Fflask.example.org"
    "%2Fusers%2F42&cvar=%7B%27http_status_code%27%3A+200%2C+%27http_method%27%3A+%27GET%27%7D"
)


# --------------------------------------------------------------------------------- parse_query

@pytest.mark.parametrize(
    ("qs", "expected"),
    [
        ("", {}),
        ("a=1&b=2", {"a": "1", "b": "2"}),
        ("a=1+2", {"a": "1 2"}),  # '+' is a space
        ("a=1%2B2", {"a": "1+2"}),  # an encoded '+' is not
        ("x=caf%C3%A9+au+lait", {"x": "café au lait"}),
        ("%E9t%E9=%E9t%E9", {"été": "été"}),  # invalid UTF-8 -> Latin-1, keys too
        ("a=%C3%A9&b=%E9", {"a": "é", "b": "é"}),  # decided per value
        ("a=%zz%4&b=%", {"a": "%zz%4", "b": "%"}),  # a broken escape stays as is
        ("a=%3D%3d==", {"a": "===="}),
        ("a=b=c", {"a": "b=c"}),
        ("a.b=1&c d=2&e+f=3", {"a_b": "1", "c_d": "2", "e_f": "3"}),
        ("a%2Eb=1", {"a_b": "1"}),  # the key is decoded before the rules apply
        ("  a=1", {"a": "1"}),  # leading spaces of a key are dropped
        ("a%00b=1", {"a": "1"}),  # a NUL ends a key
        ("v=a%00b", {"v": "a\x00b"}),  # values keep NUL (sanitize removes it)
        ("flag&x=", {"flag": "", "x": ""}),
        ("=1&&=&x=2", {"x": "2"}),  # empty keys dropped
        ("a=1&a=2", {"a": "2"}),
        ("a=1&b=2&a=3", {"a": "3", "b": "2"}),
        ("a[]=1&a[]=2", {"a": ["1", "2"]}),
        ("a%5B%5D=1&a%5B%5D=2", {"a": ["1", "2"]}),
        ("a[k]=v&a[j]=w", {"a": {"k": "v", "j": "w"}}),
        ("a[0]=x&a[]=y", {"a": ["x", "y"]}),
        ("a[k]=x&a[]=y", {"a": {"k": "x", "0": "y"}}),
        ("a[5]=x&a[]=y", {"a": {"5": "x", "6": "y"}}),
        ("a[x][y]=1&a[x][z]=2", {"a": {"x": {"y": "1", "z": "2"}}}),
        ("a[][n]=1&a[][n]=2", {"a": [{"n": "1"}, {"n": "2"}]}),
        ("a.b[c.d]=1", {"a_b": {"c.d": "1"}}),  # only the part before '[' is rewritten
        ("a=1&a[]=2", {"a": ["2"]}),  # an array replaces a scalar ...
        ("a[]=1&a=2", {"a": "2"}),  # ... and a later plain key replaces an array
        ("a[b=1", {"a_b": "1"}),  # unmatched '[' -> plain key
        ("a[b.c d=1", {"a_b_c_d": "1"}),
        ("a[x][y=1", {"a": {"x": "1"}}),
        ("a[x]junk[y]=1", {"a": {"x": "1"}}),
        ("[x]=1", {}),
        ("?a=1", {"?a": "1"}),  # no '?' stripping: PHP never sees one
    ],
)
def test_parse_query(qs: str, expected: dict) -> None:
    assert parse_query(qs) == expected
    assert parse_query(qs.encode("ascii")) == expected


@pytest.mark.parametrize(
    ("qs", "expected"),
    [
        (b"a=\xe9t\xe9", {"a": "été"}),  # raw Latin-1 bytes
        (b"a=\xc3\xa9&b=\xe9", {"a": "é", "b": "é"}),
        (b"a=\xc3\xa9%E9", {"a": "Ã©é"}),  # the whole value is one byte string
        (b"\xe9=1", {"é": "1"}),
        (bytearray(b"a=1"), {"a": "1"}),
        ("a=é&b=%C3%A9", {"a": "é", "b": "é"}),  # str input: its UTF-8 encoding
        ("a=é%E9", {"a": "Ã©é"}),
    ],
)
def test_parse_query_non_ascii(qs: bytes | str, expected: dict) -> None:
    assert parse_query(qs) == expected


@pytest.mark.parametrize("junk", [None, 5, 1.5, ["a=1"], {"a": "1"}, object()])
def test_parse_query_non_string_input(junk: object) -> None:
    assert parse_query(junk) == {}  # type: ignore[arg-type]


def test_parse_query_lone_surrogates_do_not_raise() -> None:
    assert parse_query("a=\udce9") == {"a": "é"}  # surrogateescape'd byte 0xE9
    assert isinstance(parse_query("a=\ud800")["a"], str)


def test_parse_query_deep_nesting_dropped() -> None:
    assert parse_query("a" + "[x]" * 64 + "=1")["a"]
    assert parse_query("a" + "[x]" * 65 + "=1&b=2") == {"b": "2"}


def test_parse_query_max_input_vars() -> None:
    qs = "&".join(f"k{i}=v" for i in range(MAX_INPUT_VARS + 10))
    parsed = parse_query("&&&" + qs)
    assert len(parsed) == MAX_INPUT_VARS
    assert "k999" in parsed and "k1000" not in parsed


def test_parse_query_real_matomo_js_hit() -> None:
    p = parse_query(MATOMO_JS_QUERY)
    assert p["url"] == (
        "http://shop.test:45699/shop/index.html?utm_campaign=Spring Sale&utm_source=newsletter"
        "&utm_medium=email&utm_term=blue shoes&utm_content=hero-banner&utm_id=cmp-42"
    )
    assert p["urlref"] == "https://www.google.com/search?q=blue+shoes&hl=en"
    assert p["uid"] == "alice@example.com"
    assert json.loads(p["ec_items"])[0][0] == "SKU-1"
    assert json.loads(p["uadata"])["platform"] == "Linux"
    assert p["res"] == "1280x800"
    assert len(p) == 41


def test_parse_query_real_garbage_bodies() -> None:
    asgi = parse_query(ASGI_BODY)
    assert asgi["ua"] == "b'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) asgi-harness'"
    assert asgi["url"] == "https://app.example.org:8000/docs#b'page=2'"
    assert asgi["urlref"] == "b'https://www.google.com/search?q=asgi'"
    flask = parse_query(FLASK_BODY)
    assert flask["action_name"] == "/users/<int:uid>"
    assert to_json(flask["cvar"]) is None  # a Python dict printout is not JSON
    assert to_json(asgi["cvar"]) == {"http_status_code": 200, "http_method": "GET"}


def test_percent_decoding_matches_reference() -> None:
    # parse_query decodes with a fast C path; check it against urllib's plain decoder.
    from urllib.parse import unquote_to_bytes

    def reference(s: str) -> str:
        data = unquote_to_bytes(s.replace("+", " "))
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("latin-1")

    rnd = random.Random(7)
    alphabet = "%=+aZ09fF\n\r;é\x00 "
    for _ in range(20000):
        s = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))
        assert parse_query("k=" + s).get("k", "") == reference(s), s
        assert parse_query(("k=" + s).encode()).get("k", "") == reference(s), s


def test_parse_query_fuzz_never_raises() -> None:
    rnd = random.Random(20261129)
    alphabet = "ab=&%+[]. \x00é\udce9;#?5Ee"
    for _ in range(20000):
        s = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 24)))
        assert isinstance(parse_query(s), dict)
        b = bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 24)))
        assert isinstance(parse_query(b), dict)


# -------------------------------------------------------------------------------- merge_params

@pytest.mark.parametrize(
    ("query", "body", "expected"),
    [
        ({"a": "q"}, {"a": "b", "c": "b"}, {"a": "q", "c": "b"}),
        ({}, {"a": "b"}, {"a": "b"}),
        ({"a": "q"}, {}, {"a": "q"}),
        ({"a": ""}, {"a": "b"}, {"a": ""}),  # present-but-empty in the query still wins
    ],
)
def test_merge_params(query: dict, body: dict, expected: dict) -> None:
    assert merge_params(query, body) == expected


def test_merge_params_query_keys_first() -> None:
    assert list(merge_params({"q": "1"}, {"b": "2", "q": "3"})) == ["q", "b"]


def test_merge_params_real_beacon() -> None:
    # matomo.js sendBeacon: everything in the query, empty form body.
    query = parse_query(MATOMO_JS_QUERY)
    assert merge_params(query, parse_query(b"")) == query


# ------------------------------------------------------------------------------------ sanitize

@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain text", "plain text"),
        ("<script>&amp;\"x\"'", "&lt;script&gt;&amp;&quot;x&quot;&#039;"),
        ("&ampx", "&amp;ampx"),  # no ';': not an entity
        ("&amp", "&amp;amp"),
        ("&amp;lt;", "&amp;lt;"),  # decoded once only
        ("&lt;b&gt;", "&lt;b&gt;"),
        ("&eacute;t&eacute;", "été"),
        ("&Eacute;", "É"),  # case-sensitive names
        ("&EACUTE;", "&amp;EACUTE;"),
        ("&apos;", "&amp;apos;"),  # not an HTML 4.01 entity
        ("&#39;&#039;&#x27;&#X27;", "&#039;&#039;&#039;&#039;"),
        ("&#233;&#xe9;&#xE9;", "ééé"),
        ("&#x1F600;", "\U0001f600"),
        ("&#0;&#1;&#128;&#x110000;&#xFFFE;&#xFDD0;", "&amp;#0;&amp;#1;&amp;#128;&amp;#x110000;&amp;#xFFFE;&amp;#xFDD0;"),
        ("&#9;&#10;&#13;", "\t\n\r"),  # allowed control characters
        ("&#" + "9" * 5000 + ";", "&amp;#" + "9" * 5000 + ";"),
        ("&#00000065;", "A"),
        ("&nosuchentity;", "&amp;nosuchentity;"),
        ("a\x00b", "ab"),
        ("a&#0;b", "a&amp;#0;b"),
        ("line\nbreak", "line\nbreak"),  # line breaks are kept
        ("&&lt;", "&amp;&lt;"),
        ("Café – ok", "Café – ok"),
    ],
)
def test_sanitize_str(raw: str, expected: str) -> None:
    assert sanitize(raw) == expected


def test_sanitize_fast_path_returns_same_object() -> None:
    s = "no specials here, just text – é"
    assert sanitize(s) is s


@pytest.mark.parametrize("value", [0, 5, -1.5, True, False, None])
def test_sanitize_scalars_unchanged(value: object) -> None:
    assert sanitize(value) is value


def test_sanitize_containers() -> None:
    assert sanitize({"<k>": ["a&b", 1, None, {"'": '"'}]}) == {
        "&lt;k&gt;": ["a&amp;b", 1, None, {"&#039;": "&quot;"}]
    }
    assert sanitize(("<", 2)) == ("&lt;", 2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("&lt;script&gt;&amp;&quot;x&quot;&#039;", "<script>&\"x\"'"),
        ("no entities", "no entities"),
        ("&amp;amp;", "&amp;"),
        ("&amp;ampx", "&ampx"),
        ("&eacute;", "é"),
    ],
)
def test_unsanitize(value: str, expected: str) -> None:
    assert unsanitize(value) == expected


@pytest.mark.parametrize(
    "raw", ["<script>&amp;\"x\"'", "&ampx", "a & b < c", "&#39;", "Tom's \"quote\"", "x&y=1"]
)
def test_unsanitize_inverts_sanitize_escaping(raw: str) -> None:
    once = sanitize(raw)
    assert sanitize(unsanitize(once)) == once


# ------------------------------------------------------------------------------ typed readers

@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5", 5),
        ("05", 5),
        ("-3", -3),
        ("0", 0),
        ("5.0", None),
        (" 5", None),
        ("5 ", None),
        ("+5", None),
        ("x", None),
        ("", None),
        ("1e3", None),
        ("٥", None),  # a non-ASCII digit
        ("9223372036854775807", 2**63 - 1),
        ("9223372036854775808", None),
        ("-" + "0" * 5000 + "7", -7),
        ("9" * 5000, None),
        (["5"], None),
        ({"a": "5"}, None),
        (None, None),
        (7, 7),
        (7.0, 7),
        (7.5, None),
        (True, 1),
    ],
)
def test_to_int(raw: object, expected: int | None) -> None:
    assert to_int(raw) == expected


def test_to_int_default() -> None:
    assert to_int("5.0", -1) == -1
    assert to_int("", 0) == 0
    assert to_int("12", -1) == 12


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1.0),
        ("59.9", 59.9),
        ("-1.5", -1.5),
        ("+2", 2.0),
        ("1e3", 1000.0),
        ("1E-2", 0.01),
        ("2.5e+1", 25.0),
        ("05", 5.0),
        (".5", None),  # the spec regex needs digits before the point
        ("5.", None),
        ("1,5", None),  # no decimal comma
        ("undefined", None),  # matomo.js sends ec_st=undefined
        ("NaN", None),
        ("inf", None),
        ("1e999", None),  # not finite
        (" 1", None),
        ("", None),
        (["1"], None),
        (3, 3.0),
        (2.5, 2.5),
        (float("nan"), None),
    ],
)
def test_to_float(raw: object, expected: float | None) -> None:
    assert to_float(raw) == expected


def test_to_float_default() -> None:
    assert to_float("undefined", 0.0) == 0.0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("abc", "abc"),
        (" ", " "),
        ("0", "0"),
        ("", "dflt"),
        (None, "dflt"),
        (["a"], "dflt"),
        ({"a": "b"}, "dflt"),
        (5, "5"),
        (5.0, "5"),
        (0.1, "0.1"),
        (True, "1"),
        (False, "dflt"),
    ],
)
def test_to_str(raw: object, expected: str) -> None:
    assert to_str(raw, "dflt") == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"a": [1, "x<"]}', {"a": [1, "x&lt;"]}),
        ('{"<k>": true, "n": null}', {"&lt;k&gt;": True, "n": None}),
        ('["SKU-1", "Blue Shoes", ["Shoes", "Sale"], 59.9, 2]', ["SKU-1", "Blue Shoes", ["Shoes", "Sale"], 59.9, 2]),
        ('"&amp;"', "&amp;"),
        ("5", 5),
        ("{'a': 1}", None),
        ("{", None),
        ("NaN", None),
        ("[Infinity]", None),
        ("", None),
        (None, None),
        (5, None),
        (["[]"], None),
        ("[" * 100000 + "]" * 100000, None),
    ],
)
def test_to_json(raw: object, expected: object) -> None:
    assert to_json(raw) == expected


# ----------------------------------------------------------------------------- string helpers

@pytest.mark.parametrize(
    ("text", "max_bytes", "expected"),
    [
        ("abc", 10, "abc"),
        ("abcdef", 3, "abc"),
        ("é" * 3, 6, "ééé"),
        ("é" * 3, 5, "éé"),  # never half a character
        ("aé", 2, "a"),
        ("a€", 3, "a"),  # 3-byte character, 1 byte short
        ("a€b", 4, "a€"),
        ("\U0001f600x", 3, ""),
        ("\U0001f600x", 4, "\U0001f600"),
        ("abc", 0, ""),
        ("x\ud800y", 4, "x\ud800"),  # a lone surrogate does not raise
        ("a" * 2000, 1024, "a" * 1024),
    ],
)
def test_truncate_utf8(text: str, max_bytes: int, expected: str) -> None:
    out = truncate_utf8(text, max_bytes)
    assert out == expected
    assert len(out.encode("utf-8", "surrogatepass")) <= max(max_bytes, 0)


def test_truncate_utf8_fast_path_same_object() -> None:
    s = "short é"
    assert truncate_utf8(s, 1024) is s


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  title  ", "title"),
        ("\t\n title \r\n\x0b\x00", "title"),
        ("a\nb\rc\x00d", "abcd"),
        ("a \n b", "a  b"),
        ("\xa0nbsp\xa0", "\xa0nbsp\xa0"),  # PHP trim() keeps U+00A0
        ("", ""),
    ],
)
def test_clean_string(text: str, expected: str) -> None:
    assert clean_string(text) == expected
