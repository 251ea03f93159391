"""Reads for the batch settings page."""

from django.db.models import Count

from reference.models import City

from .models import Batch, BatchChange, CityQuota


def current_batch() -> Batch | None:
    """The batch the province works on: the open one, else the latest."""
    return Batch.objects.open().first() or Batch.objects.first()


def quota_rows(batch) -> list[dict]:
    """Annex 1 with usage, one row per city in the notice's order (City.position), including a
    city that has no quota row yet: its quota, and the factories and parks it has recommended
    (counted as applications.selectors.quota_used counts). Three queries."""
    from applications.models import Application

    quotas = dict(CityQuota.objects.filter(batch=batch).values_list("city_id", "factory_quota"))
    used = {}
    for city_id, kind, n in (
        Application.objects.counted_for_quota()
        .filter(batch=batch)
        .values("city_id", "kind")
        .annotate(n=Count("pk"))
        .values_list("city_id", "kind", "n")
    ):
        used[(city_id, kind)] = n
    return [
        {
            "city": city,
            "quota": quotas.get(city.code),
            "factories": used.get((city.code, "factory"), 0),
            "parks": used.get((city.code, "park"), 0),
        }
        for city in City.objects.order_by("position", "code")
    ]


def batch_history(batch, limit=100):
    return BatchChange.objects.filter(batch=batch).select_related("actor", "city")[:limit]
