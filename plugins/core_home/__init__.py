"""CoreHome: the visit's times, counts and visitor facts (essential: cannot be disabled)."""
