"""Goals plugin: goal conversions."""
