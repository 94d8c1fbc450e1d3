"""Ecommerce plugin."""
