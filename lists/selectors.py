"""Reads of the lists. Every page, export and API answer starts from
`ListEntry.objects.visible_to(user)` (or `public()`), so an entry of another region is not found."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from quotas.selectors import current_batch
from reference.models import City

from .models import EntryStatus, ListEntry, ListImport, Tier, UnitKind, normalise_name, organisation_key

FILTERS = ("tier", "kind", "city", "county", "year", "status")


def entry_for(user, pk, *, queryset=None) -> ListEntry:
    """An entry the user may see, or 404 ("missing" and "forbidden" look alike)."""
    qs = queryset if queryset is not None else ListEntry.objects.all()
    try:
        return qs.visible_to(user).select_related("city", "county", "organisation").get(pk=pk)
    except (ListEntry.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def entries_filtered(qs, params) -> "ListEntry.objects":
    """Filter by tier, kind, city, county, year and status, and search by name or credit code
    (`q`). Unknown values simply match nothing; a bad year is ignored."""
    for name in ("tier", "kind", "status"):
        value = params.get(name)
        if value:
            qs = qs.filter(**{name: value})
    if params.get("city"):
        qs = qs.filter(city_id=params["city"])
    if params.get("county"):
        qs = qs.filter(county_id=params["county"])
    year = str(params.get("year") or "").strip()
    if year.isdigit():
        qs = qs.filter(year=int(year))
    q = normalise_name(str(params.get("q") or ""))[:100]
    if q:
        qs = qs.filter(Q(unit_name__icontains=q) | Q(credit_code__iexact=q.upper()))
    return qs


def counts_per_city(qs) -> list[dict]:
    """Per city (the notice's order), active and ended entries of `qs`. Two queries."""
    counts = {}
    for city_id, status, n in qs.order_by().values_list("city_id", "status").annotate(n=Count("pk")):
        counts.setdefault(city_id, {})[status] = n
    return [
        {
            "city": city,
            "active": counts.get(city.code, {}).get(EntryStatus.ACTIVE, 0),
            "ended": counts.get(city.code, {}).get(EntryStatus.ENDED, 0),
        }
        for city in City.objects.order_by("position", "code")
    ]


def city_list_entry(*, credit_code: str, city_id: str) -> ListEntry | None:
    """The active city-level entry of a factory, by credit code, in the given city."""
    if not credit_code:
        return None
    return (
        ListEntry.objects.active()
        .filter(tier=Tier.CITY, kind=UnitKind.FACTORY, credit_code=credit_code, city_id=city_id)
        .first()
    )


def latest_city_entry(organisation, city_id) -> ListEntry | None:
    """The unit's most recent city-level entry in the city, active or ended: the reviewer's page
    shows an ended one as a warning."""
    key = organisation_key(organisation)
    if key is None:
        return None
    return (
        ListEntry.objects.filter(tier=Tier.CITY, unit_key=key, city_id=city_id)
        .select_related("ended_by")
        .order_by("status", "-ended_at", "-pk")  # "active" sorts before "ended"
        .first()
    )


def unit_entries(organisation):
    """Every entry about the unit (any tier, any status), newest first."""
    key = organisation_key(organisation)
    if key is None:
        return ListEntry.objects.none()
    return ListEntry.objects.filter(unit_key=key).select_related("city").order_by("status", "-year", "-pk")


def unit_entries_of(organisations) -> dict[int, list[ListEntry]]:
    """Every entry (any tier, any status) about each of `organisations` (with their enterprise
    selected), by organisation id, active first then newest. One query: the verification queue
    shows a registering unit that is already on a list, matched by credit code (a park by its
    name within its city)."""
    keys = {}
    for org in organisations:
        key = organisation_key(org)
        if key is not None:
            keys.setdefault(key, []).append(org.pk)
    found = {pk: [] for pk in (org.pk for org in organisations)}
    if not keys:
        return found
    entries = (
        ListEntry.objects.filter(unit_key__in=keys)
        .select_related("city")
        .order_by("status", "-year", "-pk")  # "active" sorts before "ended"
    )
    for entry in entries:
        for pk in keys[entry.unit_key]:
            found[pk].append(entry)
    return found


def city_listed_keys(units: list[tuple[str, object]]) -> set[tuple[str, str]]:
    """Of `units` — (city code, organisation with its enterprise selected) pairs — those with an
    active city-level entry in that city, as (city code, unit key). One query."""
    return city_listed_among({organisation_key(org) for _city, org in units})


def city_listed_among(keys) -> set[tuple[str, str]]:
    """Of unit keys (models.organisation_key, applying_unit_key), those with an active city-level
    entry, as (city code, unit key). One query."""
    keys = set(keys)
    keys.discard(None)
    if not keys:
        return set()
    return set(
        ListEntry.objects.active()
        .filter(tier=Tier.CITY, unit_key__in=keys)
        .values_list("city_id", "unit_key")
    )


def is_city_listed(listed: set[tuple[str, str]], city_id: str, organisation) -> bool:
    return (city_id, organisation_key(organisation)) in listed


# --- the cities' year-end reports (通知 三) -------------------------------------------------------


@dataclass
class CityReport:
    city: City
    deadline: datetime.date | None
    extended: bool
    last_import: ListImport | None
    active: int

    @property
    def reported(self) -> bool:
        return self.last_import is not None

    def is_late(self, today: datetime.date) -> bool:
        return not self.reported and self.deadline is not None and today > self.deadline


def city_list_reports(year: int, *, today: datetime.date | None = None) -> list[CityReport]:
    """Per city, whether its city-level list for `year` has been reported, by when it is due
    (the batch of that year's city-list deadline, with the city's extension), and how many
    entries are active. Four queries."""
    batch = _batch_of(year)
    imports = {}
    for imp in ListImport.objects.filter(tier=Tier.CITY, year=year).select_related("imported_by"):
        imports.setdefault(imp.city_id, imp)  # newest first (Meta.ordering)
    active = dict(
        ListEntry.objects.active()
        .filter(tier=Tier.CITY)
        .order_by()
        .values_list("city_id")
        .annotate(n=Count("pk"))
    )
    reports = []
    for city in City.objects.order_by("position", "code"):
        deadline = batch.city_list_deadline_for(city.code) if batch else None
        reports.append(
            CityReport(
                city=city,
                deadline=deadline,
                extended=bool(batch and deadline != batch.city_list_deadline),
                last_import=imports.get(city.code),
                active=active.get(city.code, 0),
            )
        )
    return reports


def _batch_of(year: int):
    """The batch of `year` (its city-list deadline applies to that year's list), or None."""
    try:
        batch = current_batch(year)
    except Http404:
        return None
    if batch is not None:
        prefetch_related_objects([batch], "extensions")  # the per-city deadlines, in one query
    return batch


def list_deadline(city_code: str, year: int) -> datetime.date | None:
    batch = _batch_of(year)
    return batch.city_list_deadline_for(city_code) if batch else None


def default_list_year() -> int:
    """The year a city is preparing its list for: the current batch's (open, else the latest),
    else this year."""
    batch = current_batch()
    return batch.year if batch else timezone.localdate().year


def national_under_provincial_management():
    """通知 一(三): units on the national list without an active provincial entry, brought under
    provincial management."""
    return (
        ListEntry.objects.active()
        .filter(tier=Tier.NATIONAL, provincial_management=True)
        .select_related("city", "county")
        .order_by("city__position", "unit_name")
    )


def removal_bar(organisation, year: int) -> ListEntry | None:
    """The entry whose removal still bars the unit from applying in batch `year`, or None."""
    key = organisation_key(organisation)
    if key is None:
        return None
    return (
        ListEntry.objects.filter(unit_key=key, status=EntryStatus.ENDED, barred_until_year__gte=year)
        .order_by("-barred_until_year")
        .first()
    )
