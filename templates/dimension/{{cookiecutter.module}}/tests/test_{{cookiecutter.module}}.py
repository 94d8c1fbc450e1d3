"""{{ cookiecutter.class_name }} fills {{ cookiecutter.table }}.{{ cookiecutter.column_name }} from the ``{{ cookiecutter.column_name }}`` tracking parameter.

Unit tests with a real TrackingRequest and Visitor, without a database.
"""

{{ cookiecutter.test_imports }}


def request(params: dict) -> TrackingRequest:
    return TrackingRequest({"idsite": 1, "rec": 1, **params})


{% include "tests/" ~ cookiecutter.type ~ ".py.j2" %}
