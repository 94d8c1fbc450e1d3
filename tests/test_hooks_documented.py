"""Every hook in core/hookspecs.py has a section in docs/plugin_hooks.md."""

import inspect
import re
from pathlib import Path

import pytest

from core import hookspecs

DOCS = Path(__file__).resolve().parent.parent / "docs" / "plugin_hooks.md"
HOOKS = [name for name, obj in inspect.getmembers(hookspecs, inspect.isfunction)
         if hasattr(obj, "trackway_spec")]


def test_hookspecs_are_found():
    assert "build_action" in HOOKS and len(HOOKS) >= 15


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented(hook):
    headings = re.findall(r"^### (\w+)$", DOCS.read_text(), flags=re.MULTILINE)
    assert hook in headings, f"add a '### {hook}' section to docs/plugin_hooks.md"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_docstring(hook):
    assert getattr(hookspecs, hook).__doc__.strip()
