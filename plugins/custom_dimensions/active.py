"""A site's active dimensions, loaded once per site into the tracker cache (spec §12)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from plugins.custom_dimensions.configuration import SCOPES, column_name, config_table
from plugins.custom_dimensions.extraction import from_json

ATTRIBUTE = "custom_dimensions"
"""The key of the site's active dimensions in ``site.attributes``."""


@dataclass(frozen=True)
class ActiveDimension:
    idcustomdimension: int
    index: int
    scope: str
    extractors: tuple[tuple[str, re.Pattern[str]], ...] = ()
    """(what the extraction reads, its compiled pattern), in the configured order."""

    @property
    def column(self) -> str:
        return column_name(self.index)

    @property
    def parameter(self) -> str:
        return f"dimension{self.idcustomdimension}"


def load_active(connection: Connection, prefix: str, idsite: int) -> tuple[ActiveDimension, ...]:
    table = config_table(prefix)
    rows = connection.execute(
        select(table.c.idcustomdimension, table.c["index"], table.c.scope, table.c.extractions,
               table.c.case_sensitive)
        .where(table.c.idsite == idsite, table.c.active == 1, table.c.scope.in_(SCOPES))
        .order_by(table.c.idcustomdimension)).all()
    return tuple(ActiveDimension(int(row.idcustomdimension), int(row._mapping["index"]), row.scope,
                                 _compiled(row.extractions, bool(row.case_sensitive))) for row in rows)


def _compiled(stored: str | None, case_sensitive: bool) -> tuple[tuple[str, re.Pattern[str]], ...]:
    compiled = []
    for extraction in from_json(stored):
        try:
            regex = extraction.compile(case_sensitive)
        except re.error:
            continue  # the commands refuse such patterns; a hand-edited row must not fail requests
        if regex.groups >= 1:
            compiled.append((extraction.dimension, regex))
    return tuple(compiled)
