"""DevicesDetection's hook implementations."""
