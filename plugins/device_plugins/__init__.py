"""DevicePlugins: The browser features the visitor's browser reports (cookies, PDF, ...)."""
