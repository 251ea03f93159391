"""Errors of the batch settings that carry more than a message: the rows of an imported table."""

from dataclasses import dataclass

from core.exceptions import InvalidInput


@dataclass(frozen=True)
class RowError:
    """One problem of an imported quota table: the spreadsheet row (None for the whole file), the
    city it names as written, and the reason in Chinese."""

    row: int | None
    city: str
    message: str


class QuotaImportRefused(InvalidInput):
    """The imported quota table has bad rows; nothing was changed."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(*(e.message for e in errors))
