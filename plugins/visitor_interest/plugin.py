"""VisitorInterest's hook implementations."""
