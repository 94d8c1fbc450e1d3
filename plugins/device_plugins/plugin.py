"""DevicePlugins's hook implementations."""
