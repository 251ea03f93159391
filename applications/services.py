"""Writes: every change to an application goes through one function here.

Each function takes keyword arguments and the acting user as `by`, runs in one transaction,
locks the rows it counts, fires the django-fsm transition, writes the history row and leaves mail
to `transaction.on_commit`."""

from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from accounts import roles
from accounts.models import AssessorGroup
from core.exceptions import Conflict, Forbidden, InvalidInput, NotAllowedNow
from core.history import HistoryEntry
from quotas.models import Batch, CityQuota

from . import conditions, notifications, rules
from . import indicators as declared
from .models import Application, BureauDecision, TransitionLog
from .selectors import assessor_group_usage, transitions_from
from .states import DECISION_KIND, WORKFLOWS, ApplicationKind, ApplicationState, facts


def _all_transitions(name):
    field = Application._meta.get_field("state")
    found = [t for t in field.get_all_transitions(Application) if t.name == name]
    if not found:
        raise InvalidInput(_("未知的操作：%(name)s") % {"name": name})
    return found


def _lock_counted_rows(application, name):
    """Serialise the checks that count other applications (quota, assessor cap): whoever holds the
    lock counts what the others have committed."""
    if name == "city_recommend":
        locked = list(
            CityQuota.objects.select_for_update().filter(
                batch_id=application.batch_id, city_id=application.city_id
            )
        )
        if not locked:
            list(Batch.objects.select_for_update().filter(pk=application.batch_id))
    elif name == "submit" and application.assessor_id:
        list(AssessorGroup.objects.select_for_update().filter(assessors__pk=application.assessor_id))


def transition_workflow(name: str) -> str | None:
    """The workflow a transition belongs to (states.WORKFLOWS), or None for the ordinary ones."""
    return next((t.custom.get("workflow") for t in _all_transitions(name)), None)


class WorkflowPass:
    """Proof that a workflow's own module fires one of its transitions (docs/decisions/0006).

    Each workflow module takes its pass once, when it is imported (its AppConfig.ready imports
    it at start-up), and keeps it private; application_transition compares the pass it is given
    with the one issued, by identity. A name typed by any other caller, or a pass built by hand,
    is refused; taking the pass a second time raises."""

    __slots__ = ("workflow",)

    def __init__(self, workflow: str):
        self.workflow = workflow

    def __repr__(self):
        return f"<WorkflowPass {self.workflow}>"


_issued: dict[str, WorkflowPass] = {}


def issue_workflow_pass(workflow: str) -> WorkflowPass:
    """The pass of `workflow` (a key of states.WORKFLOWS), for its own module only."""
    if workflow not in WORKFLOWS:
        raise ValueError(f"Unknown workflow: {workflow}")
    if workflow in _issued:
        raise RuntimeError(f"The {workflow} workflow's pass has been taken already.")
    _issued[workflow] = issued = WorkflowPass(workflow)
    return issued


def application_transition(
    application: Application, *, name: str, by, comment: str = "", via: WorkflowPass | None = None, **kwargs
) -> Application:
    """Fire transition `name` on `application` as user `by`.

    A transition that belongs to a workflow (states.WORKFLOWS) fires only when its module says
    so with its private pass, `via=` (WorkflowPass): the city's submission sends to the province
    (reviews.services), the publicity round opens publicity, upholds objections and publishes
    (publicity.services).

    Raises InvalidInput (unknown name, missing reason), Forbidden (the user's role or region
    never fires it here), NotAllowedNow (the state or a rule of the notice refuses it, with the
    reasons) or Conflict (someone else changed the application first)."""
    candidates = _all_transitions(name)
    comment = (comment or "").strip()
    if not any(t.has_perm(application, by) for t in candidates):
        raise Forbidden(_("您没有权限执行此操作。"))
    current = next((t for t in transitions_from(application.state) if t.name == name), None)
    if current is None:
        raise NotAllowedNow(
            _("申报当前状态为“%(state)s”，不能执行“%(action)s”。")
            % {"state": application.get_state_display(), "action": candidates[0].custom.get("label", name)}
        )
    if not current.has_perm(application, by):
        raise Forbidden(_("您没有权限执行此操作。"))
    workflow = current.custom.get("workflow")
    if workflow and (via is None or via is not _issued.get(workflow)):
        raise NotAllowedNow(WORKFLOWS[workflow])
    if current.custom.get("reason_required") and not comment:
        raise InvalidInput(_("请填写原因。"))

    source = application.state
    try:
        with transaction.atomic():
            _lock_counted_rows(application, name)
            reasons = conditions.unmet(application, current)
            if reasons:
                raise NotAllowedNow(*reasons)
            getattr(application, name)(**kwargs)
            now = timezone.now()
            application.state_changed_at = now
            if application.state == ApplicationState.CITY_REVIEW and application.reached_city_at is None:
                application.reached_city_at = now
            application.save()
            log = TransitionLog.objects.create(
                application=application,
                transition=name,
                source=source,
                target=application.state,
                **HistoryEntry.acting(by),
                comment=comment,
                created_at=now,
            )
            _decision_note(application, name, by, now)
            transaction.on_commit(partial(notifications.state_changed, log.pk))
    except ConcurrentTransition:
        application.refresh_from_db()
        raise Conflict(
            _("该申报刚被其他人处理，当前状态为“%(state)s”，请刷新后再操作。")
            % {"state": application.get_state_display()}
        ) from None
    except NotAllowedNow:
        application.refresh_from_db()
        raise
    return application


def _decision_note(application, name, by, at) -> None:
    """Keep the decided tabs' row (BureauDecision) of the actor's organisation: its latest
    decision of this kind on the application. One upsert, in the transition's transaction."""
    kind = DECISION_KIND.get(name)
    if kind is None or by.organisation_id is None:
        return
    BureauDecision.objects.bulk_create(
        [
            BureauDecision(
                application=application, organisation_id=by.organisation_id, kind=kind, decided_at=at
            )
        ],
        update_conflicts=True,
        unique_fields=["application", "organisation", "kind"],
        update_fields=["decided_at"],
    )


def application_create(*, unit, batch, by, **fields) -> Application:
    """Start an application for `unit` in `batch`: one per unit per batch."""
    if by.organisation_id != unit.pk or not roles.organisation_is_applicant(unit):
        raise Forbidden(_("只有企业或园区管理机构本身可以发起申报。"))
    if not batch.accepting_applications:
        raise NotAllowedNow(_("%(year)d年批次未在接受申报。") % {"year": batch.year})
    kind = ApplicationKind.FACTORY if roles.organisation_is_enterprise(unit) else ApplicationKind.PARK
    if kind == ApplicationKind.FACTORY:
        fields.setdefault("industry_class", unit.enterprise.industry_class)
    try:
        with transaction.atomic():
            return Application.objects.create(
                batch=batch, unit=unit, kind=kind, city_id=unit.city_id, county_id=unit.county_id, **fields
            )
    except IntegrityError:
        raise NotAllowedNow(
            _("%(unit)s在%(year)d年批次已有申报，每个单位每批次只能申报一次。")
            % {"unit": unit.name, "year": batch.year}
        ) from None


def drafts_follow_unit_region(unit) -> None:
    """A draft has not reached any bureau yet: it follows the unit's corrected region (called by
    accounts.services.profile_update). Anything submitted keeps the region its reviewers saw."""
    Application.objects.filter(unit=unit, state=ApplicationState.DRAFT).update(
        city_id=unit.city_id, county_id=unit.county_id
    )


def editable_application(application, by):
    """Guard for edits of the application's own data (not its state)."""
    if not rules.is_applicant(application, by):
        raise Forbidden(_("只有申报单位可以修改申报内容。"))
    if not facts(application.state).applicant_may_edit:
        raise NotAllowedNow(_("申报已提交，不能修改。"))


def application_update(application, *, by, indicators: dict | None = None, industry_class=None):
    """Save the self-evaluation's data as a draft (通知 二(一)): as often as the unit likes, while
    the application is a draft or has been returned."""
    editable_application(application, by)
    if indicators is not None:
        try:
            indicators = declared.normalise(application.kind, application.batch, indicators)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        fields = ["updated_at"]
        if indicators is not None:
            locked.indicators = indicators
            fields.append("indicators")
        if industry_class is not None and locked.kind == ApplicationKind.FACTORY:
            locked.industry_class = industry_class
            fields.append("industry_class")
        editable_application(locked, by)
        locked.save(update_fields=fields)
    application.indicators, application.industry_class = locked.indicators, locked.industry_class
    return application


def application_assessor_set(application, *, by, assessor, may_upload: bool = False):
    """Name (or clear) the third-party assessor doing the self-evaluation on the unit's behalf
    (通知 二(一)). Refused while the assessor's legal entity with its affiliates has reached the
    batch's cap of evaluations; the count is taken under a lock on the group."""
    editable_application(application, by)
    with transaction.atomic():
        if assessor is not None:
            group = AssessorGroup.objects.select_for_update().get(pk=assessor.group_id)
            cap = application.batch.assessor_cap
            used = assessor_group_usage(application.batch, group, exclude=application)
            if used >= cap:
                raise NotAllowedNow(
                    _(
                        "%(group)s（含关联单位）本批次评价项目已达上限%(cap)d项（已有%(used)d项），"
                        "请选择其他评价机构。"
                    )
                    % {"group": group.name, "cap": cap, "used": used}
                )
        locked = Application.objects.select_for_update().get(pk=application.pk)
        editable_application(locked, by)
        locked.assessor = assessor
        locked.assessor_may_upload = bool(may_upload) and assessor is not None
        locked.save(update_fields=["assessor", "assessor_may_upload", "updated_at"])
    application.assessor, application.assessor_may_upload = locked.assessor, locked.assessor_may_upload
    return application
