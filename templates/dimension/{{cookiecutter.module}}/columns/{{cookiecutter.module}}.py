"""The {{ cookiecutter.name }} dimension of {{ cookiecutter.plugin }}: {{ cookiecutter.table }}.{{ cookiecutter.column_name }}, {{ cookiecutter.sql }}.

The value comes from the tracking parameter of the same name (``?{{ cookiecutter.column_name }}=...``). To
compute it another way, change ``parameter_value`` or the hooks below; the column itself is
created by ``migrations/{{ cookiecutter.revision }}.py``.
"""

{{ cookiecutter.imports }}

PARAMETER = "{{ cookiecutter.column_name }}"
{% include "parameter/" ~ cookiecutter.kind ~ ".py.j2" %}


{% include "dimension/" ~ cookiecutter.type ~ ".py.j2" %}
