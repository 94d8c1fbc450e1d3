"""Resolution's hook implementations."""
