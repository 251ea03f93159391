"""Reads for expert review. Every query starts from `Application.objects.visible_to(user)`."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from accounts import roles
from accounts.models import User
from applications.models import Application
from applications.selectors import application_for
from applications.states import ApplicationState as S

from .models import ExpertAssignment


def expert_users():
    return (
        User.objects.filter(roles.expert_users(), is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name", "username")
    )


def expert_tasks(user):
    """The expert's active assignments on applications they may see, with their opinion."""
    return (
        ExpertAssignment.objects.filter(
            expert=user, ended_at__isnull=True, application__in=Application.objects.visible_to(user)
        )
        .select_related("application__unit", "application__city", "application__county", "application__batch")
        .select_related("opinion")
        .order_by("application__city__position", "application__unit__name")
    )


def _active_assignments():
    return Prefetch(
        "expert_assignments",
        queryset=ExpertAssignment.objects.filter(ended_at__isnull=True).select_related(
            "expert__organisation", "opinion"
        ),
        to_attr="active_assignments",
    )


@dataclass
class OpinionSummary:
    assigned: int
    answered: int
    passed: int
    average_score: Decimal | None

    @property
    def complete(self) -> bool:
        return self.assigned > 0 and self.answered == self.assigned


def summarise(assignments) -> OpinionSummary:
    opinions = [a.opinion for a in assignments if hasattr(a, "opinion")]
    scores = [o.score for o in opinions if o.score is not None]
    return OpinionSummary(
        assigned=len(assignments),
        answered=len(opinions),
        passed=sum(1 for o in opinions if o.passed),
        average_score=(sum(scores) / len(scores)).quantize(Decimal("0.1")) if scores else None,
    )


def review_board(user, batch) -> list[Application]:
    """通知 二(四): the applications the province is evaluating in `batch`, each with its active
    assignments (`active_assignments`, opinions attached) and a `summary`. Constant queries."""
    applications = list(
        Application.objects.visible_to(user)
        .filter(batch=batch, state=S.PROVINCE_REVIEW)
        .select_related("unit", "city", "county")
        .prefetch_related(_active_assignments())
        .order_by("city__position", "kind", "unit__name")
    )
    for application in applications:
        application.summary = summarise(application.active_assignments)
    return applications


def application_under_review(user, pk) -> Application:
    """One application for the province's decision page, with its active assignments."""
    application = application_for(
        user, pk, queryset=Application.objects.prefetch_related(_active_assignments())
    )
    application.summary = summarise(application.active_assignments)
    return application


def opinion_history(application):
    """Every assignment of the application, ended ones included, with its opinion if any."""
    return application.expert_assignments.select_related("expert__organisation", "opinion", "assigned_by")
