"""DevicesDetection: Browser, operating system and device of the visitor, from the user agent and client hints."""
