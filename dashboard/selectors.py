"""The dashboard's figures and the lists behind them, for the province.

Every figure is a count over `Application.objects.visible_to(user)` for the batch, and every
figure's link opens `filtered_applications` with the same filters, so a number and its list
always agree. The filters:

- city, state, kind, assessor_group: equality;
- division: the GB/T 4754 division, i.e. the first two digits of the four-digit industry class;
- stage:
  - "recommended" — counted against the city's quota (applications.counted_for_quota: the
    city has recommended it and it is not returned or withdrawn; a later rejection keeps it
    counted);
  - "passed" — PASSED_STATES below;
  - "cap" — counted against the assessor group's cap (states.ASSESSOR_CAP_COUNTED).
"""

from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Substr

from accounts.models import AssessorGroup
from applications.models import Application
from applications.states import (
    ASSESSOR_CAP_COUNTED,
    QUOTA_COUNTED,
    ApplicationKind,
    ApplicationState,
)
from quotas.models import CityQuota
from reference.models import City, IndustryDivision
from reviews.models import CitySubmission, SubmissionState

S = ApplicationState

# "Passed" (通过): the city's recommendation reached the province and the unit is still in the
# running or on the list — in provincial review, in publicity or published (通知 二(四)). A
# rejected or withdrawn unit has not passed, whatever it reached before.
PASSED_STATES = (S.PROVINCE_REVIEW, S.PUBLICITY, S.PUBLISHED)

STAGES = {
    "recommended": lambda qs: qs.counted_for_quota(),
    "passed": lambda qs: qs.filter(state__in=PASSED_STATES),
    "cap": lambda qs: qs.filter(state__in=ASSESSOR_CAP_COUNTED),
}


def batch_applications(user, batch):
    return Application.objects.visible_to(user).filter(batch=batch)


def filtered_applications(
    user, batch, *, city=None, state=None, kind=None, division=None, assessor_group=None, stage=None
):
    """The list behind a dashboard figure. Unset filters are ignored."""
    qs = batch_applications(user, batch)
    if city:
        qs = qs.filter(city_id=city)
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if division:
        qs = qs.filter(industry_class__startswith=division)
    if assessor_group:
        qs = qs.filter(assessor__group_id=assessor_group)
    if stage:
        qs = STAGES[stage](qs)
    return qs


def recommended_to_province(user, batch):
    """The units the cities have recommended to the province in `batch` and that are still on
    the recommendation (the province-wide Annex 2, 通知 三 and 附件2): applications carried by one
    of their city's sent submissions (CitySubmission "sent", i.e. the letter and Annex 2 went to
    the province) whose state is now provincial review, publicity or published (PASSED_STATES).
    A unit the province rejected, or returned to the city, is not listed; a returned unit comes
    back when the city sends it again in a supplementary submission."""
    sent = CitySubmission.objects.filter(batch=batch, state=SubmissionState.SENT, applications=OuterRef("pk"))
    return batch_applications(user, batch).filter(Exists(sent), state__in=PASSED_STATES)


@dataclass(frozen=True)
class TallyRow:
    city_id: str
    kind: str
    state: str
    division: str
    group_id: int | None
    counted_for_quota: bool
    n: int


def batch_tally(user, batch) -> list[TallyRow]:
    """One pass over the batch: counts by city, kind, state, GB/T 4754 division, assessor group
    and whether the application counts against its city's quota. Every figure of the dashboard
    is a sum over these rows (pass `tally=` to the functions below), so the page reads the batch
    once instead of once per figure."""
    rows = (
        batch_applications(user, batch)
        .annotate(
            division=Substr("industry_class", 1, 2),
            counted=Case(
                # Application.counted_for_quota, as one column (states.QUOTA_COUNTED).
                When(Q(city_recommended_at__isnull=False, state__in=QUOTA_COUNTED), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .values("city_id", "kind", "state", "division", "assessor__group_id", "counted")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        TallyRow(
            r["city_id"],
            r["kind"],
            r["state"],
            r["division"] or "",
            r["assessor__group_id"],
            r["counted"],
            r["n"],
        )
        for r in rows
    ]


def _sum_by(tally, key, where=lambda r: True) -> dict:
    out: dict = {}
    for r in tally:
        if where(r):
            k = key(r)
            out[k] = out.get(k, 0) + r.n
    return out


@dataclass
class CityFigures:
    city: City
    quota: int | None
    recommended: int  # factories counted against the quota
    passed: int  # factories in PASSED_STATES
    parks_recommended: int
    parks_passed: int


def city_figures(user, batch, *, tally=None) -> list[CityFigures]:
    """Per city, in the notice's order: factory quota vs recommended vs passed, and the parks.
    Three queries (two with `tally`)."""
    quotas = dict(CityQuota.objects.filter(batch=batch).values_list("city_id", "factory_quota"))
    tally = batch_tally(user, batch) if tally is None else tally
    recommended = _sum_by(tally, lambda r: (r.city_id, r.kind), lambda r: r.counted_for_quota)
    passed = _sum_by(tally, lambda r: (r.city_id, r.kind), lambda r: r.state in PASSED_STATES)
    F, P = ApplicationKind.FACTORY, ApplicationKind.PARK
    return [
        CityFigures(
            city=c,
            quota=quotas.get(c.code),
            recommended=recommended.get((c.code, F), 0),
            passed=passed.get((c.code, F), 0),
            parks_recommended=recommended.get((c.code, P), 0),
            parks_passed=passed.get((c.code, P), 0),
        )
        for c in City.objects.order_by("position", "code")
    ]


def state_counts(user, batch, *, tally=None) -> list[tuple[str, str, int]]:
    """(state, label, count) in the workflow's order, states with none left out."""
    tally = batch_tally(user, batch) if tally is None else tally
    counts = _sum_by(tally, lambda r: r.state)
    return [(s.value, s.label, counts[s.value]) for s in ApplicationState if counts.get(s.value)]


def division_counts(user, batch, *, tally=None) -> list[tuple[str, str, int]]:
    """(division code, name, count) of factories by GB/T 4754 division (first two digits of the
    industry class), by code."""
    tally = batch_tally(user, batch) if tally is None else tally
    rows = _sum_by(tally, lambda r: r.division, lambda r: r.division).items()
    names = dict(IndustryDivision.objects.values_list("code", "name"))
    return sorted((code, names.get(code, code), n) for code, n in rows)


@dataclass
class GroupFigures:
    group: AssessorGroup
    applications: int  # every visible application naming an assessor of the group
    cap_used: int  # counted against the cap (states.ASSESSOR_CAP_COUNTED)
    cap: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.cap_used / self.cap)) if self.cap else 0

    @property
    def at_cap(self) -> bool:
        return self.cap_used >= self.cap


def assessor_group_figures(user, batch, *, tally=None) -> list[GroupFigures]:
    """Per assessor group (legal entity with affiliates) named in the batch: its applications and
    its use of the batch's cap (通知 二(一))."""
    tally = batch_tally(user, batch) if tally is None else tally
    named = _sum_by(tally, lambda r: r.group_id, lambda r: r.group_id is not None)
    used = _sum_by(
        tally, lambda r: r.group_id, lambda r: r.group_id is not None and r.state in ASSESSOR_CAP_COUNTED
    )
    counts = {g: {"n": n, "used": used.get(g, 0)} for g, n in named.items()}
    groups = AssessorGroup.objects.filter(pk__in=list(counts)).order_by("name")
    return [
        GroupFigures(
            group=g, applications=counts[g.pk]["n"], cap_used=counts[g.pk]["used"], cap=batch.assessor_cap
        )
        for g in groups
    ]
