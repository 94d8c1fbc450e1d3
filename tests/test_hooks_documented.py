"""Every hook in core/hookspecs.py has a section in docs/plugin_hooks.md, with an example that
tests/test_hook_examples.py runs.

Examples live in the test module between ``# example: <hook>`` and ``# end example`` lines; the
docs show the same code (dedented) in a ```python block of the hook's section.
"""

import inspect
import re
import textwrap
from pathlib import Path

import pytest

from core import hookspecs

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "plugin_hooks.md"
EXAMPLE_FILES = sorted((ROOT / "tests").glob("test_hook_examples*.py"))
"""tests/test_hook_examples.py, and test_hook_examples_<topic>.py files beside it."""
HOOKS = [name for name, obj in inspect.getmembers(hookspecs, inspect.isfunction)
         if hasattr(obj, "trackway_spec")]

_START = re.compile(r"^\s*# example: (\S+)\s*$")
_END = re.compile(r"^\s*# end example\s*$")
_FENCE = re.compile(r"^```(\w*)\s*$")


def normal(code: str) -> str:
    return textwrap.dedent(code).strip()


def example_blocks() -> list[tuple[str, str]]:
    """(hook, code) for every marked block of the examples module, in file order."""
    blocks = []
    for path in EXAMPLE_FILES:
        hook, lines = None, []
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if _START.match(line):
                assert hook is None, f"{path.name}:{number}: example inside the example of {hook}"
                hook, lines = _START.match(line).group(1), []
            elif _END.match(line):
                assert hook is not None, f"{path.name}:{number}: '# end example' without a start"
                blocks.append((hook, normal("\n".join(lines))))
                hook = None
            elif hook is not None:
                lines.append(line)
        assert hook is None, f"{path.name}: the example of {hook} has no '# end example'"
    return blocks


def hook_sections() -> dict[str, list[str]]:
    """The ```python blocks of each '### <name>' section of the docs (fences are respected)."""
    sections: dict[str, list[str]] = {}
    current, fence, code = None, None, []
    for line in DOCS.read_text().splitlines():
        match = _FENCE.match(line)
        if fence is None and match:
            fence, code = match.group(1), []
            continue
        if fence is not None:
            if line.strip() == "```":
                if current is not None and fence == "python":
                    sections[current].append(normal("\n".join(code)))
                fence = None
            else:
                code.append(line)
            continue
        heading = re.match(r"^(#{1,3}) (.*?)\s*$", line)
        if heading:
            name = heading.group(2)
            current = name if heading.group(1) == "###" and re.fullmatch(r"\w+", name) else None
            if current is not None:
                sections.setdefault(current, [])
    return sections


def test_hookspecs_are_found():
    assert "build_action" in HOOKS and len(HOOKS) >= 15


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented(hook):
    headings = re.findall(r"^### (\w+)$", DOCS.read_text(), flags=re.MULTILINE)
    assert hook in headings, f"add a '### {hook}' section to docs/plugin_hooks.md"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_docstring(hook):
    assert getattr(hookspecs, hook).__doc__.strip()


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_tested_example(hook):
    mine = [code for name, code in example_blocks() if name == hook]
    assert mine, f"add a '# example: {hook}' ... '# end example' block to tests/test_hook_examples.py"
    assert all(code for code in mine), f"the example block of {hook} is empty"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_section_shows_its_example_verbatim(hook):
    shown = hook_sections().get(hook, [])
    examples = [code for name, code in example_blocks() if name == hook]
    assert any(block in examples for block in shown), (
        f"the '### {hook}' section of docs/plugin_hooks.md needs a ```python block identical to its "
        f"'# example: {hook}' block in tests/test_hook_examples.py (copy it again after editing either)")


def test_every_python_block_of_a_hook_section_is_tested_code():
    examples = [code for _, code in example_blocks()]
    untested = [(hook, block.splitlines()[0]) for hook, blocks in hook_sections().items() for block in blocks
                if not any(block in example for example in examples)]
    assert not untested, f"python blocks in hook sections that no example block contains: {untested}"


def test_example_markers_name_real_hooks():
    unknown = sorted({name for name, _ in example_blocks()} - set(HOOKS))
    assert not unknown, f"'# example:' names that are not hooks: {unknown}"
