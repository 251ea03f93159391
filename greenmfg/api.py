"""API plumbing shared by every app: domain errors become HTTP answers with their reasons.
(Pagination: core/api_pagination.py; throttles: greenmfg/api_limits.py; the token endpoint:
accounts/api.py.)"""

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc), "reasons": exc.reasons}, status=exc.status)
    return drf_exception_handler(exc, context)
