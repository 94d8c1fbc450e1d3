"""UserLanguage: The visitor's browser language."""
