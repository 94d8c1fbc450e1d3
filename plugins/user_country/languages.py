"""Guessing a visitor's country from the browser language (``Accept-Language`` or ``lang``)."""

from __future__ import annotations

COUNTRY_CODES = frozenset("""
ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo bq br bs bt bv bw by bz
ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg eh er es et fi fj fk fm fo
fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je
jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mf mg mh mk ml mm mn mo
mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw
py qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st sv sx sy sz tc td tf tg th tj tk tl tm
tn to tr tt tv tw tz ua ug um us uy uz va vc ve vg vi vn vu wf ws xk ye yt za zm zw
""".split())
"""ISO 3166-1 alpha-2 codes in lower case, plus ``xk`` (Kosovo), which GeoIP databases use."""

LANGUAGE_COUNTRIES: dict[str, str] = {
    # Languages spoken mainly in one country. Languages of many countries (en, zh, ar, ...) are
    # left out on purpose: for them only a region subtag (en-GB) tells the country.
    "bg": "bg", "bo": "cn", "ca": "es", "cs": "cz", "da": "dk", "de": "de", "el": "gr", "es": "es",
    "et": "ee", "fa": "ir", "fi": "fi", "fr": "fr", "he": "il", "hr": "hr", "hu": "hu", "id": "id",
    "is": "is", "it": "it", "ja": "jp", "ko": "kr", "lt": "lt", "lv": "lv", "mk": "mk", "ms": "my",
    "nb": "no", "nl": "nl", "nn": "no", "no": "no", "pl": "pl", "pt": "pt", "ro": "ro", "ru": "ru",
    "sk": "sk", "sl": "si", "sq": "al", "sr": "rs", "sv": "se", "th": "th", "tr": "tr", "uk": "ua",
}
"""Primary language subtag -> the country it most likely means. The same 40 languages Matomo
guesses from, with the same answers, so both store the same country."""


def language_tags(browser_language: str) -> list[str]:
    """The language tags of an ``Accept-Language`` value (or a ``lang`` parameter), in the order
    given, lower-cased, with ``_`` read as ``-``; quality values, comments, charsets
    (``en_US.UTF-8``) and wildcards dropped."""
    tags = []
    for part in browser_language.lower().replace("_", "-").split(","):
        tag = part.split(";", 1)[0].split("(", 1)[0].split(".", 1)[0].strip()
        if tag and tag != "*":
            tags.append(tag)
    return tags


def _region(tag: str) -> str | None:
    """The region subtag of a BCP 47 tag (``at`` in ``de-at``, ``rs`` in ``sr-latn-rs``), or None."""
    for subtag in tag.split("-")[1:]:
        if len(subtag) == 1:  # an extension (de-u-co-phonebk) or private use follows: no region
            return None
        if len(subtag) == 2 and subtag.isalpha():
            return subtag
        if len(subtag) > 4 or subtag.isdigit():  # a variant, or a numeric region such as 419
            return None
    return None


def guess_country(browser_language: str, *, from_language: bool = True) -> str | None:
    """The visitor's country (lower-case ISO code) as the browser language suggests, or None.

    With ``from_language``, a first language without a region is mapped through
    ``LANGUAGE_COUNTRIES`` (``fr`` -> ``fr``). Otherwise the first region subtag, in any of the
    languages, that is a country code is the answer (``de-AT`` -> ``at``; ``en,fr-CA`` -> ``ca``).
    """
    tags = language_tags(browser_language)
    if not tags:
        return None
    if from_language and "-" not in tags[0] and tags[0] in LANGUAGE_COUNTRIES:
        return LANGUAGE_COUNTRIES[tags[0]]
    for tag in tags:
        region = _region(tag)
        if region in COUNTRY_CODES:
            return region
    return None
