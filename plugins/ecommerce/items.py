"""The items of an order or cart update, read from ``ec_items`` (spec §10.8 "``ec_items``").

``ec_items`` is a JSON array of ``[sku, name, category, price, quantity]`` arrays. Text is stored
raw (HTML entities decoded, not escaped, spec §7.4) and trimmed. The rules follow Matomo's,
including PHP's idea of an "empty" value (``0``, ``"0"``, ``""``, ``false``, ``[]``):

- an item without a SKU is skipped; a SKU or name sent as an array is joined with ``,``;
- the category is one text, or an array whose non-empty entries fill up to five levels;
- the price is kept when it is a number (rounded to cents), else 0;
- the quantity is a number cut to an integer; anything that is not a positive number is 1.

Malformed JSON and empty values mean "no items". A JSON scalar (``5``, ``"abc"``, ``true``)
makes Matomo skip the conversion: :func:`parse_items` then returns ``None``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core import TrackingRequest, unsanitize

from plugins.ecommerce.product_view import CATEGORY_LEVELS, MAX_NAME_LENGTH

MAX_ITEMS = 500
"""Items kept per request; later ones are dropped. Every new SKU, name and category takes a
``log_action`` row and a lock while the request's transaction lasts, so an unbounded list (a
10,000-item order) would hold thousands of locks; real orders stay far below this."""
MAX_QUANTITY = 2**31 - 1
"""``log_conversion_item.quantity`` is INT UNSIGNED; PostgreSQL's INTEGER stops here."""
MAX_ITEMS_COUNT = 65535
"""``log_conversion.items`` is SMALLINT UNSIGNED."""
_PHP_NUMERIC = re.compile(r"[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*")
CENT = Decimal("0.01")
_TRIMMED = " \t\n\r\0\x0b"
_CACHE_KEY = "ecommerce_items"


@dataclass(frozen=True)
class Item:
    sku: str
    name: str
    categories: tuple[str, ...]
    """Up to five levels, first level first; an empty text stands for "no category"."""
    price: float
    quantity: int


def parse_items(request: TrackingRequest) -> list[Item] | None:
    """The request's items (at most :data:`MAX_ITEMS`), or ``None`` when ``ec_items`` is a JSON
    scalar and the conversion must be skipped. Computed once per request."""
    if _CACHE_KEY not in request.extra:
        request.extra[_CACHE_KEY] = _parse(request.get_json("ec_items"))
    return request.extra[_CACHE_KEY]


def items_count(items: list[Item] | None) -> int:
    """``log_conversion.items``: the sum of the quantities, as far as the column can hold it."""
    return min(sum(item.quantity for item in items or ()), MAX_ITEMS_COUNT)


def round_amount(value: float) -> float:
    """Matomo's revenue rounding: whole amounts stay as they are, others are rounded to cents,
    halves away from zero as PHP rounds (7.125 -> 7.13, where Python's ``round`` gives 7.12)."""
    if value.is_integer():
        return value
    return float(Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP))


def _parse(decoded: Any) -> list[Item] | None:
    if _is_empty(decoded):
        return []
    if isinstance(decoded, dict):  # PHP decodes an object to an array too, and walks its values
        decoded = list(decoded.values())
    if not isinstance(decoded, list):
        return None
    items: list[Item] = []
    for entry in decoded:
        item = _item(entry)
        if item is not None:
            items.append(item)
            if len(items) == MAX_ITEMS:
                break
    return items


def _item(entry: Any) -> Item | None:
    if not isinstance(entry, list) or not entry or _is_empty(entry[0]):
        return None
    sku = _name(_joined(entry[0]))
    if not sku:
        return None
    name = _name(_joined(entry[1])) if len(entry) > 1 and not _is_empty(entry[1]) else ""
    category = entry[2] if len(entry) > 2 and not _is_empty(entry[2]) else ""
    price = _number(entry[3]) if len(entry) > 3 else None
    quantity = _number(entry[4]) if len(entry) > 4 and not _is_empty(entry[4]) else None
    return Item(sku=sku, name=name, categories=_categories(category),
                price=round_amount(price) if price is not None else 0.0, quantity=_quantity(quantity))


def _categories(category: Any) -> tuple[str, ...]:
    if not isinstance(category, list):
        return (_name(_text(category)),)
    found: list[str] = []
    for entry in category:
        text = _name(_text(entry))
        if text and text != "0":  # PHP's empty() also drops "0"
            found.append(text)
            if len(found) == CATEGORY_LEVELS:
                break
    return tuple(found)


def _quantity(value: float | None) -> int:
    if value is None or value < 1:
        return 1
    return min(int(value), MAX_QUANTITY)


def _number(value: Any) -> float | None:
    """A PHP ``is_numeric`` value as a finite float, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str) and _PHP_NUMERIC.fullmatch(value):
        number = float(value)
    else:
        return None
    return number if math.isfinite(number) else None


def _joined(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(_text(entry) for entry in value)
    return _text(value)


def _text(value: Any) -> str:
    """A JSON scalar as PHP turns it into text (arrays and null give "")."""
    if isinstance(value, str):
        return unsanitize(value)
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return ""


def _name(text: str) -> str:
    return text.strip(_TRIMMED)[:MAX_NAME_LENGTH]


def _is_empty(value: Any) -> bool:
    """PHP's ``empty()``: null, false, 0, 0.0, "", "0" and empty arrays."""
    if value is None or value is False or value == "" or value == "0":
        return True
    if isinstance(value, (list, dict)):
        return not value
    return isinstance(value, (int, float)) and value == 0
