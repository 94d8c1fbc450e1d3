"""Shared by the template tests: run what a template rendered (its pytest suite, ruff) and import it.

The template folders themselves hold Jinja sources, not Python, until cookiecutter renders them.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent

collect_ignore_glob = ["*/{{cookiecutter.*}}"]


@pytest.fixture
def run_generated_tests() -> Callable[..., subprocess.CompletedProcess]:
    """Runs ``pytest <dist>/tests [args]`` in a fresh interpreter with the dist folder on PYTHONPATH, as
    the plugin's author would."""
    def run(dist: Path, *args: str) -> subprocess.CompletedProcess:
        env = {key: value for key, value in os.environ.items() if not key.startswith("TRACKWAY_")}
        env["PYTHONPATH"] = os.pathsep.join([str(dist), str(ROOT)])
        return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args,
                               str(dist / "tests")],
                              cwd=dist, env=env, capture_output=True, text=True, timeout=300)
    return run


@pytest.fixture
def ruff_errors() -> Callable[[Path], str]:
    """``ruff check --select F`` on a folder: its report, empty when clean."""
    pytest.importorskip("ruff")

    def check(folder: Path) -> str:
        result = subprocess.run([sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "--select", "F",
                                 "--output-format", "concise", str(folder)], capture_output=True, text=True)
        return "" if result.returncode == 0 else result.stdout + result.stderr
    return check


@pytest.fixture
def import_generated() -> Iterator[Callable[[Path, str], ModuleType]]:
    """Imports ``module`` from a generated dist folder; the folder and its modules are forgotten afterwards."""
    added: list[tuple[str, str]] = []

    def load(dist: Path, module: str) -> ModuleType:
        sys.path.insert(0, str(dist))
        added.append((str(dist), module.split(".")[0]))
        importlib.invalidate_caches()
        return importlib.import_module(module)

    yield load
    for path, package in added:
        sys.path.remove(path)
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]
