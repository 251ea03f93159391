"""Reads for the batch settings page."""

from django.shortcuts import get_object_or_404

from reference.models import City

from . import usage
from .models import Batch, BatchChange, CityQuota

# --- the one batch resolver: which batch a page or an application is about ---------------------


def current_batch(year=None) -> Batch | None:
    """The batch a page works on: the one of `year` (a page's ?batch=<year>) when given, else the
    open one, else the latest. None when there is no batch at all, or `year` is not a year; an
    unknown year is a 404."""
    if year:
        try:
            return get_object_or_404(Batch, year=int(year))
        except (TypeError, ValueError):
            return None
    return Batch.objects.open().first() or Batch.objects.first()


def open_batch() -> Batch | None:
    """The batch accepting applications (通知 二(一)), with its deadline extensions; None when
    none is open."""
    return Batch.objects.open().prefetch_related("extensions").first()


def quota_rows(batch) -> list[dict]:
    """Annex 1 with usage, one row per city in the notice's order (City.position), including a
    city that has no quota row yet: its quota, and the factories and parks it has recommended
    (counted as applications.selectors.quota_used counts). Three queries."""
    quotas = dict(CityQuota.objects.filter(batch=batch).values_list("city_id", "factory_quota"))
    used = usage.counter().recommended(batch)
    return [
        {
            "city": city,
            "quota": quotas.get(city.code),
            "factories": used.factories.get(city.code, 0),
            "parks": used.parks.get(city.code, 0),
        }
        for city in City.objects.order_by("position", "code")
    ]


def quota_table(batch) -> list[dict]:
    """Annex 1 with usage: per city, in the notice's order, its factory quota and the factories
    it has recommended so far. Two queries whatever the number of cities."""
    used = usage.counter().recommended(batch).factories
    return [
        {
            "city_code": q.city_id,
            "city_name": q.city.name,
            "factory_quota": q.factory_quota,
            "recommended": used.get(q.city_id, 0),
        }
        for q in CityQuota.objects.filter(batch=batch).select_related("city").order_by("city__position")
    ]


def batch_history(batch, limit=100):
    return BatchChange.objects.filter(batch=batch).select_related("actor", "city")[:limit]
