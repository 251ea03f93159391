"""The units a city submission carries, and how many of each kind: below the models, so the send
transition's conditions count them (reviews.selectors re-exports them for the pages)."""

from applications.models import Application
from applications.states import ApplicationKind
from applications.states import ApplicationState as S

from .states import SubmissionState


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
