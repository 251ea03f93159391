"""Reads: counts the rules need, and what a user may do with an application.

Everything a user sees starts from `Application.objects.visible_to(user)`."""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.lookups import IContains
from django.http import Http404

from accounts.models import Assessor, Enterprise, Organisation
from quotas.usage import Recommended

from . import conditions
from .models import Application
from .quota import quota_for  # noqa: F401  (read by the pages through selectors)
from .states import ASSESSOR_CAP_COUNTED, ApplicationKind, ApplicationState


def application_for(user, pk, *, queryset=None) -> Application:
    """Fetch an application the user may see, or 404 — "missing" and "forbidden" look alike."""
    qs = queryset if queryset is not None else Application.objects.all()
    try:
        return (
            qs.visible_to(user)
            .select_related("batch", "unit", "city", "county", "assessor__organisation", "assessor__group")
            .get(pk=pk)
        )
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def unit_matching(q: str, *, few: bool = False) -> Q:
    """Applications whose unit's name contains `q`, or whose unified social credit code is `q`.

    By default two indexed look-ups (a trigram index on the name on PostgreSQL, the code's unique
    index) instead of a join that reads every organisation. `few=True` is for a list already
    narrowed to a few hundred rows before the search (the units in publicity today, one
    publication): their own units' names are checked through the join, so a word that many
    names share (a city's name) does not make PostgreSQL collect every organisation first."""
    code = q.strip().upper()
    codes = Enterprise.objects.filter(credit_code=code).values("organisation_id")
    if few:
        # The name read for each of the list's rows (a subquery by the unit's primary key, which
        # PostgreSQL cannot turn into a join): as a join it read every organisation of every year
        # first — filtering them by the words, or hashing them all to meet the list's rows.
        name = Subquery(Organisation.objects.filter(pk=OuterRef("unit_id")).order_by().values("name")[:1])
        return Q(IContains(name, q)) | Q(unit_id__in=codes)
    names = Organisation.objects.filter(name__icontains=q).values("pk")
    return Q(unit_id__in=names) | Q(unit_id__in=codes)


def assessor_group_usage(batch, group, *, exclude=None) -> int:
    """Evaluations the assessor group carries in the batch (ApplicationQuerySet.assessor_group_usage)."""
    return Application.objects.assessor_group_usage(batch, group, exclude=exclude)


def quota_used(batch, city_id, kind, *, exclude=None) -> int:
    """Recommendations counted against the city's quota (ApplicationQuerySet.quota_used)."""
    return Application.objects.quota_used(batch, city_id, kind, exclude=exclude)


def recommended_by_city(batch) -> Recommended:
    """Per city, the factories and parks counted against its quota (the same count as
    quota_used, for every city in one query); registered as quotas' usage counter."""
    factories, parks = {}, {}
    for city_id, kind, n in (
        Application.objects.counted_for_quota()
        .filter(batch=batch)
        .values("city_id", "kind")
        .annotate(n=Count("pk"))
        .values_list("city_id", "kind", "n")
    ):
        (factories if kind == ApplicationKind.FACTORY else parks)[city_id] = n
    return Recommended(factories=factories, parks=parks)


@dataclass
class TransitionOption:
    name: str
    label: str
    reason_required: bool
    allowed: bool
    reasons: list[str] = field(default_factory=list)


def transition_options(application, user) -> list[TransitionOption]:
    """The transitions the user holds from the current state, each with whether the notice's
    rules allow it now and, if not, why."""
    options = []
    for t in transitions_from(application.state):
        # Workflow transitions are offered on their own pages (the city's submission, publicity).
        if t.custom.get("workflow") or not t.has_perm(application, user):
            continue
        reasons = conditions.unmet(application, t)
        options.append(
            TransitionOption(
                name=t.name,
                label=str(t.custom.get("label", t.name)),
                reason_required=bool(t.custom.get("reason_required")),
                allowed=not reasons,
                reasons=reasons,
            )
        )
    return options


def transitions_from(state):
    """django-fsm's Transition objects that start at `state`."""
    field = Application._meta.get_field("state")
    return [t for t in field.get_all_transitions(Application) if t.source == state]


def cap_usage_by_group(batch) -> dict[int, int]:
    return dict(
        Application.objects.filter(batch=batch, state__in=ASSESSOR_CAP_COUNTED, assessor__isnull=False)
        .values("assessor__group_id")
        .annotate(n=Count("pk"))
        .values_list("assessor__group_id", "n")
    )


def assessor_choices(batch) -> list[dict]:
    """Every assessor with its group's usage of the batch's cap (通知 二(一)): two queries."""
    usage = cap_usage_by_group(batch)
    cap = batch.assessor_cap
    return [
        {
            "assessor": a,
            "group": a.group,
            "used": usage.get(a.group_id, 0),
            "cap": cap,
            "full": usage.get(a.group_id, 0) >= cap,
        }
        for a in Assessor.objects.select_related("organisation", "group").order_by("organisation__name")
    ]


def returned_reason(application) -> str:
    """The reviewer's reason for the latest return for revision, shown at the top of the page."""
    if application.state != ApplicationState.RETURNED:
        return ""
    log = application.history.filter(transition="return_for_revision").order_by("-created_at", "-pk").first()
    return log.comment if log else ""


def latest_documents(application) -> dict[str, object]:
    """The newest version of each kind of document: what a submission sends."""
    latest = {}
    for d in application.documents.select_related("uploaded_by__organisation").order_by("kind", "-version"):
        latest.setdefault(d.kind, d)
    return latest
