"""Reads for publicity. Public pages start from `Application.objects.public()`; the province's
pages from `Application.objects.visible_to(user)`; objections are the province's alone."""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from accounts import roles
from applications.models import Application
from applications.selectors import unit_matching
from applications.states import ApplicationKind
from applications.states import ApplicationState as S
from core.pagination import DeferredJoinPaginator
from reference.models import IndustryDivision

from .models import (
    STANDING,
    Objection,
    ObjectionState,
    Publication,
    PublicationAdjustment,
    PublicityEntry,
    PublicityRound,
)


def current_entry(application) -> PublicityEntry | None:
    """The application's latest publicity entry (a unit may be publicised again after an upheld
    objection sent it back to provincial review)."""
    return application.publicity_entries.order_by("-publicity_round__starts_on", "-pk").first()


def has_standing_objection(application) -> bool:
    """An objection of the unit's latest publicity round that is unhandled or upheld."""
    entry = current_entry(application)
    return entry is not None and entry.objections.filter(state__in=STANDING).exists()


def _public_units(gate):
    """The gate's units with what the public pages show. `gate` is Application.objects.public()
    narrowed further, used as the query itself (not as `pk IN (gate)`, which made PostgreSQL
    read every public unit before narrowing to one list)."""
    return gate.select_related("batch", "unit__enterprise", "unit__park", "city", "county").order_by(
        "city__position", "-kind", "unit__name"
    )  # parks before factories, as the notice names them


def _with_industry_names(applications: list[Application]) -> list[Application]:
    """Attach `public_category`: the industry division (factories) or park type (parks)."""
    divisions = dict(IndustryDivision.objects.values_list("code", "name"))
    for a in applications:
        if a.kind == ApplicationKind.FACTORY:
            code = a.industry_class[:2]
            a.public_category = divisions.get(code, a.industry_class)
        else:
            a.public_category = a.unit.park.get_park_type_display()
    return applications


@dataclass
class PublicNotice:
    """One batch's units in publicity today, as the department's website lists them."""

    batch: object
    starts_on: datetime.date
    ends_on: datetime.date
    units: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # what the page shows of `units` (publicity.views)


PUBLIC_PAGE_SIZE = 100


def _in_publicity(today=None):
    return _public_units(Application.objects.public(today).filter(state=S.PUBLICITY)).order_by(
        "-batch__year",
        "publicity_starts_on",
        "publicity_ends_on",
        "city__position",
        "-kind",
        "unit__name",
        "pk",
    )


def _numbered(page):
    """Attach `row_number`: the unit's place in the whole list, not just on this page (not
    `number`, which is the application number on the receipt)."""
    for n, a in enumerate(page.object_list, start=page.start_index()):
        a.row_number = n
    return page


def public_publicity(today: datetime.date | None = None) -> list[PublicNotice]:
    """通知 二(四): units in publicity today, grouped by batch and period. Constant queries."""
    return _notices(_with_industry_names(list(_in_publicity(today))))


def public_publicity_page(*, q: str = "", page=None, today: datetime.date | None = None):
    """One page (PUBLIC_PAGE_SIZE units) of the units in publicity today, those whose name
    contains `q` if given, grouped by batch and period: (page, notices). Three queries."""
    qs = _in_publicity(today)
    if q:
        qs = qs.filter(unit_matching(q, few=True))
    current = _numbered(DeferredJoinPaginator(qs, PUBLIC_PAGE_SIZE).get_page(page))
    return current, _notices(_with_industry_names(list(current.object_list)))


def _notices(units) -> list[PublicNotice]:
    notices = []
    for (_year, starts, ends), group in groupby(
        units, key=lambda a: (a.batch.year, a.publicity_starts_on, a.publicity_ends_on)
    ):
        group = list(group)
        notices.append(PublicNotice(batch=group[0].batch, starts_on=starts, ends_on=ends, units=group))
    return notices


def objectionable_units(today: datetime.date | None = None):
    """The only units an objection may name: those in publicity today."""
    return (
        Application.objects.public(today)
        .filter(state=S.PUBLICITY)
        .select_related("unit", "city")
        .order_by("city__position", "unit__name")
    )


def public_publications():
    return (
        Publication.objects.select_related("batch")
        .annotate(n=Count("entries"))
        .order_by("-published_on", "-pk")
    )


def public_publication(pk) -> Publication:
    try:
        return Publication.objects.select_related("batch").get(pk=pk)
    except (Publication.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class CityGroup:
    city: object
    units: list
    rows: list = field(default_factory=list)  # what the page shows of `units` (publicity.views)


def _published(publication):
    return _public_units(
        Application.objects.public().filter(state=S.PUBLISHED, publication_entry__publication=publication)
    )


def _by_city(units) -> list[CityGroup]:
    return [CityGroup(city=city, units=list(group)) for city, group in groupby(units, key=lambda a: a.city)]


def published_by_city(publication) -> list[CityGroup]:
    """The publication's units, grouped by city in the notice's order. Only published units pass
    the public gate, whatever the entries say. Constant queries."""
    return _by_city(_with_industry_names(list(_published(publication))))


def published_page(publication, *, q: str = "", page=None):
    """One page (PUBLIC_PAGE_SIZE units) of the publication's units, those whose name contains
    `q` if given, grouped by city: (page, groups). Three queries."""
    qs = _published(publication).order_by("city__position", "-kind", "unit__name", "pk")
    if q:
        qs = qs.filter(unit_matching(q, few=True))
    current = _numbered(DeferredJoinPaginator(qs, PUBLIC_PAGE_SIZE).get_page(page))
    return current, _by_city(_with_industry_names(list(current.object_list)))


def published_adjustments(publication) -> dict[str, list[PublicationAdjustment]]:
    """The adjustment list published with `publication` (省级绿色制造动态管理调整名单): removed units
    and renamed units, each in the notice's city order. Two queries."""
    rows = (
        PublicationAdjustment.objects.filter(publication=publication)
        .select_related("form__city", "form__entry")
        .order_by("form__city__position", "form__kind", "listed_name")
    )
    out = {"removed": [], "renamed": []}
    for row in rows:
        out["removed" if row.form.decision == "remove" else "renamed"].append(row)
    return out


# --- the province's pages --------------------------------------------------------------------


def objections_visible_to(user):
    """Objections are for the province alone (the objector's name and contact are personal data)."""
    if not roles.is_province(user):
        return Objection.objects.none()
    return Objection.objects.filter(entry__application__in=Application.objects.visible_to(user))


def objection_for(user, pk) -> Objection:
    try:
        return (
            objections_visible_to(user)
            .select_related(
                "entry__application__unit",
                "entry__application__city",
                "entry__publicity_round__batch",
                "decided_by",
            )
            .get(pk=pk)
        )
    except (Objection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def rounds_of(user, batch):
    """The batch's publicity rounds, each with its entries (unit, state, objections counted)."""
    entries = (
        PublicityEntry.objects.filter(application__in=Application.objects.visible_to(user))
        .select_related("application__unit", "application__city")
        .annotate(
            n_objections=Count("objections"),
            n_standing=Count("objections", filter=Q(objections__state__in=STANDING)),
        )
        .order_by("application__city__position", "application__unit__name")
    )
    return (
        PublicityRound.objects.filter(batch=batch)
        .select_related("opened_by")
        .prefetch_related(Prefetch("entries", queryset=entries))
    )


def objections_of(user, batch):
    return (
        objections_visible_to(user)
        .filter(entry__publicity_round__batch=batch)
        .select_related("entry__application__unit", "entry__application__city")
        .order_by("state", "-filed_at")
    )


@dataclass
class Readiness:
    ready: list
    waiting: list
    blocked: list


def publication_readiness(user, batch, today: datetime.date | None = None) -> Readiness:
    """Which units in publicity may be published now: period over and no standing objection.
    Constant queries."""
    today = today or timezone.localdate()
    units = list(
        Application.objects.visible_to(user)
        .filter(batch=batch, state=S.PUBLICITY)
        .select_related("unit", "city")
        .order_by("city__position", "unit__name")
    )
    latest = {}
    for entry in PublicityEntry.objects.filter(application__in=units).order_by(
        "application_id", "-publicity_round__starts_on", "-pk"
    ):
        latest.setdefault(entry.application_id, entry.pk)
    standing = set(
        Objection.objects.filter(entry_id__in=latest.values(), state__in=STANDING).values_list(
            "entry__application_id", flat=True
        )
    )
    ready, waiting, blocked = [], [], []
    for a in units:
        if a.pk in standing:
            blocked.append(a)
        elif a.publicity_ends_on is None or a.publicity_ends_on >= today:
            waiting.append(a)
        else:
            ready.append(a)
    return Readiness(ready=ready, waiting=waiting, blocked=blocked)


def filed_count(user, batch) -> int:
    return objections_of(user, batch).filter(state=ObjectionState.FILED).count()
