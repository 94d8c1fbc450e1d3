"""{{ cookiecutter.plugin }}: a trackway plugin (its hooks are in ``plugin.py``)."""
