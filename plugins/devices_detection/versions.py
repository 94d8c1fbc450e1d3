"""Version strings as Matomo stores them: dotted numbers, as long as the user agent spells them."""

from __future__ import annotations

import re

_LEADING_DIGITS = re.compile(r"\d+")
_MORE_PARTS = re.compile(r"(?:\.\d+)+")
_TRIDENT = re.compile(r"Trident/(\d+)\.")
TRIDENT_TO_IE = {4: "8.0", 5: "9.0", 6: "10.0", 7: "11.0", 8: "11.0"}
"""Internet Explorer in compatibility mode claims an older MSIE; its Trident token tells the real one."""


def joined(*parts: str | None) -> str:
    """ua-parser's version parts as one string: "8", "1" -> "8.1".

    A non-numeric first part (Windows "XP", "Vista") is kept as it is. Later parts contribute
    their leading digits and the join stops at the first part that is not purely numeric
    ("3", "1", "b4pre" -> "3.1"; "1", "10-RC1" -> "1.10").
    """
    if not parts or not parts[0]:
        return ""
    first = parts[0]
    if not first[0].isdigit():
        return first
    numbers: list[str] = []
    for part in parts:
        if not part:
            break
        match = _LEADING_DIGITS.match(part)
        if match is None:
            break
        numbers.append(match.group())
        if match.end() != len(part):
            break
    return ".".join(numbers)


def as_written(version: str, user_agent: str) -> str:
    """``version`` extended with the further dotted numbers the user agent writes after it.

    ua-parser keeps at most four parts and often three; Matomo stores the whole version
    ("22.7.3" -> "22.7.3.82.01" for ``YaBrowser/22.7.3.82.01``). Single numbers are not
    extended: they would match too much.
    """
    if "." not in version:
        return version
    start = user_agent.find(version)
    while start != -1:
        before = user_agent[start - 1] if start else ""
        if not (before.isdigit() or before == "."):
            more = _MORE_PARTS.match(user_agent, start + len(version))
            return version + more.group() if more else version
        start = user_agent.find(version, start + 1)
    return version


def internet_explorer(version: str, user_agent: str) -> str:
    """The Internet Explorer version its Trident token gives, when newer than the MSIE one."""
    match = _TRIDENT.search(user_agent)
    real = TRIDENT_TO_IE.get(int(match.group(1))) if match else None
    if real is None or major(real) <= major(version):
        return version
    return real


def windows_from_platform_version(platform_version: str) -> str | None:
    """Windows' name from the client hints' platformVersion: 13 and above is 11, 1 to 12 is 10
    (Windows 10 and 11 both say "10.0" in the user agent), 0.1/0.2/0.3 are 7, 8 and 8.1."""
    numbers = [int(n) for n in re.findall(r"\d+", platform_version)[:2]]
    if not numbers:
        return None
    if numbers[0] >= 13:
        return "11"
    if numbers[0] >= 1:
        return "10"
    return {1: "7", 2: "8", 3: "8.1"}.get(numbers[1] if len(numbers) > 1 else -1)


def major(version: str) -> int:
    match = _LEADING_DIGITS.match(version)
    return int(match.group()) if match else -1


def parts(version: str) -> int:
    return len(version.split(".")) if version else 0
