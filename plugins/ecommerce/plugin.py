"""Ecommerce's hook implementations: product views on any action, and orders and cart updates
(``idgoal=0``) in ``log_conversion`` and ``log_conversion_item``."""

from sqlalchemy.engine import Connection

from core import TrackingContext, hookimpl

from plugins.ecommerce import columns, conversions, kind, product_view
from plugins.ecommerce.items import parse_items


@hookimpl
def register_dimensions() -> list[type]:
    return product_view.DIMENSIONS + columns.DIMENSIONS


@hookimpl
def process_request(context: TrackingContext) -> None:
    """An order or cart update records no action; an order converts the visit. Both tell
    ``visit_goal_buyer`` (CoreHome's column) what the visit did."""
    request = context.request
    if not kind.is_ecommerce(request):
        return
    conversion = conversions.EcommerceConversion(idorder=kind.order_id(request), items=parse_items(request))
    context.extra[conversions.PENDING] = conversion
    context.action = None
    if conversion.is_order:
        context.converted = True
    # A new visit starts with no purchase, whatever the visitor's previous visit did.
    before = 0 if context.is_new_visit else (context.visitor.previous("visit_goal_buyer") or 0)
    context.visitor.set("visit_goal_buyer", kind.buyer_type(conversion.is_order, before))


@hookimpl
def record(context: TrackingContext, connection: Connection) -> None:
    conversion = context.extra.get(conversions.PENDING)
    if conversion is not None:
        conversions.store(context, connection, conversion)

