"""Refusals of the lists' services: the portal's domain errors (core.exceptions), and an import's
refusal, which carries its row errors."""

from core.exceptions import InvalidInput


class ListImportRefused(InvalidInput):
    """The uploaded list has bad rows; nothing was saved."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(
            *(e.message if e.row is None else f"第{e.row}行 {e.column}：{e.message}" for e in errors)
        )
