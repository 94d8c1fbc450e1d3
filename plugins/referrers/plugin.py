"""Referrers's hook implementations."""
