"""What waits for each role, with counts and deadlines, for the top of its home page.

Every count comes from the selector the role's own pages use (the review queue, dynamic
management's forms, the verification queue, the expert's tasks, the province's submissions,
publicity and objections), so a to-do and its page always agree; a constant number of queries
whatever the data.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from applications.models import Application
from applications.selectors import quota_for, quota_used
from applications.states import ApplicationState as S
from dynamic.models import DynamicForm
from dynamic.states import FORM_STATE_FACTS
from experts.models import ExpertAssignment
from experts.selectors import expert_tasks
from onboarding.selectors import pending_registrations
from publicity.selectors import filed_count
from reviews.models import CitySubmission, SubmissionState
from reviews.selectors import review_queue

# Publicity rounds ending within this many days are listed as "ending".
ENDING_SOON_DAYS = 3


@dataclass(frozen=True)
class Todo:
    label: str
    count: int | None = None
    url_name: str = ""
    due: datetime.date | None = None
    days_left: int | None = None
    note: str = ""


def _days(date, today):
    return (date - today).days if date else None


def todos_for(user, batch, today: datetime.date | None = None) -> list[Todo]:
    today = today or timezone.localdate()
    org = roles.organisation_of(user)
    if org is None:
        return []
    items: list[Todo] = []
    if roles.is_reviewing_bureau(user):
        pending = review_queue(user, tab="pending")
        if batch is not None:
            pending = pending.filter(batch=batch)
        items.append(Todo(_("待审核的申报"), pending.count(), "review-queue"))
    # 动态管理表: the states the bureau holds, read from the forms' state table.
    held = [s for s, facts in FORM_STATE_FACTS.items() if facts.holder and facts.holder.is_user(user)]
    if held:
        forms = DynamicForm.objects.visible_to(user).filter(state__in=held)
        if batch is not None:
            forms = forms.filter(batch=batch)
        items.append(Todo(_("待审核的动态管理表"), forms.count(), "dynamic-forms"))
    if roles.verifiable_q(user) is not None:
        items.append(Todo(_("待核验的单位注册"), pending_registrations(user).count(), "verification-queue"))
    if batch is not None and roles.is_city_bureau(user):
        quota = quota_for(batch, org.city_id, "factory")
        used = quota_used(batch, org.city_id, "factory")
        items.append(
            Todo(
                _("工厂推荐名额"),
                used,
                "review-queue",
                note=_("已推荐%(used)d家，名额%(quota)s家")
                % {"used": used, "quota": quota if quota is not None else "—"},
            )
        )
        deadline = batch.submission_deadline_for(org.city_id)
        items.append(Todo(_("向省经信厅报送"), None, "submission-current", deadline, _days(deadline, today)))
        list_deadline = batch.city_list_deadline_for(org.city_id)  # with the city's extension
        items.append(Todo(_("报送市级名单"), None, "lists-city", list_deadline, _days(list_deadline, today)))
    if batch is not None and roles.is_province(user):
        received = CitySubmission.objects.visible_to(user).filter(batch=batch, state=SubmissionState.SENT)
        items.append(Todo(_("已收到的设区市报送"), received.count(), "submission-list"))
        missing = ExpertAssignment.objects.filter(
            ended_at__isnull=True,
            opinion__isnull=True,
            application__in=Application.objects.visible_to(user).filter(batch=batch, state=S.PROVINCE_REVIEW),
        )
        items.append(Todo(_("待提交的专家意见"), missing.count(), "expert-board"))
        ending = Application.objects.visible_to(user).filter(
            batch=batch,
            state=S.PUBLICITY,
            publicity_ends_on__lte=today + datetime.timedelta(days=ENDING_SOON_DAYS),
        )
        items.append(Todo(_("公示即将结束或已结束"), ending.count(), "publicity-manage"))
        items.append(Todo(_("待处理的异议"), filed_count(user, batch), "publicity-manage"))
    if roles.is_expert(user):
        items.append(
            Todo(_("待评审的申报"), expert_tasks(user).filter(opinion__isnull=True).count(), "expert-tasks")
        )
    return items
