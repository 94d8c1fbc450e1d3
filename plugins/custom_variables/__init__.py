"""CustomVariables plugin."""
