"""URLconf for the error-page tests (and the browser walk's error pages): the portal's URLs plus
views that fail on purpose."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.urls import path

from greenmfg.urls import urlpatterns as portal


def _boom(request):
    raise RuntimeError("boom")


def _forbidden(request):
    raise PermissionDenied


def _bad_request(request):
    raise BadRequest


urlpatterns = [
    *portal,
    path("boom/", _boom),
    path("forbidden/", _forbidden),
    path("bad-request/", _bad_request),
]
