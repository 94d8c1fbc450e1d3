"""Contents' dimensions: the content's name, piece, target and interaction ids on the action row."""

from __future__ import annotations

from core import UNCHANGED, ActionDimension, columns

from plugins.contents.content import ContentAction


class _ContentPart(ActionDimension):
    """The log_action id the content action resolved for this column (NULL when the part was not
    sent). Only content actions write it: a download or outlink clicked inside a content block
    carries ``c_*`` too, and records only the click."""

    column_type = columns.UnsignedInt()

    def on_new_action(self, request, visitor, action):
        return action.id_of(self.column_name) if isinstance(action, ContentAction) else UNCHANGED


class IdactionContentName(_ContentPart):
    column_name = "idaction_content_name"


class IdactionContentPiece(_ContentPart):
    column_name = "idaction_content_piece"


class IdactionContentTarget(_ContentPart):
    column_name = "idaction_content_target"


class IdactionContentInteraction(_ContentPart):
    column_name = "idaction_content_interaction"


DIMENSIONS = [IdactionContentName, IdactionContentPiece, IdactionContentTarget, IdactionContentInteraction]
