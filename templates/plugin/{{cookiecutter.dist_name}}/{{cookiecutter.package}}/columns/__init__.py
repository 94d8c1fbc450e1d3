"""The dimensions of {{ cookiecutter.plugin }}, one module per column (``trackway generate:dimension`` adds them)."""
