"""VisitTime: The visitor's local time."""
