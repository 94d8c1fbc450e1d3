"""Ecommerce's hook implementations."""

from core import hookimpl

from plugins.ecommerce import product_view


@hookimpl
def register_dimensions() -> list[type]:
    return product_view.DIMENSIONS
