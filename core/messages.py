"""One way to show a refused action: each reason of a domain error becomes an error message."""

from django.contrib import messages


def show_reasons(request, error) -> None:
    """Add every reason of `error` (core.exceptions.DomainError) as an error message."""
    for reason in error.reasons:
        messages.error(request, reason)
