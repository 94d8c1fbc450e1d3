"""CustomDimensions plugin."""
