"""The hook implementations of {{ cookiecutter.plugin }} (trackway's docs/plugin_hooks.md lists every hook)."""

from core import dimensions_in, hookimpl


@hookimpl
def register_dimensions() -> list[type]:
    """Every dimension class in ``columns/``: a new module there is registered without further wiring."""
    return dimensions_in("{{ cookiecutter.package }}.columns")
