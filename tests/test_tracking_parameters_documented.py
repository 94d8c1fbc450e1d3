"""Every tracking parameter the code reads is listed in docs/tracking_parameters.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "tracking_parameters.md"
READS = re.compile(r"""(?:get_str|get_int|get_raw|get_float|get_json|has|params\.get)\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""")
DECLARED = re.compile(r"""^\s+parameter\s*=\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""", re.MULTILINE)


def parameters_read_by_the_code() -> set[str]:
    found: set[str] = set()
    for directory in ("core", "plugins"):
        for path in (ROOT / directory).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            found.update(READS.findall(text))
            found.update(DECLARED.findall(text))
    return found


def documented() -> set[str]:
    return set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", DOC.read_text(encoding="utf-8")))


def test_every_parameter_the_code_reads_is_documented():
    read = parameters_read_by_the_code()
    assert {"idsite", "url", "search", "ping", "_pkp"} <= read  # the scan itself finds parameters
    assert sorted(read - documented()) == []
