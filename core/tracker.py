"""The tracker: runs one request through the stages, in order, and writes it in one transaction.

The core knows the order of the stages and how visits, actions and their rows are stored;
everything else (which columns exist, what an action is, what is excluded) comes from plugins.
"""

from __future__ import annotations

import enum
import logging
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Connection

from core.action import Action, ActionName, choose_action
from core.context import TrackingContext
from core.db import Database
from core.dimensions import (ActionDimension, ConversionDimension, Increment, UNCHANGED, VisitDimension,
                             sort_visit_dimensions)
from core.errors import InvalidRequest
from core.fingerprint import DailySalts, config_id
from core.log_action import LogActionStore
from core.options import cache_version, general_salt
from core.plugins import LoadedPlugins, plugin_order
from core.request import TrackingRequest
from core.settings import Settings
from core.sites import Site, SiteCache
from core.statements import TrackerStatements
from core.tokens import TokenAuth
from core.visitor import Visitor

log = logging.getLogger("trackway.tracker")

CORE_VISIT_COLUMNS = ("idsite", "idvisitor", "config_id", "location_ip")


class TrackResult(enum.Enum):
    TRACKED = "tracked"
    EXCLUDED = "excluded"
    DROPPED = "dropped"
    """A plugin dropped the request on purpose (a heartbeat that would open a visit, say)."""
    EMPTY = "empty"


class _Dropped(Exception):
    """Rolls the request's transaction back when a plugin drops it."""


class DimensionSetupError(Exception):
    """A dimension whose column is missing from the database (its migration has not run)."""


class Tracker:
    """Long-lived: built once per process in the app's lifespan."""

    def __init__(self, settings: Settings, db: Database, plugins: LoadedPlugins) -> None:
        self.settings = settings
        self.db = db
        self.sql = TrackerStatements(db)
        self.log_actions = LogActionStore(db, self.sql)
        self.plugins = plugins
        self.hook = plugins.manager.hook
        tracker_settings = settings.section("Tracker")
        self.visit_length = tracker_settings["visit_standard_length"]
        self.look_back = max(self.visit_length, tracker_settings["window_look_back_for_visitor"])
        self.trust_cookies = tracker_settings["trust_visitors_cookies"]
        self.new_visit_after_midnight = tracker_settings["create_new_visit_after_midnight"]
        self.max_actions_per_visit = tracker_settings["create_new_visit_after_x_actions"]
        self.across_websites = tracker_settings["enable_fingerprinting_across_websites"]
        self.userid_overwrites = tracker_settings["enable_userid_overwrites_visitorid"]
        self.always_new_visitor = settings.get("Debug", "tracker_always_new_visitor")

        self.sites = SiteCache(db, tracker_settings["tracker_cache_file_ttl"], self._enrich_site,
                               lambda conn: cache_version(conn, db), on_version_change=self.reload_schema)
        self.salts = DailySalts(db)
        self.general_salt = general_salt(db)
        self.auth = TokenAuth(db, self.general_salt)
        self.visit_dimensions, self.action_dimensions, self.conversion_dimensions = self._collect_dimensions()
        self._lookup_dimensions = [d for d in self.action_dimensions if d.action_type is not None]
        self._value_dimensions = [d for d in self.action_dimensions if d.action_type is None]
        self._visit_columns = db.columns("log_visit")
        self._action_columns = db.columns("log_link_visit_action")
        self.hook.startup(tracker=self)

    def reload_schema(self) -> None:
        """Re-read the log tables' columns when they changed (a console command added a custom
        dimension's column, say). Runs when the cache version changes, so it is rare."""
        fresh = Database(self.db.engine, self.db.prefix)
        fresh.reflect()
        if all(fresh.columns(t) == self.db.columns(t) for t in ("log_visit", "log_link_visit_action", "log_conversion")):
            return
        self.db.tables, self.db.metadata = fresh.tables, fresh.metadata
        self.sql = TrackerStatements(self.db)
        self.log_actions.statements = self.sql
        self._visit_columns = self.db.columns("log_visit")
        self._action_columns = self.db.columns("log_link_visit_action")
        log.info("log table columns changed: reloaded")

    def close(self) -> None:
        self.hook.shutdown(tracker=self)
        self.db.engine.dispose()

    # -- set-up ----------------------------------------------------------------------------------

    def _collect_dimensions(self) -> tuple[list[VisitDimension], list[ActionDimension], list[ConversionDimension]]:
        order = plugin_order(self.plugins)
        impls = sorted(self.hook.register_dimensions.get_hookimpls(), key=lambda impl: order.get(impl.plugin_name, 1 << 30))
        visit, action, conversion = [], [], []
        for impl in impls:
            for cls in impl.function() or ():
                dimension = cls() if isinstance(cls, type) else cls
                self._check_column(impl.plugin_name, dimension)
                if isinstance(dimension, VisitDimension):
                    visit.append(dimension)
                elif isinstance(dimension, ActionDimension):
                    action.append(dimension)
                elif isinstance(dimension, ConversionDimension):
                    conversion.append(dimension)
                else:
                    raise DimensionSetupError(f"plugin {impl.plugin_name}: {cls!r} is not a dimension class")
        return sort_visit_dimensions(visit), action, conversion

    def _check_column(self, plugin: str, dimension: Any) -> None:
        tables = [dimension.table]
        if isinstance(dimension, VisitDimension) and dimension.copies_to_conversions():
            tables.append("log_conversion")
        for table in tables:
            if dimension.column_name not in self.db.columns(table):
                raise DimensionSetupError(
                    f"plugin {plugin}: dimension {dimension.name} fills {table}.{dimension.column_name}, which the "
                    f"database does not have; run `trackway core:update` to apply the plugin's migrations")

    def _enrich_site(self, site: Site, conn: Connection) -> None:
        for extra in self.hook.site_attributes(site=site, connection=conn, tracker=self):
            if extra:
                site.attributes.update(extra)
        excluded: list[str] = []
        for names in self.hook.excluded_query_parameters(site=site):
            excluded.extend(names or ())
        site.attributes["excluded_query_parameters"] = excluded

    def new_request(self, params: dict[str, Any], **kwargs: Any) -> TrackingRequest:
        """A TrackingRequest bound to this tracker's settings and token checks."""
        return TrackingRequest(params, settings=self.settings, auth_checker=self.auth.can_write, **kwargs)

    # -- the stages ------------------------------------------------------------------------------

    def track(self, request: TrackingRequest) -> TrackResult:
        """Process one request. Raises ``TrackingError`` (nothing stored) for an invalid one."""
        if not request.params:
            return TrackResult.EMPTY
        site = self.sites.get(request.idsite)
        self.hook.prepare_request(request=request, site=site)
        request.timestamp, request.ip  # the authenticated parameters fail here, before any exclusion
        visitor_id, id_source = request.visitor_id

        reason = self.exclusion_reason(request, site)
        if reason is not None:
            self._notify(self.hook.request_excluded, request=request, reason=reason)
            return TrackResult.EXCLUDED

        device = self.hook.device_fingerprint(request=request)
        configuration_id = self._config_id(request, site, device)
        action = self.choose_action(request, site)

        lock_keys = [f"visitor:{site.idsite}:{configuration_id.hex()}"]
        if visitor_id is not None:
            lock_keys.append(f"visitor:{site.idsite}:{visitor_id.hex()}")
        try:
            with self.db.transaction(lock_keys) as conn:
                context = self._identify(conn, request, site, configuration_id, visitor_id, id_source, action)
                if any(self.hook.process_request(context=context)):
                    raise _Dropped
                if any(self.hook.after_request_processed(context=context)):
                    raise _Dropped
                if context.action is not None:
                    self._resolve_action_ids(conn, context)
                self._compute_visit(context)
                self._write(conn, context)
                self.hook.record(context=context, connection=conn)
        except _Dropped:
            return TrackResult.DROPPED
        self.log_actions.remember(context.learnt_action_ids)
        self._notify(self.hook.request_tracked, context=context)
        return TrackResult.TRACKED

    @staticmethod
    def _notify(hook: Any, **kwargs: Any) -> None:
        """Call every implementation of a notification hook, each on its own: the request's fate
        is decided, so one plugin's failure is logged and must not keep the others from running."""
        for impl in reversed(hook.get_hookimpls()):
            try:
                impl.function(*(kwargs[name] for name in impl.argnames))
            except Exception:
                log.exception("plugin %s failed in %s", impl.plugin_name, hook.name)

    def exclusion_reason(self, request: TrackingRequest, site: Site) -> str | None:
        if not request.get_int("rec"):
            return "rec_missing"
        return self.hook.exclusion_reason(request=request, site=site)

    def choose_action(self, request: TrackingRequest, site: Site) -> Action | None:
        """The highest-priority action the plugins build; ``ca=1`` (a custom action) may not fall
        back to the page view. Matomo answers that case with a plain 500; we answer 400, since the
        request, not the server, is at fault."""
        action = choose_action(self.hook.build_action(request=request, site=site))
        if request.get_int("ca") == 1 and (action is None or action.priority < 0):
            raise InvalidRequest("The request was meant to track a custom action (ca=1), but no plugin handles it: "
                                 "send e_c and e_a for an event, c_n for a content, or drop ca=1.")
        return action

    def _config_id(self, request: TrackingRequest, site: Site, device: dict | None) -> bytes:
        daily = None
        if not self.across_websites and self.new_visit_after_midnight:
            date = site.local_date(request.time)
            daily = self.salts.get(site.idsite, date) + date
        return config_id(request, device, general_salt=self.general_salt, daily_salt=daily,
                         idsite=None if self.across_websites else site.idsite)

    def _identify(self, conn: Connection, request: TrackingRequest, site: Site, configuration_id: bytes,
                  visitor_id: bytes | None, id_source: str | None, action: Action | None) -> TrackingContext:
        stored = self._find_visit(conn, request, site, configuration_id, visitor_id, id_source)
        if stored is not None and 0 < self.max_actions_per_visit <= (stored.get("visit_total_actions") or 0):
            stored = None
        is_new = self._is_new_visit(request, site, stored)
        context = TrackingContext(request=request, site=site, tracker=self, visitor=None, action=action,  # type: ignore[arg-type]
                                  is_new_visit=is_new, visitor_id_source=id_source)
        context.extra["config_id"] = configuration_id
        context.extra["visitor_id"] = visitor_id
        self._start_visitor(context, stored)
        if not is_new and self._forced_new_visit(context):
            context.is_new_visit = True
            self._start_visitor(context, stored)
        return context

    def _start_visitor(self, context: TrackingContext, stored: dict | None) -> None:
        request = context.request
        visitor_id = context.extra["visitor_id"]
        if context.is_new_visit:
            if stored is not None:
                idvisitor = stored["idvisitor"]
            else:
                idvisitor = visitor_id if visitor_id is not None else secrets.token_bytes(8)
            values = {"idsite": context.site.idsite, "idvisitor": idvisitor,
                      "config_id": context.extra["config_id"], "location_ip": request.ip_bytes}
        else:
            values = dict(stored)
            if visitor_id is not None:
                values["idvisitor"] = visitor_id
        context.visitor = Visitor(stored, is_new_visit=context.is_new_visit, values=values)

    def _find_visit(self, conn: Connection, request: TrackingRequest, site: Site, configuration_id: bytes,
                    visitor_id: bytes | None, id_source: str | None) -> dict | None:
        sql = self.sql
        now = request.time
        window = {"idsite": site.idsite, "look_ahead": now + timedelta(seconds=self.visit_length)}

        def by_visitor_id() -> dict | None:
            return self._first(conn, sql.visit_by_visitor_id, {**window, "idvisitor": visitor_id})

        def by_config_id() -> dict | None:
            params = {**window, "look_back": now - timedelta(seconds=self.look_back), "config_id": configuration_id}
            if request.user_id:
                return self._first(conn, sql.visit_by_config_id_and_user, {**params, "user_id": request.user_id})
            return self._first(conn, sql.visit_by_config_id, params)

        trust = self.trust_cookies or site.type == "intranet"
        if visitor_id is not None and (trust or id_source == "cid"):
            return by_visitor_id()
        if visitor_id is None:
            return by_config_id()
        return by_visitor_id() or by_config_id()

    @staticmethod
    def _first(conn: Connection, statement: Any, params: dict) -> dict | None:
        row = conn.execute(statement, params).mappings().first()
        return dict(row) if row is not None else None

    def _is_new_visit(self, request: TrackingRequest, site: Site, stored: dict | None) -> bool:
        if stored is None or request.get_int("new_visit") or self.always_new_visitor:
            return True
        last = stored["visit_last_action_time"]
        if last <= request.time - timedelta(seconds=self.visit_length):
            return True
        if self.new_visit_after_midnight and site.local_date(last) != site.local_date(request.time):
            return True
        if not self.userid_overwrites:
            stored_uid = stored.get("user_id")
            if stored_uid and request.user_id and stored_uid != request.user_id:
                return True
        return False

    def _forced_new_visit(self, context: TrackingContext) -> bool:
        request, visitor, action = context.request, context.visitor, context.action
        if any(d.should_force_new_visit(request, visitor, action) for d in self.visit_dimensions):
            return True
        return any(self.hook.should_force_new_visit(context=context))

    def _resolve_action_ids(self, conn: Connection, context: TrackingContext) -> None:
        action = context.action
        wanted: dict[str, ActionName] = {col: n for col, n in action.names.items() if n is not None}
        for dimension in self._lookup_dimensions:
            name = dimension.on_lookup_action(context.request, action)
            if name is not UNCHANGED and name is not None:
                wanted[dimension.column_name] = name if isinstance(name, ActionName) else ActionName(
                    str(name), dimension.action_type)
        ids = self.log_actions.resolve(conn, wanted.values(), context.learnt_action_ids)
        for column, name in wanted.items():
            action.ids[column] = ids[(name.name, name.type)]
        for column, name in action.names.items():
            if name is None:
                action.ids[column] = None

    def _compute_visit(self, context: TrackingContext) -> None:
        request, visitor, action = context.request, context.visitor, context.action
        increments: dict[str, Increment] = {}
        hook_name = "on_new_visit" if context.is_new_visit else "on_existing_visit"
        passes = [hook_name, "on_converted_visit"] if context.converted else [hook_name]
        for method in passes:
            for dimension in self.visit_dimensions:
                value = getattr(dimension, method)(request, visitor, action)
                if value is UNCHANGED:
                    continue
                column = dimension.column_name
                if isinstance(value, Increment):
                    visitor.set(column, value.applied_to(visitor.previous(column)))
                    increments[column] = value
                else:
                    visitor.set(column, value)
                    increments.pop(column, None)
        context.extra["increments"] = increments

    def _write(self, conn: Connection, context: TrackingContext) -> None:
        visitor = context.visitor
        values = {k: v for k, v in visitor.values.items() if k in self._visit_columns}
        if context.is_new_visit:
            values.pop("idvisit", None)
            context.idvisit = conn.execute(self.sql.insert_visit, values).inserted_primary_key[0]
            visitor.set("idvisit", context.idvisit)
            self._write_action(conn, context)
            return
        context.idvisit = visitor.previous("idvisit")
        self._write_action(conn, context)
        increments: dict[str, Increment] = context.extra["increments"]
        stored = visitor.stored
        changed = tuple(column for column, value in values.items()
                        if column not in increments and stored.get(column) != value)
        incremented = tuple(column for column in increments if column in self._visit_columns)
        if changed or incremented:
            params = {"w_idsite": context.site.idsite, "w_idvisit": context.idvisit}
            params.update({"v_" + column: values[column] for column in changed})
            params.update({"i_" + column: increments[column].by for column in incremented})
            conn.execute(self.sql.update_visit(changed, incremented), params)

    def _write_action(self, conn: Connection, context: TrackingContext) -> None:
        action = context.action
        if action is None:
            return
        request, visitor = context.request, context.visitor
        row: dict[str, Any] = {"idsite": context.site.idsite, "idvisitor": visitor.get("idvisitor"),
                               "idvisit": context.idvisit}
        for dimension in self._lookup_dimensions:
            if dimension.column_name in action.ids:
                row[dimension.column_name] = action.ids[dimension.column_name]
        for dimension in self._value_dimensions:
            value = dimension.on_new_action(request, visitor, action)
            if value is not UNCHANGED:
                row[dimension.column_name] = value
        row.update(action.row_values)
        row = {k: v for k, v in row.items() if k in self._action_columns}
        context.action_row = row
        context.idlink_va = conn.execute(self.sql.insert_action, row).inserted_primary_key[0]
