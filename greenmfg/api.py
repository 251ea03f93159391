"""API plumbing shared by every app: domain errors become HTTP answers with their reasons; the
throttled token endpoint. (Pagination and throttles: greenmfg/api_limits.py.)"""

from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import DomainError

from .api_limits import AnonThrottle, UserThrottle


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc), "reasons": exc.reasons}, status=exc.status)
    return drf_exception_handler(exc, context)


class TokenView(ObtainAuthToken):
    """POST username and password for a token. DRF's own view is exempt from throttling; this one
    is throttled like the rest of the API, so passwords cannot be guessed at speed."""

    throttle_classes = [AnonThrottle, UserThrottle]


token_view = TokenView.as_view()
