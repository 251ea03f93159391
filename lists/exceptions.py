"""Refusals of the lists' services. Each carries the reasons a user reads, in Chinese, and the HTTP
status the API answers with; an import's refusal carries its row errors."""


class ListError(Exception):
    status = 409

    def __init__(self, *reasons):
        self.reasons = [str(r) for r in reasons]
        super().__init__("；".join(self.reasons))


class ListForbidden(ListError):
    """The user's role or region may not change this list."""

    status = 403


class ListNotAllowedNow(ListError):
    """A rule refuses it now (the deadline has passed, the entry has already ended)."""

    status = 409


class ListInvalid(ListError):
    """The request itself is wrong (a missing reason, an unknown city)."""

    status = 400


class ListImportRefused(ListError):
    """The uploaded list has bad rows; nothing was saved."""

    status = 400

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(
            *(e.message if e.row is None else f"第{e.row}行 {e.column}：{e.message}" for e in errors)
        )
