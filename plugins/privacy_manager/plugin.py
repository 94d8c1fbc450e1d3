"""PrivacyManager's hook implementations."""

from core import Setting, hookimpl

from plugins.privacy_manager.anonymize import mask_ip


@hookimpl
def settings_schema():
    return {"PrivacyManager": {
        "ip_anonymization_enabled": Setting(True, "Store visitors' IP addresses masked (recommended, and "
                                                  "required by many privacy laws)."),
        "ip_address_mask_length": Setting(2, "How many trailing bytes of an IPv4 address are zeroed (0-4); for "
                                             "IPv6, 1 keeps /64, 2 keeps /48, 3 keeps /24, 4 keeps nothing."),
        "use_anonymized_ip_for_visit_enrichment": Setting(False, "Geolocate and recognise visitors with the "
                                                                 "masked IP instead of the full one."),
        "do_not_track_enabled": Setting(False, "Exclude requests from browsers that send a Do Not Track header."),
    }}


@hookimpl
def prepare_request(request):
    """With use_anonymized_ip_for_visit_enrichment, the config id and geolocation see the masked IP."""
    settings = request.settings.section("PrivacyManager")
    if settings["ip_anonymization_enabled"] and settings["use_anonymized_ip_for_visit_enrichment"]:
        request.enrichment_ip_bytes = mask_ip(request.ip_bytes, settings["ip_address_mask_length"])


@hookimpl
def after_request_processed(context):
    """Mask the stored IP after exclusions and the config id used the full one."""
    settings = context.request.settings.section("PrivacyManager")
    if settings["ip_anonymization_enabled"]:
        visitor = context.visitor
        if context.is_new_visit:
            visitor.set("location_ip", mask_ip(visitor.get("location_ip"), settings["ip_address_mask_length"]))


@hookimpl
def exclusion_reason(request, site):
    """Honour Do Not Track when the setting asks for it."""
    if not request.settings.get("PrivacyManager", "do_not_track_enabled"):
        return None
    if request.header("x-do-not-track") == "1" or request.header("dnt").startswith("1"):
        return "do_not_track"
    return None
