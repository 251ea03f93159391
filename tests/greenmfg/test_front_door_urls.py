"""URLconf for the 500-page test: the portal's URLs plus one view that fails."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from greenmfg.urls import urlpatterns as portal


def _boom(request):
    raise RuntimeError("boom")


def _forbidden(request):
    raise PermissionDenied


urlpatterns = [*portal, path("boom/", _boom), path("forbidden/", _forbidden)]
