"""Ecommerce's product-view columns on the action row: the viewed product's SKU, name and up to
five categories (log_action ids) and its price.

Revision ID: ecommerce_0001
Revises:
Create Date: 2026-12-02
"""

from core import columns as c
from core.migration import add_columns, drop_columns

revision = "ecommerce_0001"
down_revision = None
branch_labels = ("Ecommerce",)
depends_on = "core_0001"

ID_COLUMNS = ["idaction_product_cat", "idaction_product_cat2", "idaction_product_cat3", "idaction_product_cat4",
              "idaction_product_cat5", "idaction_product_name", "idaction_product_sku"]


def upgrade() -> None:
    add_columns("log_link_visit_action",
                [(name, c.UnsignedInt(), {}) for name in ID_COLUMNS] + [("product_price", c.Double(), {})])


def downgrade() -> None:
    drop_columns("log_link_visit_action", ID_COLUMNS + ["product_price"])
