"""The portal's URLs plus the floor: what any signed-in page costs at least on this machine
(session, user, one 30-row query by primary key) — the yardstick every case is divided by."""

from django.http import HttpResponse
from django.urls import path

from applications.models import Application
from greenmfg.urls import urlpatterns as portal

_FLOOR_IDS: list[int] = []


def floor(request):
    request.user.is_authenticated  # noqa: B018  (loads the session and the user, as every page does)
    if not _FLOOR_IDS:
        _FLOOR_IDS.extend(Application.objects.order_by("pk").values_list("pk", flat=True)[:30])
    rows = list(Application.objects.filter(pk__in=_FLOOR_IDS).values_list("pk", "state"))
    return HttpResponse(f"{len(rows)}", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor, name="bench-floor"), *portal]
