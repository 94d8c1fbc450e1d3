"""Heartbeat plugin: pings that extend the time of a visit."""
