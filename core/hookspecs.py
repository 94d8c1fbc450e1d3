"""Every hook a trackway plugin can implement, one documented function each.

Implement a hook by defining a function of the same name, decorated with
``core.hookimpl``, in a module registered under the ``trackway.plugins`` entry-point group.
A plugin may take any subset of a hook's arguments. Start-up hooks come first, then the
per-request hooks roughly in the order a request meets them; ``docs/plugin_hooks.md`` gives the
exact order, describes each hook with a tested example, and a test checks that every hook here
is documented there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # pragma: no cover
    from core.action import Action
    from core.context import TrackingContext
    from core.request import TrackingRequest
    from core.settings import Setting
    from core.sites import Site
    from core.tracker import Tracker

hookspec = pluggy.HookspecMarker("trackway")


# -- start-up --------------------------------------------------------------------------------


@hookspec
def settings_schema() -> dict[str, dict[str, "Setting"]]:
    """Configuration sections and keys the plugin reads, with their defaults.

    Return ``{"SectionName": {"key": Setting(default, doc)}}``. Keys not declared by the core
    or a plugin are rejected at start-up, so a typo in ``config.toml`` never goes unnoticed.
    """


@hookspec
def register_dimensions() -> list[type]:
    """The ``VisitDimension``, ``ActionDimension`` and ``ConversionDimension`` classes the plugin provides."""


@hookspec
def startup(tracker: "Tracker") -> None:
    """The tracker is built: open long-lived resources (parsers, database readers) here, once."""


@hookspec
def shutdown(tracker: "Tracker") -> None:
    """The server is stopping: close what ``startup`` opened."""


@hookspec
def register_routes() -> list[Any]:
    """Extra Starlette routes (``starlette.routing.Route``) the plugin serves, under its own prefix."""


@hookspec
def site_attributes(site: "Site", connection: Any, tracker: "Tracker") -> dict[str, Any] | None:
    """Extra values kept with a site in the tracker cache (goals, for instance).

    Called when a site is loaded into the cache, with a database connection (and the tracker,
    whose ``db.table(name)`` respects the table prefix); the returned mapping is merged into
    ``site.attributes``. Keeps per-request database reads away.
    """


@hookspec
def excluded_query_parameters(site: "Site") -> list[str] | None:
    """Query parameters to strip from page URLs of this site before they are stored (campaign parameters, say)."""


# -- one tracking request, in order ----------------------------------------------------------


@hookspec
def prepare_request(request: "TrackingRequest", site: "Site") -> None:
    """First look at a request of a known site: a plugin may rewrite its parameters here
    (pseudonymising ``uid``, for instance). Raise ``InvalidRequest`` to refuse it."""


@hookspec(firstresult=True)
def exclusion_reason(request: "TrackingRequest", site: "Site") -> str | None:
    """Return a short reason (``"excluded_ip"``) to keep the request out of the logs, else ``None``.

    The first plugin that returns a reason wins. An excluded request is answered like a
    tracked one and stores nothing.
    """


@hookspec(firstresult=True)
def device_fingerprint(request: "TrackingRequest") -> dict[str, Any] | None:
    """The device facts that go into the visitor's config id: ``{"os": "LIN", "browser": "CH",
    "browser_version": "120.0", "is_internet_explorer": False}``. ``None`` means unknown (``UNK``)."""


@hookspec
def build_action(request: "TrackingRequest", site: "Site") -> "Action | None":
    """The ``Action`` this plugin sees in the request (page view, download, event, ...), or None.

    Every plugin may answer; the action with the highest ``priority`` wins (Matomo's order:
    download > outlink > event > content > site search > other kinds > page view). A request
    with ``ca=1`` that only the page view would take is refused; one with no action at all
    (a goal-only request, say) records no action row.
    """


@hookspec
def should_force_new_visit(context: "TrackingContext") -> bool | None:
    """Return True to start a new visit although the visitor's last visit is still ongoing."""


@hookspec
def process_request(context: "TrackingContext") -> bool | None:
    """The visit is identified (``context.visitor``) and the action built: adjust them here
    (drop the action for a goal-only request, note a conversion). Return True to drop the
    request silently: nothing is stored."""


@hookspec
def after_request_processed(context: "TrackingContext") -> bool | None:
    """Last change before dimensions are computed (anonymising the stored IP, say). Return True
    to drop the request silently."""


@hookspec
def record(context: "TrackingContext", connection: Any) -> None:
    """The visit and action rows are written; write the plugin's own rows (conversions) with
    ``connection``, inside the request's transaction."""


@hookspec
def conversion_values(context: "TrackingContext", kind: str, goal: Any) -> dict[str, Any] | None:
    """Extra ``log_conversion`` columns for each conversion row of the request: ``kind`` is
    ``"goal"``, ``"order"`` or ``"cart"``; ``goal`` the goal's definition (``None`` for ecommerce).
    For values known only at run time (custom dimensions); a fixed column is a ``ConversionDimension``
    or a visit dimension's ``on_any_goal_conversion``. Columns the table lacks are ignored."""


@hookspec
def request_tracked(context: "TrackingContext") -> None:
    """After the request's transaction committed: counters, logs, follow-up work. Must not fail."""


@hookspec
def request_excluded(request: "TrackingRequest", reason: str) -> None:
    """A request was excluded for ``reason``; nothing was stored."""


# -- console -----------------------------------------------------------------


@hookspec
def register_commands() -> list[Any]:
    """Console commands (``core.ConsoleCommand``) the plugin adds to ``trackway``."""


# -- location (UserCountry) --------------------------------------------------------------------


@hookspec
def register_location_providers() -> list[type] | None:
    """``core.LocationProvider`` subclasses; ``[UserCountry] location_provider`` picks one by its ``id``."""


# -- Referrers ---------------------------------------------------------------------------------


@hookspec
def referrer_search_engines() -> list[dict[str, Any]] | None:
    """Search engines to recognise in referrer URLs, in addition to the bundled list:
    ``[{"name": ..., "hosts": [...], "keyword_parameters": [...]}]``. Read once per process."""


@hookspec
def referrer_social_networks() -> list[dict[str, Any]] | None:
    """Social networks to recognise in referrer URLs, in addition to the bundled list:
    ``[{"name": ..., "hosts": [...]}]``. Read once per process."""
