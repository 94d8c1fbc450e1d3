"""Core tables: the log tables' core columns, sites, goals, options, tokens, tracking failures.

Columns that a plugin's dimensions fill (``visit_total_time``, ``config_os``, ...) are not
here: each plugin adds its own on its own branch.

Revision ID: core_0001
Revises:
Create Date: 2026-11-29
"""

from alembic import op
import sqlalchemy as sa

from core import columns as c
from core.migration import MYSQL_TABLE_OPTIONS as OPTS, index, table

revision = "core_0001"
down_revision = None
branch_labels = ("core",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        table("log_visit"),
        sa.Column("idvisit", c.UnsignedBigInt(), primary_key=True, autoincrement=True),
        sa.Column("idsite", c.UnsignedInt(), nullable=False),
        sa.Column("idvisitor", c.Binary(8), nullable=False),
        sa.Column("visit_last_action_time", c.DateTime(), nullable=False),
        sa.Column("config_id", c.Binary(8), nullable=False),
        sa.Column("location_ip", c.VarBinary(16), nullable=False),
        **OPTS,
    )
    op.create_index(index("index_idsite_config_datetime"), table("log_visit"),
                    ["idsite", "config_id", "visit_last_action_time"])
    op.create_index(index("index_idsite_datetime"), table("log_visit"), ["idsite", "visit_last_action_time"])
    op.create_index(index("index_idsite_idvisitor_time"), table("log_visit"),
                    ["idsite", "idvisitor", sa.text("visit_last_action_time DESC")])

    op.create_table(
        table("log_link_visit_action"),
        sa.Column("idlink_va", c.UnsignedBigInt(), primary_key=True, autoincrement=True),
        sa.Column("idsite", c.UnsignedInt(), nullable=False),
        sa.Column("idvisitor", c.Binary(8), nullable=False),
        sa.Column("idvisit", c.UnsignedBigInt(), nullable=False),
        sa.Column("idaction_url_ref", c.UnsignedInt(), nullable=True, server_default="0"),
        sa.Column("idaction_name_ref", c.UnsignedInt(), nullable=True),
        sa.Column("custom_float", c.Double(), nullable=True),
        sa.Column("pageview_position", c.UnsignedMediumInt(), nullable=True),
        **OPTS,
    )
    op.create_index(index("index_idvisit"), table("log_link_visit_action"), ["idvisit"])

    op.create_table(
        table("log_action"),
        sa.Column("idaction", c.UnsignedInt(), primary_key=True, autoincrement=True),
        sa.Column("name", c.VarChar(4096)),
        sa.Column("hash", c.UnsignedInt32(), nullable=False),
        sa.Column("type", c.UnsignedTinyInt()),
        sa.Column("url_prefix", c.TinyInt(2)),
        **OPTS,
    )
    op.create_index(index("index_type_hash"), table("log_action"), ["type", "hash"])

    op.create_table(
        table("log_conversion"),
        sa.Column("idvisit", c.UnsignedBigInt(), nullable=False, primary_key=True, autoincrement=False),
        sa.Column("idsite", c.UnsignedInt(), nullable=False),
        sa.Column("idvisitor", c.Binary(8), nullable=False),
        sa.Column("server_time", c.DateTime(), nullable=False),
        sa.Column("idaction_url", c.UnsignedInt()),
        sa.Column("idlink_va", c.UnsignedBigInt()),
        sa.Column("idgoal", sa.Integer(), nullable=False, primary_key=True, autoincrement=False),
        sa.Column("buster", c.UnsignedInt(), nullable=False, primary_key=True, autoincrement=False),
        sa.Column("idorder", c.VarChar(100)),
        sa.Column("items", c.UnsignedSmallInt()),
        sa.Column("url", c.VarChar(4096), nullable=False),
        sa.Column("revenue", sa.Float()),
        sa.Column("revenue_shipping", c.Double()),
        sa.Column("revenue_subtotal", c.Double()),
        sa.Column("revenue_tax", c.Double()),
        sa.Column("revenue_discount", c.Double()),
        sa.Column("pageviews_before", c.UnsignedSmallInt()),
        sa.UniqueConstraint("idsite", "idorder", name=index("unique_idsite_idorder")),
        **OPTS,
    )
    op.create_index(index("index_idsite_datetime_conversion"), table("log_conversion"), ["idsite", "server_time"])

    op.create_table(
        table("log_conversion_item"),
        sa.Column("idsite", c.UnsignedInt(), nullable=False),
        sa.Column("idvisitor", c.Binary(8), nullable=False),
        sa.Column("server_time", c.DateTime(), nullable=False),
        sa.Column("idvisit", c.UnsignedBigInt(), nullable=False, primary_key=True, autoincrement=False),
        sa.Column("idorder", c.VarChar(100), nullable=False, primary_key=True),
        sa.Column("idaction_sku", c.UnsignedInt(), nullable=False, primary_key=True, autoincrement=False),
        sa.Column("idaction_name", c.UnsignedInt(), nullable=False),
        sa.Column("idaction_category", c.UnsignedInt(), nullable=False),
        sa.Column("idaction_category2", c.UnsignedInt(), nullable=False),
        sa.Column("idaction_category3", c.UnsignedInt(), nullable=False),
        sa.Column("idaction_category4", c.UnsignedInt(), nullable=False),
        sa.Column("idaction_category5", c.UnsignedInt(), nullable=False),
        sa.Column("price", c.Double(), nullable=False),
        sa.Column("quantity", c.UnsignedInt(), nullable=False),
        sa.Column("deleted", c.TinyInt(1), nullable=False),
        **OPTS,
    )
    op.create_index(index("index_idsite_servertime_item"), table("log_conversion_item"), ["idsite", "server_time"])

    op.create_table(
        table("site"),
        sa.Column("idsite", c.UnsignedInt(), primary_key=True, autoincrement=True),
        sa.Column("name", c.VarChar(90), nullable=False),
        sa.Column("main_url", c.VarChar(255), nullable=False),
        sa.Column("ts_created", sa.DateTime(), nullable=True),
        sa.Column("ecommerce", c.TinyInt(), server_default="0"),
        sa.Column("sitesearch", c.TinyInt(), server_default="1"),
        sa.Column("sitesearch_keyword_parameters", sa.Text(), nullable=False, server_default=""),
        sa.Column("sitesearch_category_parameters", sa.Text(), nullable=False, server_default=""),
        sa.Column("timezone", c.VarChar(50), nullable=False),
        sa.Column("currency", c.Char(3), nullable=False),
        sa.Column("exclude_unknown_urls", c.TinyInt(1), server_default="0"),
        sa.Column("excluded_ips", sa.Text(), nullable=False, server_default=""),
        sa.Column("excluded_parameters", sa.Text(), nullable=False, server_default=""),
        sa.Column("excluded_user_agents", sa.Text(), nullable=False, server_default=""),
        sa.Column("excluded_referrers", sa.Text(), nullable=False, server_default=""),
        sa.Column("group", c.VarChar(250), nullable=False, server_default=""),
        sa.Column("type", c.VarChar(255), nullable=False, server_default="website"),
        sa.Column("keep_url_fragment", c.TinyInt(), nullable=False, server_default="0"),
        sa.Column("creator_login", c.VarChar(100), nullable=True),
        **OPTS,
    )
    op.create_table(
        table("site_url"),
        sa.Column("idsite", c.UnsignedInt(), primary_key=True, autoincrement=False),
        sa.Column("url", c.VarChar(190), primary_key=True),
        **OPTS,
    )
    op.create_table(
        table("goal"),
        sa.Column("idsite", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("idgoal", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("name", c.VarChar(50), nullable=False),
        sa.Column("description", c.VarChar(255), nullable=False, server_default=""),
        sa.Column("match_attribute", c.VarChar(20), nullable=False),
        sa.Column("pattern", c.VarChar(255), nullable=False),
        sa.Column("pattern_type", c.VarChar(25), nullable=False),
        sa.Column("case_sensitive", c.TinyInt(), nullable=False),
        sa.Column("allow_multiple", c.TinyInt(), nullable=False),
        sa.Column("revenue", c.Double(), nullable=False),
        sa.Column("deleted", c.TinyInt(), nullable=False, server_default="0"),
        sa.Column("event_value_as_revenue", c.TinyInt(), nullable=False, server_default="0"),
        **OPTS,
    )
    op.create_table(
        table("option"),
        sa.Column("option_name", c.VarChar(191), primary_key=True),
        sa.Column("option_value", c.LongText(), nullable=False),
        sa.Column("autoload", c.TinyInt(), nullable=False, server_default="1"),
        **OPTS,
    )
    op.create_index(index("autoload"), table("option"), ["autoload"])
    op.create_table(
        table("tracking_failure"),
        sa.Column("idsite", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("idfailure", sa.SmallInteger(), primary_key=True, autoincrement=False),
        sa.Column("date_first_occurred", c.DateTime(), nullable=False),
        sa.Column("request_url", c.LongText(), nullable=False),
        **OPTS,
    )
    op.create_table(
        table("user"),
        sa.Column("login", c.VarChar(100), primary_key=True),
        sa.Column("superuser_access", c.TinyInt(2), nullable=False, server_default="0"),
        sa.Column("date_registered", sa.DateTime(), nullable=True),
        **OPTS,
    )
    op.create_table(
        table("user_token_auth"),
        sa.Column("idusertokenauth", c.UnsignedBigInt(), primary_key=True, autoincrement=True),
        sa.Column("login", c.VarChar(100), nullable=False),
        sa.Column("description", c.VarChar(100), nullable=False),
        sa.Column("password", c.VarChar(191), nullable=False, unique=True),
        sa.Column("hash_algo", c.VarChar(30), nullable=False),
        sa.Column("date_created", sa.DateTime(), nullable=False),
        sa.Column("last_used", sa.DateTime(), nullable=True),
        **OPTS,
    )
    op.create_table(
        table("access"),
        sa.Column("idaccess", c.UnsignedInt(), primary_key=True, autoincrement=True),
        sa.Column("login", c.VarChar(100), nullable=False),
        sa.Column("idsite", c.UnsignedInt(), nullable=False),
        sa.Column("access", c.VarChar(50), nullable=True),
        **OPTS,
    )
    op.create_index(index("index_loginidsite"), table("access"), ["login", "idsite"])


def downgrade() -> None:
    for name in ("access", "user_token_auth", "user", "tracking_failure", "option", "goal", "site_url", "site",
                 "log_conversion_item", "log_conversion", "log_action", "log_link_visit_action", "log_visit"):
        op.drop_table(table(name))
