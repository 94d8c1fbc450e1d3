"""PrivacyManager: IP anonymisation before anything is stored."""
