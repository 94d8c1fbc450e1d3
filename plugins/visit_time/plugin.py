"""VisitTime's hook implementations."""
