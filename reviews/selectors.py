"""Reads for reviewers: the bureau's queue and its decisions, one application's indicators, and
the city's submission. Everything starts from `Application.objects.visible_to(user)` (or the
submission's own `visible_to`), so another region's objects are simply not found."""

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from applications.conditions import unmet
from applications.models import Application, Document, DocumentKind
from applications.selectors import unit_matching
from applications.states import DECISIONS, ApplicationKind, facts
from applications.states import ApplicationState as S
from reference.models import IndustryDivision

from .models import CitySubmission, SubmissionState
from .units import forget_submission_units, submission_applications, submission_counts  # noqa: F401

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
# What the bureau passed, returned or rejected: the latest decision first.
DECIDED_ORDER = ("-decided_at", "-pk")


def _passed_by_their_holder() -> set[str]:
    """States a bureau reaches by passing what it held itself (市级已推荐 after the city's
    recommendation): it still holds them, but they wait for its submission, not for its review."""
    field = Application._meta.get_field("state")
    return {
        t.target
        for t in field.get_all_transitions(Application)
        if t.name in DECISIONS["passed"]
        and facts(t.source).holder is not None
        and facts(t.source).holder == facts(t.target).holder
    }


def pending_states(user) -> tuple:
    """The states a bureau's 待审核 tab waits on: those it holds (states.STATE_FACTS) and has not
    decided yet; what it passed itself is under 已通过."""
    decided = _passed_by_their_holder()
    return tuple(
        s for s in S if (holder := facts(s).holder) is not None and holder.is_user(user) and s not in decided
    )


# The queue's tabs, named as they are shown (通知 二(二)).
QUEUE_TABS = {
    "pending": gettext_lazy("待审核"),
    "passed": gettext_lazy("已通过"),
    "returned": gettext_lazy("已退回"),
    "rejected": gettext_lazy("未通过"),
}


def queue_row(a, names, today=None) -> dict:
    """One row of the queue (page or spreadsheet): the application, its industry or park type,
    days waiting, whether its documents are complete."""
    return {
        "a": a,
        "industry": names.get((a.industry_class or "")[:2], "")
        if a.kind == ApplicationKind.FACTORY
        else a.unit.park.get_park_type_display(),
        "days": days_waiting(a.entered_state_at, today),
        "docs_complete": a.has_report and a.commitment_ok,
    }


def review_queue(
    user, *, tab="pending", state="", county="", kind="", industry="", assessor="", q="", sort=""
):
    """The bureau's queue (tab "pending") or what it has passed, returned or rejected, filtered and
    sorted, with the columns the queue shows annotated: constant queries whatever the rows."""
    qs = _in_tab(Application.objects.visible_to(user), user, tab)
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
        qs = qs.filter(unit_matching(q))
    qs = _with_columns(qs)
    key = sort.lstrip("-")
    if key in SORTS:
        field = SORTS[key]
        return qs.order_by(f"-{field}" if sort.startswith("-") else field, "pk")
    return qs.order_by(*(DEFAULT_ORDER if tab == "pending" else DECIDED_ORDER))


def review_queue_rows(user, *, tab="pending", ids):
    """One page of `review_queue` (its ids, in any order) with the columns the queue shows:
    through the gate and the tab again, not through the filters and the search that chose the
    ids (a search re-run for 50 rows costs what it cost for the whole list)."""
    return _with_columns(_in_tab(Application.objects.visible_to(user).filter(pk__in=ids), user, tab))


def _in_tab(qs, user, tab):
    if tab == "pending":
        return qs.filter(state__in=pending_states(user))
    # The bureau's decisions of the tab's kind, one row per application with the time of the
    # latest (BureauDecision, kept by applications.services.application_transition): read from
    # their index, not grouped out of the bureau's whole history on every request.
    return qs.filter(
        bureau_decisions__organisation_id=user.organisation_id, bureau_decisions__kind=tab
    ).annotate(decided_at=F("bureau_decisions__decided_at"))


def _with_columns(qs):
    docs = Document.objects.filter(application=OuterRef("pk"))
    return qs.annotate(
        entered_state_at=F("state_changed_at"),
        has_report=Exists(docs.filter(kind=DocumentKind.SELF_EVALUATION_REPORT)),
        commitment_ok=Case(
            When(assessor__isnull=True, then=Value(True)),
            default=Exists(docs.filter(kind=DocumentKind.COMMITMENT_LETTER)),
            output_field=BooleanField(),
        ),
    ).select_related("unit__enterprise", "unit__park", "county", "assessor__organisation")


def selected_unit_names(user, pks) -> list[str]:
    """The units of the applications ticked in the queue that `user` may see (a bulk action's
    confirmation names them; an id from another region names nothing)."""
    return list(
        Application.objects.visible_to(user)
        .filter(pk__in=pks)
        .order_by("unit__name", "pk")
        .values_list("unit__name", flat=True)
    )


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


def submission_problems(submission) -> list[str]:
    """Why the submission cannot be sent now (empty when it can): the send transition's
    conditions, checked before the city presses the button."""
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
