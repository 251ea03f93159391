"""Writes for expert review: assign, end an assignment, record an opinion.

None of these changes the application's state: the province's decision after the review (to
publicity, back to the city, rejected) goes through applications.services.application_transition
(the publicity round through publicity.services.publicity_round_open)."""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from applications.models import Application
from applications.states import ApplicationState as S
from core.exceptions import Forbidden, InvalidInput, NotAllowedNow

from .models import ExpertAssignment, ExpertOpinion


def _require_province(application, by):
    if not roles.is_province(by):
        raise Forbidden(_("只有省经信厅可以安排专家评审。"))


def _require_province_review(application):
    if application.state != S.PROVINCE_REVIEW:
        raise NotAllowedNow(
            _("申报当前状态为“%(state)s”，只有省级评估中的申报可以安排专家评审。")
            % {"state": application.get_state_display()}
        )


def expert_assign(*, application: Application, expert: User, by) -> ExpertAssignment:
    """通知 二(四): the province assigns an invited expert to an application it is evaluating."""
    _require_province(application, by)
    if not roles.is_expert(expert) or not expert.is_active:
        raise InvalidInput(_("请选择评审专家。"))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        _require_province_review(locked)
        try:
            with transaction.atomic():
                return ExpertAssignment.objects.create(application=locked, expert=expert, assigned_by=by)
        except IntegrityError:
            raise NotAllowedNow(
                _("已指派%(expert)s评审该申报。") % {"expert": expert.get_full_name() or expert.username}
            ) from None


def expert_unassign(*, assignment: ExpertAssignment, by) -> ExpertAssignment:
    """The province ends an assignment the expert has not yet answered."""
    _require_province(assignment.application, by)
    with transaction.atomic():
        locked = ExpertAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.ended_at is not None:
            raise NotAllowedNow(_("该指派已撤销。"))
        if ExpertOpinion.objects.filter(assignment=locked).exists():
            raise NotAllowedNow(_("专家已提交评审意见，不能撤销指派。"))
        locked.ended_at = timezone.now()
        locked.ended_by = by
        locked.save(update_fields=["ended_at", "ended_by"])
    return locked


def parse_score(raw) -> Decimal | None:
    """An optional score from 0 to 100 with at most one decimal, or a Chinese message."""
    raw = (raw or "").strip() if isinstance(raw, str) else raw
    if raw in ("", None):
        return None
    try:
        score = Decimal(str(raw))
    except InvalidOperation:
        raise InvalidInput(_("评分应为0到100之间的数字。")) from None
    if not score.is_finite() or score < 0 or score > 100 or score != score.quantize(Decimal("0.1")):
        raise InvalidInput(_("评分应为0到100之间的数字，最多一位小数。"))
    return score


def expert_opinion_record(
    *, application: Application, by, passed: bool | None, score=None, comments: str
) -> ExpertOpinion:
    """The assigned expert records (or, while the province is still evaluating, revises) their
    one opinion on the application: pass or not, an optional score, and comments."""
    comments = (comments or "").strip()
    errors = []
    if passed is None:
        errors.append(_("请选择评审结论。"))
    if not comments:
        errors.append(_("请填写评审意见。"))
    if errors:
        raise InvalidInput(*errors)
    score = parse_score(score)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        assignment = (
            ExpertAssignment.objects.select_for_update()
            .filter(application=locked, expert=by, ended_at__isnull=True)
            .first()
        )
        if assignment is None:
            raise Forbidden(_("您未被指派评审该申报。"))
        if locked.state != S.PROVINCE_REVIEW:
            raise NotAllowedNow(_("省经信厅已作出决定，不能再提交或修改评审意见。"))
        opinion, _created = ExpertOpinion.objects.update_or_create(
            assignment=assignment, defaults={"passed": passed, "score": score, "comments": comments}
        )
    return opinion
