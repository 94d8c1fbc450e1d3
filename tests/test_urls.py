"""Tests for core.urls: url_prefix split, page/click URL normalisation, excluded parameters."""

from __future__ import annotations

import random

import pytest

from core.params import parse_query
from core.urls import (
    DEFAULT_EXCLUDED_PARAMS,
    URL_PREFIXES,
    ParamExcluder,
    _normalize_page_url,
    get_excluder,
    join_url_prefix,
    looks_like_url,
    normalize_click_url,
    normalize_page_url,
    split_url_prefix,
)

# Every raw `url`, `urlref`, `link` and `download` pair found in shared/data/real-clients/*.jsonl
# (query strings, form bodies and bulk entries), still percent-encoded, de-duplicated.
REAL_URL_PAIRS = (
    'url=http%3A%2F%2Fshop.test%3A45699%2Fshop%2Findex.html%3Futm_campaign%3DSpring%20Sale%26utm_source%3Dnewsletter%26utm_medium%3Demail%26utm_term%3Dblue%20shoes%26utm_content%3Dhero-banner%26utm_id%3Dcmp-42',
    'urlref=https%3A%2F%2Fwww.google.com%2Fsearch%3Fq%3Dblue%2Bshoes%26hl%3Den',
    'link=https%3A%2F%2Fpartner.example.org%2Flanding%3Fx%3D1',
    'download=http%3A%2F%2Fshop.test%3A45699%2Ffiles%2Fcatalog.pdf',
    'download=http%3A%2F%2Fshop.test%3A45699%2Ffiles%2Fwhitepaper.pdf',
    'link=https%3A%2F%2Foutbound.example.net%2Fpage%3Ffrom%3Dshop',
    'url=http%3A%2F%2Fshop.test%3A45699%2Fshop%2Fpage2.html',
    'url=http%3A%2F%2Fshop.test%3A45699%2Fshop%2Flanding.html%3Fmtm_campaign%3DSummer%26mtm_kwd%3Dsandals%26mtm_source%3Dfacebook%26mtm_medium%3Dsocial%26mtm_content%3Dpost-1%26mtm_cid%3Dc-7%26mtm_group%3Dg1%26mtm_placement%3Dfeed',
    'urlref=http%3A%2F%2Fpartner.test%3A43503%2Fpartner%2Fref.html%3Ffrom%3Dpartner-newsletter',
    'link=https%3A%2F%2Foutbound.example.net%2Fblank',
    'link=https%3A%2F%2Foutbound.example.net%2Fspring',
    'url=http%3A%2F%2Fshop.test%3A45699%2Fshop%2Findex.html%3Fcmp%3DCustom%20Campaign%26kw%3Dcustom-kw',
    'urlref=https%3A%2F%2Fwww.bing.com%2Fsearch%3Fq%3Dtrackway',
    'url=http%3A%2F%2Fshop.test%3A45699%2Fvirtual%2Fspa-route%3Ftab%3D2',
    'urlref=https%3A%2F%2Fnews.example.com%2Farticle%2F123',
    'url=http%3A%2F%2Fshop.test%3A45699%2Fshop%2Fconsent.html%3Fmtm_campaign%3DConsent%20Test',
    'urlref=https%3A%2F%2Fduckduckgo.com%2F',
    'url=http%3A%2F%2Fshop.test%3A45699%2Fshop%2Fcookieless.html',
    'urlref=https%3A%2F%2Fwww.ecosia.org%2Fsearch%3Fq%3Dcookieless',
    'url=http%3A%2F%2Fshop.test%3A45699%2Fshop%2Fcookieless%2Fstep-2',
    'url=https%3A%2F%2Fnode.example.com%2Ftrack%2Fthis%2Furl%3Futm_campaign%3Dnode%26utm_source%3Dcli',
    'urlref=https%3A%2F%2Fwww.google.com%2Fsearch%3Fq%3Dnode%2Bmatomo',
    'url=https%3A%2F%2Fnode.example.com%2Fplain-string-url',
    'url=https%3A%2F%2Fnode.example.com%2Fvideo',
    'url=https%3A%2F%2Fnode.example.com%2Fsignup',
    'url=https%3A%2F%2Fnode.example.com%2Fsearch%3Fq%3Dx',
    'url=https%3A%2F%2Fnode.example.com%2F',
    'link=https%3A%2F%2Fexternal.example.org%2F',
    'download=https%3A%2F%2Fnode.example.com%2Ffile.zip',
    'url=https%3A%2F%2Fnode.example.com%2Fcheckout',
    'url=https%3A%2F%2Fnode.example.com%2Fimported',
    'url=https%3A%2F%2Fnode.example.com%2Fbulk%2F1',
    'url=https%3A%2F%2Fnode.example.com%2Fbulk%2F2',
    'url=https%3A%2F%2Fnode.example.com%2Fbulk%2F3',
    'url=https%3A%2F%2Fpiwik-node.example.com%2Fpage',
    'urlref=https%3A%2F%2Ft.co%2Fabc',
    'url=https%3A%2F%2Fpiwik-node.example.com%2Fa',
    'url=https%3A%2F%2Fpiwik-node.example.com%2Fb',
    'urlref=https%3A%2F%2Fduckduckgo.com%2F%3Fq%3Dmatomo%2Bpython',
    'url=https%3A%2F%2Fwww.example.com%2Fdocs%2Fintro%3Fref%3Dpy',
    'download=https%3A%2F%2Fcdn.example.com%2Ffiles%2Freport.pdf',
    'link=https%3A%2F%2Fgithub.com%2Fexample%2Frepo',
    'url=https%3A%2F%2Fwww.example.com%2Fbulk%2F1',
    'url=https%3A%2F%2Fapp.example.org%3A8000%2Fdocs%23b%27page%3D2%27',
    'urlref=b%27https%3A%2F%2Fwww.google.com%2Fsearch%3Fq%3Dasgi%27',
    'url=https%3A%2F%2Fapp.example.org%3A8000%2Fapi%2Fitems',
    'url=https%3A%2F%2Fapp.example.org%3A8000%2Fmissing%2Fpage',
    'url=https%3A%2F%2Fapp.example.org%3A8000%2Fboom',
    'url=https%3A%2F%2Fflask.example.org%2F',
    'urlref=https%3A%2F%2Fnews.ycombinator.com%2F',
    'url=https%3A%2F%2Fflask.example.org%2Fusers%2F42',
    'url=https%3A%2F%2Fflask.example.org%2Fgone',
    'urlref=https%3A%2F%2Fwww.google.nl%2F',
    'url=http%3A%2F%2Ftestserver%2Farticles%2F7%2F',
    'urlref=',
    'url=http%3A%2F%2Ftestserver%2Fapi%2Fdata.json',
)


def _utf8_len(s: str) -> int:
    return len(s.encode("utf-8", "surrogatepass"))


# ---------------------------------------------------------------------------------- url_prefix

@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://example.com/x", ("example.com/x", 0)),
        ("http://www.example.com/x", ("example.com/x", 1)),
        ("https://example.com/x", ("example.com/x", 2)),
        ("https://www.example.com/x", ("example.com/x", 3)),
        ("HTTP://WWW.Example.com", ("Example.com", 1)),
        ("Https://Www.x", ("x", 3)),
        ("http://wwwx.com/", ("wwwx.com/", 0)),  # 'www' without its dot is part of the host
        ("http://www.", ("", 1)),
        ("ftp://example.com/x", ("ftp://example.com/x", None)),
        ("file:///tmp/x", ("file:///tmp/x", None)),
        ("//example.com/x", ("//example.com/x", None)),
        ("example.com", ("example.com", None)),
        ("http:/x", ("http:/x", None)),
        ("", ("", None)),
    ],
)
def test_split_url_prefix(url: str, expected: tuple[str, int | None]) -> None:
    assert split_url_prefix(url) == expected


@pytest.mark.parametrize("url", ["http://a.b/c", "http://www.a.b/", "https://a.b", "https://www.a.b/?q=1", "ftp://a.b"])
def test_join_url_prefix_round_trip(url: str) -> None:
    assert join_url_prefix(*split_url_prefix(url)) == url


def test_join_url_prefix() -> None:
    assert [join_url_prefix("x.org/", i) for i in range(4)] == [p + "x.org/" for p in URL_PREFIXES]
    assert join_url_prefix("ftp://x", None) == "ftp://x"
    assert join_url_prefix("x", 7) == "x"
    assert join_url_prefix("x", -1) == "x"


# ------------------------------------------------------------------------------ looks_like_url

@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://x", True),
        ("https://example.com/a?b#c", True),
        ("//cdn.example.com/a.js", True),
        ("ftp://files", True),
        ("android-app://com.example", True),
        ("svn+ssh://host", True),
        ("a.b-c+d://x", True),
        ("://x", True),  # an empty scheme passes, as in Matomo
        ("http://", False),
        ("//", False),
        ("http:/x", False),
        ("example.com/x", False),
        ("mailto:x@example.com", False),
        ("javascript:alert(1)", False),
        ("javascript://alert(1)", False),
        ("JavaScript://x", False),
        ("vbscript://x", False),
        ("data://text/plain,x", False),
        ("data:text/html,<b>", False),
        ("1http://x", False),  # a scheme starts with a letter
        ("b'https://www.google.com/'", False),
        ("ht tp://x", False),
        ("http://x\ny", False),
        ("", False),
    ],
)
def test_looks_like_url(url: str, expected: bool) -> None:
    assert looks_like_url(url) is expected


# -------------------------------------------------------------------------- normalize_page_url

@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("http://example.com/", "http://example.com/"),
        ("https://node.example.com/video", "https://node.example.com/video"),
        # host lower-cased; scheme, path, query, userinfo keep their spelling
        ("HTTP://WWW.Example.COM/Path/X?Q=A", "HTTP://www.example.com/Path/X?Q=A"),
        ("http://User:PW@Example.com/", "http://User:PW@example.com/"),
        ("http://:pw@example.com/", "http://example.com/"),  # no user: no userinfo
        ("http://user:@example.com/", "http://user@example.com/"),
        ("http://Example.com:8080/x", "http://example.com:8080/x"),
        ("http://example.com:0080/x", "http://example.com:80/x"),  # ports are numbers
        ("http://example.com:/x", "http://example.com/x"),
        ("http://[2001:DB8::1]:8080/x", "http://[2001:db8::1]:8080/x"),
        ("http://[2001:DB8::1]/x", "http://[2001:db8::1]/x"),
        ("http://ÉCOLE.fr/é", "http://école.fr/é"),
        # fragment dropped by default
        ("https://x.org/p?a=1#top", "https://x.org/p?a=1"),
        ("https://x.org/p#", "https://x.org/p"),
        # query: order and percent-encoding kept; literal < > " ' escaped like sanitize
        ("http://x.org/?b=2&a=1", "http://x.org/?b=2&a=1"),
        ("http://x.org/?q=a%20b%26c&r=%3Cb%3E", "http://x.org/?q=a%20b%26c&r=%3Cb%3E"),
        ("http://x.org/?q=<b>&t=\"x\"&s='y'", "http://x.org/?q=&lt;b&gt;&t=&quot;x&quot;&s=&#039;y&#039;"),
        ("http://x.org/<p>?q=1", "http://x.org/<p>?q=1"),  # the path is stored raw
        ("http://x.org/p?a=1 b", "http://x.org/p?a=1 b"),
        ("http://x.org/p?a=1&a=2&b=3", "http://x.org/p?a=2&b=3"),  # last value, first position
        ("http://x.org/p?c[]=1&c%5B%5D=2&d[k]=3", "http://x.org/p?c[]=1&c[]=2&d[k]=3"),
        ("http://x.org/p?e%5Bk%5D=1", "http://x.org/p?e[k]=1"),
        ("http://x.org/p?flag&x=&=y&&0=z", "http://x.org/p?flag&x="),
        ("http://x.org/p?", "http://x.org/p"),
        ("http://x.org/p??a=1", "http://x.org/p?a=1"),
        ("http://x.org/p?a=1 #f", "http://x.org/p?a=1"),
        # HTML entities in the raw value are decoded first (sanitise + unsanitise)
        ("http://x.org/?a=1&amp;b=2", "http://x.org/?a=1&b=2"),
        ("http://x.org/?a=&lt;x&gt;", "http://x.org/?a=&lt;x&gt;"),
        ("http://x.org/caf&eacute;", "http://x.org/café"),
        ("http://x.org/?a=1&ampb=2", "http://x.org/?a=1&ampb=2"),  # no ';', no entity
        # clean-up: trim, CR/LF/NUL removed
        ("  http://x.org/a\nb\r\x00c \t", "http://x.org/abc"),
        # matrix parameters
        ("http://x.org/p;a=1;b=2", "http://x.org/p?a=1&b=2"),
        ("http://x.org/p;a=1?b=2;c=3", "http://x.org/p?a=1&b=2&c=3"),
        ("http://x.org/p?a=1;b=2", "http://x.org/p?a=1;b=2"),
        ("http://x.org/p;jsessionid=0A1B?x=1", "http://x.org/p?x=1"),
        # garbage from real clients
        ("https://app.example.org:8000/docs#b'page=2'", "https://app.example.org:8000/docs"),
        ("b'https://www.google.com/search?q=asgi'", ""),
        ("http://x.org/%zz%?%", "http://x.org/%zz%?%"),
        ("http://x.org/%E9t%E9", "http://x.org/%E9t%E9"),
        # not usable as page URLs
        ("", ""),
        ("   ", ""),
        ("javascript:alert(1)", ""),
        ("JAVASCRIPT://%0Aalert(1)", ""),
        ("data:text/html,x", ""),
        ("mailto://x@y", ""),
        ("example.com/x", ""),
        ("about:blank", ""),
        ("//example.com/x", ""),  # Matomo rebuilds it as 'example.com/x', not a URL
        ("://example.com/x", ""),
        ("http:///x", ""),  # empty host
        ("http://user@/x", ""),
        ("http://x.org:abc/", ""),  # invalid port
        ("http://x.org:65536/", ""),
        ("http://?gclid=1", ""),
        ("file:///C:/site/index.html", "file:///C:/site/index.html"),
        ("ftp://Files.Example.com/a", "ftp://files.example.com/a"),
    ],
)
def test_normalize_page_url(raw: str, expected: str) -> None:
    assert normalize_page_url(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://x.org/p?a=1#top", "https://x.org/p?a=1#top"),
        ("https://x.org/p#top#", "https://x.org/p#top"),  # one trailing '#' removed
        ("https://x.org/p#top##", "https://x.org/p#top#"),
        ("https://x.org/p#", "https://x.org/p"),
        ("https://x.org/p##", "https://x.org/p"),
        ("https://x.org/#/route/a", "https://x.org/#/route/a"),
        # no query: exclusion applies to the fragment, which is then rebuilt the same way
        ("https://x.org/#a=1&gclid=2&IGNORE_REFERRER=1", "https://x.org/#a=1"),
        ("https://x.org/?#a=1&gclid=2", "https://x.org/#a=1"),
        ("https://app.example.org:8000/docs#b'page=2'", "https://app.example.org:8000/docs#b&#039;page=2&#039;"),
        # with a query, the fragment is left alone
        ("https://x.org/?b=1#a=1&gclid=2", "https://x.org/?b=1#a=1&gclid=2"),
        ("https://x.org/?gclid=1#a", "https://x.org/#a"),
        ("https://x.org/p;a=1#f;g", "https://x.org/p?a=1#f&g"),  # matrix rule covers the fragment
    ],
)
def test_normalize_page_url_keep_fragment(raw: str, expected: str) -> None:
    assert normalize_page_url(raw, keep_fragment=True) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://x.org/p?a=1&gclid=abc&b=2", "https://x.org/p?a=1&b=2"),
        ("https://x.org/p?GCLID=abc&FbClid=1&a=1", "https://x.org/p?a=1"),
        ("https://x.org/p?gclid=abc", "https://x.org/p"),
        ("https://x.org/p?gclid", "https://x.org/p"),
        ("https://x.org/p?gclid[]=1&gclid%5B%5D=2", "https://x.org/p"),
        ("https://x.org/p?gclid2=1&xgclid=2", "https://x.org/p?gclid2=1&xgclid=2"),
        ("https://x.org/p?ignore_referrer=1&ignore_referer=1&a=1", "https://x.org/p?a=1"),
        ("https://x.org/p?PHPSESSID=1&jsessionid=2&sid=3&pk_vid=4&x=5", "https://x.org/p?x=5"),
        ("https://x.org/p?utm_source=a", "https://x.org/p?utm_source=a"),  # campaign params come from the caller
    ],
)
def test_default_excluded_params(raw: str, expected: str) -> None:
    assert normalize_page_url(raw) == expected


@pytest.mark.parametrize(
    ("names", "raw", "expected"),
    [
        (["sessionKey"], "https://x.org/?SESSIONKEY=1&sessionkey=2&a=1", "https://x.org/?a=1"),
        (["utm_.*"], "https://x.org/?utm_source=1&UTM_Medium=2&xutm_a=3&a=4", "https://x.org/?xutm_a=3&a=4"),
        (["utm_.*"], "https://x.org/?utm_.*=1", "https://x.org/"),  # an entry also matches itself
        (["/^ref_/i"], "https://x.org/?ref_a=1&REF_b=2&xref_c=3", "https://x.org/?xref_c=3"),  # PHP-style pattern
        (["/ab/"], "https://x.org/?xaby=1&b=2", "https://x.org/?b=2"),  # PHP patterns search
        (["a[b"], "https://x.org/?a[b=1&ab=2", "https://x.org/?ab=2"),  # does not compile: a plain name
        (["a.c"], "https://x.org/?abc=1&a.c=2&abcd=3", "https://x.org/?abcd=3"),
        (["k[]"], "https://x.org/?k[]=1&k=2", "https://x.org/?k=2"),  # arrays compare without '[]'
        ([" spaced ", "", "gclid"], "https://x.org/?spaced=1&gclid=2&a=3", "https://x.org/?a=3"),
        ([], "https://x.org/?gclid=1&ignore_referer=1", "https://x.org/?gclid=1"),  # replaces the defaults
        (list(DEFAULT_EXCLUDED_PARAMS) + ["utm_source"], "https://x.org/?gclid=1&utm_source=2&b=3", "https://x.org/?b=3"),
        ("gclid", "https://x.org/?gclid=1&g=2", "https://x.org/?g=2"),  # a lone string is one name
    ],
)
def test_custom_excluded_params(names: object, raw: str, expected: str) -> None:
    assert normalize_page_url(raw, excluded_params=names) == expected  # type: ignore[arg-type]
    assert normalize_page_url(raw, excluded_params=ParamExcluder(names)) == expected  # type: ignore[arg-type]


def test_excluder_regex_errors_and_junk_do_not_raise() -> None:
    excluder = ParamExcluder(["(", "/(/", "a{99999999999}", None, 5, "x"])  # type: ignore[list-item]
    assert excluder("x") and excluder("(") and excluder("ignore_referrer")
    assert not excluder("y")


def test_get_excluder_is_cached() -> None:
    a = get_excluder(["a", "b"])
    assert get_excluder(("b", "a")) is a
    assert get_excluder(iter(["a", "b"])) is a
    assert get_excluder(a) is a
    assert get_excluder(["c"]) is not a


def test_normalize_page_url_long_input_truncated() -> None:
    raw = "http://example.com/" + "a" * 100_000
    out = normalize_page_url(raw)
    assert out.startswith("http://example.com/aaa")
    assert _utf8_len(out) == 1024
    multibyte = "https://example.com/?q=" + "é€\U0001f600" * 30_000
    out = normalize_page_url(multibyte)
    assert 1020 < _utf8_len(out) <= 1024
    assert normalize_page_url(multibyte, max_bytes=100) == truncated_prefix(out, 100)


def truncated_prefix(text: str, max_bytes: int) -> str:
    out = ""
    for ch in text:
        if _utf8_len(out + ch) > max_bytes:
            break
        out += ch
    return out


def test_normalize_page_url_escaping_can_grow_past_limit_then_is_cut() -> None:
    raw = "http://x.org/?q=" + "<" * 1010
    out = normalize_page_url(raw)
    assert _utf8_len(out) <= 1024
    assert out.startswith("http://x.org/?q=&lt;&lt;")


@pytest.mark.parametrize("junk", [None, 5, b"http://x.org/", ["http://x.org/"]])
def test_normalize_non_str_input(junk: object) -> None:
    assert normalize_page_url(junk) == ""  # type: ignore[arg-type]
    assert normalize_click_url(junk) == ""  # type: ignore[arg-type]


# ------------------------------------------------------------------------- normalize_click_url

@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://partner.example.org/landing?x=1", "https://partner.example.org/landing?x=1"),
        ("https://x.org/?a=1&b=2", "https://x.org/?a=1&amp;b=2"),  # stored sanitised
        ("https://x.org/?a=1&amp;b=2", "https://x.org/?a=1&amp;b=2"),
        ("https://x.org/?q=<b>'\"", "https://x.org/?q=&lt;b&gt;&#039;&quot;"),
        ("HTTPS://X.ORG/File.PDF#p=2", "HTTPS://X.ORG/File.PDF#p=2"),  # no host lower-casing, fragment kept
        ("https://x.org/?gclid=1", "https://x.org/?gclid=1"),  # no parameter exclusion
        ("//cdn.example.com/a.zip", "//cdn.example.com/a.zip"),
        ("  https://x.org/a\nb  ", "https://x.org/ab"),
        ("javascript:alert(1)", ""),
        ("javascript://x", ""),
        ("mailto:a@b.c", ""),
        ("tel:+123", ""),
        ("/relative/path", ""),
        ("", ""),
    ],
)
def test_normalize_click_url(raw: str, expected: str) -> None:
    assert normalize_click_url(raw) == expected


def test_normalize_click_url_truncated() -> None:
    out = normalize_click_url("https://x.org/" + "é" * 100_000)
    assert 1022 <= _utf8_len(out) <= 1024


# ------------------------------------------------------------------------- real-client replay

def _real_values() -> list[tuple[str, str]]:
    values = []
    for pair in REAL_URL_PAIRS:
        values.extend(parse_query(pair).items())
        values.extend(parse_query(pair.encode("ascii")).items())
    return values


@pytest.mark.parametrize(("name", "value"), _real_values())
def test_real_client_values_never_raise(name: str, value: str) -> None:
    assert isinstance(value, str)
    for keep in (False, True):
        for limit in (1024, 1500, 40):
            out = normalize_page_url(value, keep_fragment=keep, max_bytes=limit)
            assert isinstance(out, str) and _utf8_len(out) <= limit
            assert out == "" or looks_like_url(out)
            assert out == _normalize_page_url(value, get_excluder(DEFAULT_EXCLUDED_PARAMS), keep, limit)
    out = normalize_click_url(value)
    assert isinstance(out, str) and _utf8_len(out) <= 1024
    name_, prefix = split_url_prefix(normalize_page_url(value))
    assert join_url_prefix(name_, prefix) == normalize_page_url(value)


def test_real_client_values_expected_forms() -> None:
    values = {v for _, v in _real_values()}
    assert "https://www.google.com/search?q=blue+shoes&hl=en" in values
    assert normalize_page_url(
        "http://shop.test:45699/shop/index.html?utm_campaign=Spring Sale&utm_source=newsletter"
        "&utm_medium=email&utm_term=blue shoes&utm_content=hero-banner&utm_id=cmp-42",
        excluded_params=list(DEFAULT_EXCLUDED_PARAMS) + ["utm_campaign", "utm_source", "utm_medium", "utm_term"],
    ) == "http://shop.test:45699/shop/index.html?utm_content=hero-banner&utm_id=cmp-42"
    assert split_url_prefix(normalize_page_url("https://www.example.com/docs/intro?ref=py")) == (
        "example.com/docs/intro?ref=py",
        3,
    )
    assert normalize_click_url("https://www.google.com/search?q=blue+shoes&hl=en") == (
        "https://www.google.com/search?q=blue+shoes&amp;hl=en"
    )
    assert normalize_page_url("b'https://www.google.com/search?q=asgi'") == ""


# ---------------------------------------------------------------------------------------- fuzz

def test_fuzz_never_raises() -> None:
    rnd = random.Random(1129)
    pieces = [
        "http://", "HTTPS://www.", "//", "javascript:", "file:///", "[", "]", "::1", ":", "@",
        "/", "?", "#", "&", "=", ";", "%", "%zz", "%E9", "%00", "&amp;", "&#0;", "&lt;", "<", "'",
        '"', " ", "\n", "\x00", "é", "\U0001f600", "\ud800", "gclid=1", "a[]=", "%5B%5D", "0=",
        "ignore_referrer=1", "Example.COM", "b'", "x" * 50,
    ]
    excluders = [get_excluder(DEFAULT_EXCLUDED_PARAMS), get_excluder(["a.*", "/x/", "("])]
    for i in range(30000):
        raw = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14)))
        limit = rnd.choice((1024, 30, 5))
        out = _normalize_page_url(raw, excluders[i % 2], bool(i & 2), limit)  # no safety net here
        assert isinstance(out, str) and _utf8_len(out) <= limit
        assert out == "" or looks_like_url(out)
        click = normalize_click_url(raw, max_bytes=limit)
        assert _utf8_len(click) <= limit
        split_url_prefix(out)
