"""Reads for reviewers: the bureau's queue and its decisions, one application's indicators, and
the city's submission. Everything starts from `Application.objects.visible_to(user)` (or the
submission's own `visible_to`), so another region's objects are simply not found."""

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from applications.models import Application, Document, DocumentKind, TransitionLog
from applications.states import ApplicationKind, facts
from applications.states import ApplicationState as S
from reference.models import IndustryDivision

from .models import CitySubmission, SubmissionState

# The bureau's own decisions, read from the history (通知 二(二): each bureau passes, returns or
# rejects what it holds).
DECISIONS = {
    "passed": ("county_pass", "city_recommend", "send_to_province"),
    "returned": ("return_for_revision",),
    "rejected": ("reject",),
}
TABS = ("pending", *DECISIONS)

SORTS = {
    "unit": "unit__name",
    "county": "county_id",
    "industry": "industry_class",
    "assessor": "assessor__organisation__name",
    "submitted": "submitted_at",
    "days": "entered_state_at",
    "state": "state",
}
# Nearest deadline first, then first come first served.
DEFAULT_ORDER = ("batch__city_submission_deadline", "entered_state_at", "pk")


def pending_states(user) -> tuple:
    """The states a bureau's queue waits on: those it holds (states.STATE_FACTS)."""
    return tuple(s for s in S if (holder := facts(s).holder) is not None and holder.is_user(user))


def review_queue(
    user, *, tab="pending", state="", county="", kind="", industry="", assessor="", q="", sort=""
):
    """The bureau's queue (tab "pending") or what it has passed, returned or rejected, filtered and
    sorted, with the columns the queue shows annotated: constant queries whatever the rows."""
    qs = Application.objects.visible_to(user)
    org_pk = user.organisation_id
    if tab == "pending":
        qs = qs.filter(state__in=pending_states(user))
    else:
        decided = TransitionLog.objects.filter(actor__organisation_id=org_pk, transition__in=DECISIONS[tab])
        qs = qs.filter(pk__in=decided.values("application_id"))
        last = decided.filter(application=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
        qs = qs.annotate(decided_at=Subquery(last))
    if state:
        qs = qs.filter(state=state)
    if county:
        qs = qs.filter(county_id=county)
    if kind:
        qs = qs.filter(kind=kind)
    if industry:
        qs = qs.filter(industry_class__startswith=industry)
    if assessor:
        qs = qs.filter(assessor_id=assessor)
    if q:
        qs = qs.filter(Q(unit__name__icontains=q) | Q(unit__enterprise__credit_code__iexact=q.upper()))
    entered = (
        TransitionLog.objects.filter(application=OuterRef("pk"), target=OuterRef("state"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    docs = Document.objects.filter(application=OuterRef("pk"))
    qs = qs.annotate(
        entered_state_at=Subquery(entered),
        has_report=Exists(docs.filter(kind=DocumentKind.SELF_EVALUATION_REPORT)),
        commitment_ok=Case(
            When(assessor__isnull=True, then=Value(True)),
            default=Exists(docs.filter(kind=DocumentKind.COMMITMENT_LETTER)),
            output_field=BooleanField(),
        ),
    ).select_related("batch", "unit__enterprise", "unit__park", "city", "county", "assessor__organisation")
    key = sort.lstrip("-")
    if key in SORTS:
        field = SORTS[key]
        return qs.order_by(f"-{field}" if sort.startswith("-") else field, "pk")
    return qs.order_by(*DEFAULT_ORDER)


def industry_names() -> dict[str, str]:
    """GB/T 4754 division code → name, for the queue's industry column (one query)."""
    return dict(IndustryDivision.objects.values_list("code", "name"))


def days_waiting(since, today=None) -> int | None:
    if since is None:
        return None
    today = today or timezone.localdate()
    return (today - timezone.localtime(since).date()).days


# --- the city's submission -------------------------------------------------------------------


def submission_for(user, pk) -> CitySubmission:
    try:
        return CitySubmission.objects.visible_to(user).select_related("batch", "city", "bureau").get(pk=pk)
    except (CitySubmission.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def submissions_visible(user):
    return (
        CitySubmission.objects.visible_to(user)
        .select_related("batch", "city", "bureau")
        .prefetch_related("documents", "applications")
        .order_by("-batch__year", "city__position", "-created_at")
    )


def submission_applications(submission) -> list[Application]:
    """The units the submission carries: once sent, the list that was sent; while a draft, the
    city's recommended applications of the batch. Parks first, then factories, in the order the
    city recommended them."""
    cache = getattr(submission, "_units_cache", None)
    if cache is not None:
        return cache
    if submission.state == SubmissionState.SENT:
        qs = submission.applications.all()
    else:
        qs = Application.objects.filter(
            batch_id=submission.batch_id, city_id=submission.city_id, state=S.RECOMMENDED
        )
    units = list(
        qs.select_related("unit__enterprise", "unit__park", "assessor__organisation", "county").order_by(
            "-kind", "city_recommended_at", "pk"
        )
    )
    units.sort(key=lambda a: 0 if a.kind == ApplicationKind.PARK else 1)
    submission._units_cache = units
    return units


def forget_submission_units(submission):
    submission.__dict__.pop("_units_cache", None)


def submission_counts(submission) -> dict[str, int]:
    units = submission_applications(submission)
    parks = sum(1 for a in units if a.kind == ApplicationKind.PARK)
    return {"parks": parks, "factories": len(units) - parks, "total": len(units)}


def submission_problems(submission) -> list[str]:
    """Why the submission cannot be sent now (empty when it can): the send transition's
    conditions, checked before the city presses the button."""
    from applications.conditions import unmet

    if submission.state != SubmissionState.DRAFT:
        return []
    field = CitySubmission._meta.get_field("state")
    send = next(t for t in field.get_all_transitions(CitySubmission) if t.name == "send")
    return unmet(submission, send)


def still_in_city_review(submission) -> int:
    """Applications of the city still waiting for the city's decision (a reminder, not a block)."""
    return Application.objects.filter(
        batch_id=submission.batch_id, city_id=submission.city_id, state=S.CITY_REVIEW
    ).count()


def draft_submission(batch, bureau):
    """The city bureau's submission in preparation for the batch, if any."""
    return CitySubmission.objects.filter(
        batch=batch, city_id=bureau.city_id, state=SubmissionState.DRAFT
    ).first()
