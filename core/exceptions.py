"""Domain errors carry the reasons a user reads, in Chinese; views turn them into messages and the
API into status codes."""


class DomainError(Exception):
    """A rule of the notice or of the portal refused the action."""

    status = 409

    def __init__(self, *reasons):
        self.reasons = [str(r) for r in reasons]
        super().__init__("；".join(self.reasons))


class Forbidden(DomainError):
    """The user's role or region may not do this (the object itself is visible)."""

    status = 403


class InvalidInput(DomainError):
    """The request itself is incomplete (an unknown transition, a missing reason)."""

    status = 400


class NotAllowedNow(DomainError):
    """The state machine or a condition refuses it now."""

    status = 409


class Conflict(DomainError):
    """Somebody else changed the application first."""

    status = 409
