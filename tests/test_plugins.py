"""The plugin manager (core/plugins.py) with real pluggy and small plugin modules built here."""

from __future__ import annotations

import types
from importlib.metadata import entry_points, version

import pytest

import core
from core import Action, ActionType, Setting, Site, TrackingRequest, hookimpl
from core.action import choose_action
from core.bootstrap import full_schema, load_configuration
from core.plugins import ENTRY_POINT_GROUP, PluginLoadError, load_plugins
from core.settings import ConfigError, load_settings

BUNDLED_NAMES = ("CoreHome", "Actions", "PrivacyManager")
BUNDLED = {"TRACKWAY_LOAD_PLUGINS": ",".join(BUNDLED_NAMES)}


def plugin_module(module_name: str, *functions) -> types.ModuleType:
    """A plugin as a module object holding the given hook implementations."""
    module = types.ModuleType(module_name)
    for function in functions:
        setattr(module, function.__name__, function)
    return module


def make_site(idsite: int = 1) -> Site:
    return Site(idsite=idsite, name="Shop", main_url="http://shop.test", timezone="UTC", currency="USD",
                ecommerce=False, sitesearch=True, sitesearch_keyword_parameters=[],
                sitesearch_category_parameters=[], exclude_unknown_urls=False, excluded_ips=[],
                excluded_parameters=[], excluded_user_agents=[], excluded_referrers=[], type="website",
                keep_url_fragment=0, urls=["http://shop.test"])


def settings_for(plugins, raw=None):
    return load_settings(full_schema(plugins), raw or {}, environ={})


def enabled_names(plugins) -> set[str]:
    return {info.name for info in plugins.enabled}


def implementers(plugins, hook_name: str) -> set[str]:
    return {impl.plugin_name for impl in getattr(plugins.manager.hook, hook_name).get_hookimpls()}


# -- invalid plugins -------------------------------------------------------------------------------


def test_a_hook_of_unknown_name_is_a_load_error_naming_the_plugin():
    @hookimpl
    def no_such_hook():
        return "never"

    module = plugin_module("trackway_test_unknown_hook", no_such_hook)

    with pytest.raises(PluginLoadError) as caught:
        load_plugins(environ=BUNDLED, extra_modules=[("UnknownHookPlugin", module)])

    assert "UnknownHookPlugin" in str(caught.value)
    assert "no_such_hook" in str(caught.value)


def test_an_optional_hook_of_unknown_name_is_accepted():
    @hookimpl(optionalhook=True)
    def maybe_later_hook():
        return "later"

    plugins = load_plugins(environ=BUNDLED, extra_modules=[("OptionalHook", plugin_module("tw_optional", maybe_later_hook))])

    assert "OptionalHook" in enabled_names(plugins)


def test_a_hook_argument_not_in_the_hookspec_is_a_load_error():
    @hookimpl
    def build_action(request, site, shopping_cart):
        return None

    with pytest.raises(PluginLoadError) as caught:
        load_plugins(environ=BUNDLED, extra_modules=[("BadArguments", plugin_module("tw_bad_args", build_action))])

    message = str(caught.value)
    assert "BadArguments" in message
    assert "shopping_cart" in message


def test_a_hook_may_take_a_subset_of_its_arguments():
    seen = []

    @hookimpl
    def exclusion_reason(request):
        seen.append(request.get_int("idsite"))
        return None

    plugins = load_plugins(environ=BUNDLED, extra_modules=[("Subset", plugin_module("tw_subset", exclusion_reason))])
    request = TrackingRequest({"idsite": "3", "rec": "1"}, settings=settings_for(plugins))

    assert plugins.manager.hook.exclusion_reason(request=request, site=make_site(3)) is None
    assert seen == [3]


def test_two_plugins_under_one_name_is_a_load_error_naming_it():
    @hookimpl
    def startup(tracker):
        pass

    first, second = plugin_module("tw_twin_a", startup), plugin_module("tw_twin_b", startup)

    with pytest.raises(PluginLoadError) as caught:
        load_plugins(environ=BUNDLED, extra_modules=[("Twin", first), ("Twin", second)])

    assert "Twin" in str(caught.value)


# -- enabling and disabling ------------------------------------------------------------------------


def test_core_home_cannot_be_disabled():
    with pytest.raises(PluginLoadError) as caught:
        load_plugins(disabled=["CoreHome"], environ=BUNDLED)

    message = str(caught.value)
    assert "CoreHome" in message and "essential" in message


def test_core_home_cannot_be_disabled_through_the_configuration(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[Plugins]\ndisabled = ["CoreHome"]\n')

    with pytest.raises(PluginLoadError, match="essential"):
        load_configuration({**BUNDLED, "TRACKWAY_CONFIG": str(config)})


def test_a_disabled_bundled_plugin_is_listed_but_not_enabled():
    plugins = load_plugins(disabled=["PrivacyManager"], environ=BUNDLED)

    info = plugins.info("PrivacyManager")
    assert info is not None and info.bundled
    assert info.enabled is False
    assert enabled_names(plugins) == {"CoreHome", "Actions"}
    assert "PrivacyManager" not in implementers(plugins, "after_request_processed")
    assert "PrivacyManager" not in implementers(plugins, "exclusion_reason")


def test_a_disabled_plugins_hooks_do_not_run():
    """PrivacyManager excludes a Do-Not-Track request when enabled; disabled, the same request is kept."""
    headers = {"dnt": "1"}
    site = make_site()

    enabled = load_plugins(environ=BUNDLED)
    settings = settings_for(enabled, {"PrivacyManager": {"do_not_track_enabled": True}})
    request = TrackingRequest({"idsite": "1", "rec": "1"}, headers=headers, settings=settings)
    assert enabled.manager.hook.exclusion_reason(request=request, site=site) == "do_not_track"

    disabled = load_plugins(disabled=["PrivacyManager"], environ=BUNDLED)
    request = TrackingRequest({"idsite": "1", "rec": "1"}, headers=headers, settings=settings_for(disabled))
    assert disabled.manager.hook.exclusion_reason(request=request, site=site) is None
    sections = [section for schema in disabled.manager.hook.settings_schema() for section in (schema or {})]
    assert "PrivacyManager" not in sections


def test_plugins_disabled_in_the_config_file(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[Plugins]\ndisabled = ["PrivacyManager"]\n')

    loaded = load_configuration({**BUNDLED, "TRACKWAY_CONFIG": str(config)})

    assert loaded.plugins.info("PrivacyManager").enabled is False
    assert loaded.plugins.info("Actions").enabled is True
    assert "PrivacyManager" not in loaded.settings.sections()


def test_plugins_disabled_by_environment_override(tmp_path):
    config = tmp_path / "empty.toml"
    config.write_text("")

    loaded = load_configuration({**BUNDLED, "TRACKWAY_CONFIG": str(config), "TRACKWAY_PLUGINS__DISABLED": "Actions"})

    assert enabled_names(loaded.plugins) == {"CoreHome", "PrivacyManager"}


def test_the_allow_list_loads_only_the_named_plugins_plus_core_home():
    plugins = load_plugins(environ={"TRACKWAY_LOAD_PLUGINS": "Actions"})

    assert enabled_names(plugins) == {"Actions", "CoreHome"}
    assert plugins.info("PrivacyManager").enabled is False
    assert plugins.info("PrivacyManager").module is None
    assert implementers(plugins, "register_dimensions") == {"Actions", "CoreHome"}


def test_an_empty_allow_list_loads_only_the_essential_plugin():
    plugins = load_plugins(environ={"TRACKWAY_LOAD_PLUGINS": ""})

    assert enabled_names(plugins) == {"CoreHome"}


def test_the_allow_list_and_disabled_combine():
    plugins = load_plugins(disabled=["Actions"], environ={"TRACKWAY_LOAD_PLUGINS": "Actions,PrivacyManager"})

    assert enabled_names(plugins) == {"CoreHome", "PrivacyManager"}


# -- discovery -------------------------------------------------------------------------------------


def test_bundled_plugins_are_found_through_entry_points():
    registered = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}

    for name in BUNDLED_NAMES:
        assert name in registered, f"{name} is not registered under {ENTRY_POINT_GROUP}"
        assert registered[name].dist is not None and registered[name].dist.name == "trackway"
        assert registered[name].value.startswith("plugins.")


def test_loaded_bundled_plugins_carry_distribution_and_version():
    plugins = load_plugins(environ=BUNDLED)

    for name in BUNDLED_NAMES:
        info = plugins.info(name)
        assert info is not None
        assert info.bundled and info.enabled
        assert info.distribution == "trackway"
        assert info.version == version("trackway")
        assert info.module is not None and info.module.__name__ == info.module_name
    assert plugins.info("CoreHome").migrations_dir is not None
    assert plugins.info("PrivacyManager").migrations_dir is None


def test_an_extra_plugin_module_is_enabled_and_not_bundled():
    @hookimpl
    def startup(tracker):
        pass

    plugins = load_plugins(environ=BUNDLED, extra_modules=[("Extra", plugin_module("tw_extra", startup))])

    info = plugins.info("Extra")
    assert info.enabled and not info.bundled
    assert "Extra" in implementers(plugins, "startup")


# -- hook ordering ---------------------------------------------------------------------------------


class Purchase(Action):
    kind = "purchase"


def build_request(plugins) -> TrackingRequest:
    return TrackingRequest({"idsite": "1", "rec": "1", "url": "http://shop.test/basket"}, settings=settings_for(plugins))


def chosen_action(plugins, **params):
    """The action the tracker would record: the highest-priority candidate of build_action."""
    request = build_request(plugins)
    request.params.update(params)
    return choose_action(plugins.manager.hook.build_action(request=request, site=make_site()))


def test_without_other_plugins_actions_builds_a_page_view():
    action = chosen_action(load_plugins(environ=BUNDLED))

    assert action.kind == "pageview"
    assert action.type == ActionType.PAGE_URL
    assert action.url == "http://shop.test/basket"


def test_a_plugin_kind_wins_over_the_page_view_and_the_higher_priority_wins():
    @hookimpl
    def build_action(request, site):
        return Purchase(type=ActionType.EVENT_CATEGORY, url=request.get_raw("url"))

    class Download(Action):
        kind = "download"
        priority = 50

    @hookimpl
    def build_download(request, site):
        return Download(type=ActionType.DOWNLOAD, url=request.get_raw("download")) if request.has("download") else None

    downloads = types.ModuleType("tw_downloads")
    downloads.build_action = build_download
    plugins = load_plugins(environ=BUNDLED, extra_modules=[("Purchases", plugin_module("tw_purchases", build_action)),
                                                           ("Downloads", downloads)])

    purchase = chosen_action(plugins)
    assert isinstance(purchase, Purchase) and purchase.url == "http://shop.test/basket"
    download = chosen_action(plugins, download="http://shop.test/catalog.pdf")
    assert download.kind == "download" and download.url == "http://shop.test/catalog.pdf"


def test_a_build_action_returning_none_leaves_the_page_view():
    calls = []

    @hookimpl
    def build_action(request, site):
        calls.append(site.idsite)
        return None

    plugins = load_plugins(environ=BUNDLED, extra_modules=[("Declines", plugin_module("tw_declines", build_action))])
    request = build_request(plugins)

    action = choose_action(plugins.manager.hook.build_action(request=request, site=make_site(7)))

    assert calls == [7]
    assert action.kind == "pageview"


# -- settings schema -------------------------------------------------------------------------------


def schema_plugin(module_name: str, schema: dict) -> types.ModuleType:
    @hookimpl
    def settings_schema():
        return schema

    return plugin_module(module_name, settings_schema)


def test_a_plugin_section_is_added_to_the_schema():
    module = schema_plugin("tw_schema_ok", {"Shipping": {"free_above": Setting(50, "Free shipping threshold.")}})
    plugins = load_plugins(environ=BUNDLED, extra_modules=[("Shipping", module)])

    schema = full_schema(plugins)
    settings = load_settings(schema, {"Shipping": {"free_above": 80}}, environ={})

    assert "PrivacyManager" in schema and "Tracker" in schema
    assert settings.get("Shipping", "free_above") == 80
    assert settings.get("Tracker", "visit_standard_length") == 1800


@pytest.mark.parametrize("section", ["Tracker", "database", "PrivacyManager"])
def test_a_plugin_declaring_an_existing_section_is_a_config_error(section):
    module = schema_plugin("tw_schema_clash_" + section.lower(), {section: {"extra": Setting(1, "An extra key.")}})
    plugins = load_plugins(environ=BUNDLED, extra_modules=[("Clash", module)])

    with pytest.raises(ConfigError) as caught:
        full_schema(plugins)

    message = str(caught.value)
    assert "Clash" in message and section in message


def test_a_plugin_declaring_an_existing_section_in_other_case_is_a_config_error():
    module = schema_plugin("tw_schema_lower", {"tracker": {"extra": Setting(1, "An extra key.")}})
    plugins = load_plugins(environ=BUNDLED, extra_modules=[("LowerCase", module)])

    with pytest.raises(ConfigError, match="LowerCase"):
        full_schema(plugins)


def test_core_exports_what_plugin_authors_need():
    for name in ("hookimpl", "VisitDimension", "ActionDimension", "ConversionDimension", "UNCHANGED", "Increment",
                 "Setting", "Action", "ActionType", "TrackingRequest", "Site", "Visitor", "columns"):
        assert hasattr(core, name), name


def test_a_disabled_plugins_section_is_kept_not_rejected(tmp_path):
    config_file = tmp_path / "config.toml"
    config_file.write_text("[Plugins]\ndisabled = ['PrivacyManager']\n[PrivacyManager]\nip_address_mask_length = 1\n")
    environ = {"TRACKWAY_CONFIG": str(config_file), "TRACKWAY_PRIVACYMANAGER__DO_NOT_TRACK_ENABLED": "true"}

    config = load_configuration(environ)

    assert not config.plugins.info("PrivacyManager").enabled
    assert "PrivacyManager" not in config.settings.sections()


def test_a_misspelt_section_is_still_rejected_when_plugins_are_disabled(tmp_path):
    config_file = tmp_path / "config.toml"
    config_file.write_text("[Plugins]\ndisabled = ['PrivacyManager']\n[PrivacyManagr]\nip_address_mask_length = 1\n")

    with pytest.raises(ConfigError, match="PrivacyManagr"):
        load_configuration({"TRACKWAY_CONFIG": str(config_file)})


def test_hook_tracing_env_var_prints_each_call(capsys):
    traced = load_plugins(environ={"TRACKWAY_LOAD_PLUGINS": "CoreHome,PrivacyManager", "TRACKWAY_TRACE_PLUGINS": "1"})
    traced.manager.hook.register_routes()
    assert "trackway hook register_routes" in capsys.readouterr().err

    quiet = load_plugins(environ={"TRACKWAY_LOAD_PLUGINS": "CoreHome,PrivacyManager"})
    quiet.manager.hook.register_routes()
    assert "trackway hook" not in capsys.readouterr().err


def test_broken_plugin_is_named_at_start_up_and_listed_as_broken():
    broken = types.ModuleType("tw_broken_import")

    @hookimpl
    def build_action(request, site, not_a_hook_argument):
        return None

    broken.build_action = build_action
    with pytest.raises(PluginLoadError, match=r"(?s)plugin Broken has an invalid hook implementation.*plugin:deactivate Broken"):
        load_plugins(environ={"TRACKWAY_LOAD_PLUGINS": "CoreHome"}, extra_modules=[("Broken", broken)])

    loaded = load_plugins(environ={"TRACKWAY_LOAD_PLUGINS": "CoreHome"}, extra_modules=[("Broken", broken)],
                          skip_broken=True)
    info = loaded.info("Broken")
    assert not info.enabled and "not_a_hook_argument" in info.error
    assert not any(impl.plugin_name == "Broken" for impl in loaded.manager.hook.build_action.get_hookimpls())
