"""The {{ cookiecutter.name }} dimension of {{ cookiecutter.plugin }}: the {{ cookiecutter.table }}.{{ cookiecutter.column_name }} column.

Its value comes from the tracking parameter of the same name (``?{{ cookiecutter.column_name }}=...``); to compute
it another way, change ``parameter_value`` or the hooks below.

Column type: {{ cookiecutter.sql }}, created by ``migrations/{{ cookiecutter.revision }}.py``.
"""

{{ cookiecutter.imports }}

PARAMETER = "{{ cookiecutter.column_name }}"
{% include "parameter/" ~ cookiecutter.kind ~ ".py.j2" %}


{% include "dimension/" ~ cookiecutter.type ~ ".py.j2" %}
