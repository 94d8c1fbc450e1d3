"""UserCountry's hook implementations."""
