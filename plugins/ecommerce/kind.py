"""Which ecommerce request this is (spec §3 "Combinations", §10.1, §10.8).

``idgoal=0`` is an ecommerce request: an **order** when ``ec_id`` is set, a **cart update**
otherwise. Neither records an action. ``visit_goal_buyer`` tells what the visit did so far.
"""

from __future__ import annotations

import hashlib

from core import TrackingRequest

ORDER_ID_LENGTH = 100
"""``log_conversion.idorder`` is VARCHAR(100): a longer ``ec_id`` is cut to its first 100 characters."""

BUYER_NONE = 0
BUYER_ORDERED = 1
BUYER_OPEN_CART = 2
BUYER_ORDERED_AND_OPEN_CART = 3


def is_ecommerce(request: TrackingRequest) -> bool:
    """``idgoal=0``, except for a heartbeat: a ping never converts."""
    return request.get_int("idgoal") == 0 and request.get_int("ping") != 1


def order_id(request: TrackingRequest) -> str | None:
    """The order id as stored (HTML-escaped like Matomo's, cut to 100 characters), or ``None``
    for a cart update."""
    value = request.get_str("ec_id")
    return value[:ORDER_ID_LENGTH] if value else None


def order_buster(idorder: str) -> int:
    """``log_conversion.buster`` of an order: the first 8 hex digits of md5(idorder), as a number."""
    return int(hashlib.md5(idorder.encode("utf-8")).hexdigest()[:8], 16)


def buyer_type(is_order: bool, before: int) -> int:
    """``visit_goal_buyer`` after this request, given the visit's value ``before`` it."""
    if is_order:
        return BUYER_ORDERED
    if before in (BUYER_ORDERED, BUYER_ORDERED_AND_OPEN_CART):
        return BUYER_ORDERED_AND_OPEN_CART
    return BUYER_OPEN_CART
