"""Resolution: The visitor's screen resolution."""
