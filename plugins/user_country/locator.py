"""The provider in use, chosen by ``[UserCountry] location_provider`` among the registered ones."""

from __future__ import annotations

from typing import Any

from core import Location, LocationProvider, LocationProviderError, TrackingRequest

from plugins.user_country.providers import SECTION, DefaultProvider


class Locator:
    """The chosen provider, with the ``default`` provider as fallback when it finds nothing
    (Matomo's rule), both opened once per process."""

    def __init__(self, provider: LocationProvider, fallback: LocationProvider | None) -> None:
        self.provider = provider
        self.fallback = fallback

    def locate(self, request: TrackingRequest) -> Location:
        location = self.provider.locate(request)
        if location is None and self.fallback is not None:
            location = self.fallback.locate(request)
        return location or Location()

    def close(self) -> None:
        for provider in (self.provider, self.fallback):
            if provider is not None:
                provider.close()


def provider_classes(hook: Any) -> dict[str, type[LocationProvider]]:
    """Every registered provider class by id; a bad or duplicate registration names its plugin."""
    found: dict[str, tuple[str, type[LocationProvider]]] = {}
    for impl in hook.register_location_providers.get_hookimpls():
        for cls in impl.function() or ():
            if not (isinstance(cls, type) and issubclass(cls, LocationProvider)) or not cls.id:
                raise LocationProviderError(f"plugin {impl.plugin_name}: register_location_providers returned {cls!r}, "
                                            "which is not a core.LocationProvider subclass with an id")
            if cls.id in found and found[cls.id][1] is not cls:
                raise LocationProviderError(f"location provider id {cls.id!r} is registered by plugins "
                                            f"{found[cls.id][0]} and {impl.plugin_name}")
            found[cls.id] = (impl.plugin_name, cls)
    return {provider_id: cls for provider_id, (_, cls) in found.items()}


def build_locator(hook: Any, settings: Any) -> Locator:
    """Open the configured provider (and the fallback); raises ``LocationProviderError`` with
    what to change when it cannot work."""
    classes = provider_classes(hook)
    wanted = settings.get(SECTION, "location_provider")
    if wanted not in classes:
        raise LocationProviderError(
            f"[UserCountry] location_provider = {wanted!r} names no location provider; choose one of: "
            f"{', '.join(sorted(classes))} (plugins add others with the register_location_providers hook)")
    provider = classes[wanted](settings)
    provider.open()
    fallback = None
    if wanted != DefaultProvider.id:
        fallback = DefaultProvider(settings)
        fallback.open()
    return Locator(provider, fallback)
