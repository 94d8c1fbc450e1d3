"""{{ cookiecutter.plugin }}: the column of the {{ cookiecutter.name }} dimension, {{ cookiecutter.table }}.{{ cookiecutter.column_name }}.
{% if cookiecutter.type == "visit" %}

A visit column is copied into each conversion, so log_conversion gets it too.
{% endif %}

Revision ID: {{ cookiecutter.revision }}
Revises:{{ "" if cookiecutter.first_revision else " " ~ cookiecutter.down_revision | replace('"', '') }}
"""

{{ cookiecutter.migration_imports }}

revision = "{{ cookiecutter.revision }}"
down_revision = {{ cookiecutter.down_revision }}
{% if cookiecutter.first_revision %}
branch_labels = ("{{ cookiecutter.plugin }}",)
depends_on = "core_0001"  # the core revision that creates the log tables
{% else %}
branch_labels = None
depends_on = None
{% endif %}

# {{ cookiecutter.sql }}
COLUMN = ("{{ cookiecutter.column_name }}", {{ cookiecutter.column_code }}, {{ cookiecutter.column_options }})
{% if cookiecutter.type == "visit" %}
TABLES = ["log_visit", "log_conversion"]
{% else %}
TABLES = ["{{ cookiecutter.table }}"]
{% endif %}


def upgrade() -> None:
    for table in TABLES:
        add_columns(table, [COLUMN])


def downgrade() -> None:
    for table in TABLES:
        drop_columns(table, [COLUMN[0]])
