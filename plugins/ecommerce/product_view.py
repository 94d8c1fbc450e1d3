"""Product views: the product a page (or any other action) was about, from ``_pks``, ``_pkn``,
``_pkc`` and ``_pkp`` (spec §2, §10.7).

SKU, name and categories are stored raw (not HTML-escaped, spec §7.4) in ``log_action`` with
types 5, 6 and 7; the action row keeps their ids. A parameter that is absent leaves its column
NULL, one that is sent empty gives id 0. ``_pkc`` is one category, or a JSON array of up to five
when it starts with ``["``. ``product_price`` holds a numeric ``_pkp`` and is NULL otherwise.
matomo.js repeats the last product view's parameters on every later request of the page, so
events, downloads and the like carry them too, as in Matomo.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from core import UNCHANGED, Action, ActionDimension, ActionType, TrackingRequest, Visitor, columns, unsanitize

CATEGORY_LEVELS = 5
MAX_NAME_LENGTH = 4096
"""``log_action.name`` is VARCHAR(4096); Matomo relies on MySQL to cut longer names, we cut them."""
_CATEGORIES_KEY = "ecommerce_product_view_categories"


def raw_parameter(request: TrackingRequest, name: str) -> str | None:
    """The parameter as Matomo stores it here: sanitised like every string, then unescaped again.
    ``None`` when it is absent, ``""`` when it is empty or not a string."""
    if name not in request.params:
        return None
    return unsanitize(request.get_str(name, ""))


def categories(request: TrackingRequest) -> list[str] | None:
    """The categories of ``_pkc``, first level first (cached for the five category columns)."""
    if _CATEGORIES_KEY not in request.extra:
        request.extra[_CATEGORIES_KEY] = _split_categories(raw_parameter(request, "_pkc"))
    return request.extra[_CATEGORIES_KEY]


def _split_categories(text: str | None) -> list[str] | None:
    if text is None:
        return None
    if not text.startswith('["'):
        return [text]
    try:
        decoded = json.loads(text)
    except ValueError:
        return []
    if not isinstance(decoded, list) or not _encodable(decoded):
        return []
    found = [_category_text(item) for item in decoded]
    # Empty entries, "0" included as PHP's array_filter drops it, do not take a level.
    return [item for item in found if item and item != "0"]


def _category_text(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, bool) or not isinstance(item, (int, float)):
        return ""
    return str(int(item)) if isinstance(item, float) and item.is_integer() else str(item)


def _encodable(decoded: list) -> bool:
    """False when the JSON held a lone UTF-16 surrogate (``"\\ud800"``): such text cannot be stored,
    and PHP's decoder refuses the whole array for it."""
    try:
        json.dumps(decoded, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _name(text: str | None) -> Any:
    return UNCHANGED if text is None else text[:MAX_NAME_LENGTH]


class _ProductName(ActionDimension):
    column_type = columns.UnsignedInt()
    parameter: ClassVar[str] = ""

    def on_lookup_action(self, request: TrackingRequest, action: Action) -> Any:
        return _name(raw_parameter(request, self.parameter))


class ProductViewSku(_ProductName):
    column_name = "idaction_product_sku"
    action_type = ActionType.ECOMMERCE_ITEM_SKU
    parameter = "_pks"


class ProductViewName(_ProductName):
    column_name = "idaction_product_name"
    action_type = ActionType.ECOMMERCE_ITEM_NAME
    parameter = "_pkn"


class _ProductViewCategory(ActionDimension):
    column_type = columns.UnsignedInt()
    action_type = ActionType.ECOMMERCE_ITEM_CATEGORY
    level: ClassVar[int] = 1

    def on_lookup_action(self, request: TrackingRequest, action: Action) -> Any:
        found = categories(request)
        if found is None or len(found) < self.level:
            return UNCHANGED
        return _name(found[self.level - 1])


class ProductViewCategory(_ProductViewCategory):
    column_name = "idaction_product_cat"
    level = 1


class ProductViewCategory2(_ProductViewCategory):
    column_name = "idaction_product_cat2"
    level = 2


class ProductViewCategory3(_ProductViewCategory):
    column_name = "idaction_product_cat3"
    level = 3


class ProductViewCategory4(_ProductViewCategory):
    column_name = "idaction_product_cat4"
    level = 4


class ProductViewCategory5(_ProductViewCategory):
    column_name = "idaction_product_cat5"
    level = 5


class ProductViewPrice(ActionDimension):
    column_name = "product_price"
    column_type = columns.Double()

    def on_new_action(self, request: TrackingRequest, visitor: Visitor, action: Action) -> Any:
        return request.get_float("_pkp")


DIMENSIONS = [ProductViewSku, ProductViewName, ProductViewCategory, ProductViewCategory2, ProductViewCategory3,
              ProductViewCategory4, ProductViewCategory5, ProductViewPrice]
