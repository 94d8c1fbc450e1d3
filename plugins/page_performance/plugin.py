"""PagePerformance's hook implementations."""
