"""UserLanguage's hook implementations."""
