"""Writes for publicity: open a round, file and decide objections, publish.

Every change of an application's state goes through application_transition; the objection's own
machine writes its append-only ObjectionLog in the same transaction."""

import datetime
import hashlib
import uuid
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from accounts import roles
from applications.documents import check_pdf
from applications.models import Application
from applications.services import application_transition, issue_workflow_pass
from applications.states import ApplicationState as S
from core.exceptions import Conflict, Forbidden, InvalidInput, NotAllowedNow
from core.history import HistoryEntry
from dynamic.services import adjustments_publish
from experts.models import ExpertOpinion
from lists.services import PublishedUnit, provincial_entries_write
from quotas.models import Batch

from . import notifications
from .models import (
    Objection,
    ObjectionAttempt,
    ObjectionEvidence,
    ObjectionLog,
    ObjectionOutcome,
    ObjectionState,
    Publication,
    PublicationAdjustment,
    PublicationEntry,
    PublicityEntry,
    PublicityRound,
)
from .notice import publication_notice_pdf
from .selectors import current_entry, has_standing_objection, objectionable_units

# Only this module opens publicity, upholds objections and publishes (通知 二(四), decision 0006).
_PUBLICITY = issue_workflow_pass("publicity")


class FieldError(InvalidInput):
    """Bad input that belongs next to fields of a form: `fields` maps a field to its reasons."""

    def __init__(self, fields: dict[str, list[str]]):
        super().__init__(*[reason for reasons in fields.values() for reason in reasons])
        self.fields = fields


class RateLimited(NotAllowedNow):
    """Too many objections from one address within the window."""

    status = 429


def _date(d: datetime.date) -> str:
    return formats.date_format(d, "DATE_FORMAT")


def _require_province(by):
    if not roles.is_province(by):
        raise Forbidden(_("只有省经信厅可以执行此操作。"))


def _round_period(batch: Batch, starts_on, ends_on) -> datetime.date:
    """The round's last day (the batch's publicity length from the start when none is given);
    a missing start or a backdated or shortened period is refused beside its field."""
    if starts_on is None:
        raise FieldError({"starts_on": [_("请填写公示开始日期。")]})
    ends_on = ends_on or batch.publicity_last_day(starts_on)
    if errors := batch.publicity_period_errors(starts_on, ends_on):
        raise FieldError({field: [reason] for field, reason in errors.items()})
    return ends_on


def _round_ids(applications) -> list[int]:
    ids = [a.pk for a in applications]
    if not ids:
        raise InvalidInput(_("请勾选拟公示的单位。"))
    return ids


def _round_refusals(batch: Batch, units: list, ids: list[int]) -> None:
    """Each unit must be in provincial review in this batch and have an expert opinion."""
    problems = []
    if len(units) != len(set(ids)):
        problems.append(_("所选单位中有不存在或无权操作的申报。"))
    reviewed = set(
        ExpertOpinion.objects.filter(
            assignment__application__in=units, assignment__ended_at__isnull=True
        ).values_list("assignment__application_id", flat=True)
    )
    for a in units:
        if a.batch_id != batch.pk:
            problems.append(_("%(unit)s不属于本批次。") % {"unit": a.unit.name})
        elif a.state != S.PROVINCE_REVIEW:
            problems.append(
                _("%(unit)s当前状态为“%(state)s”，不能列入公示。")
                % {"unit": a.unit.name, "state": a.get_state_display()}
            )
        elif a.pk not in reviewed:
            problems.append(_("%(unit)s尚无专家评审意见，不能列入公示。") % {"unit": a.unit.name})
    if problems:
        raise NotAllowedNow(*problems)


def publicity_round_check(
    *, batch: Batch, applications, starts_on: datetime.date, ends_on: datetime.date | None = None, by
) -> tuple[list[Application], datetime.date]:
    """What publicity_round_open would refuse, refused now with the same reasons and nothing
    changed, so the province is asked to confirm only a round that can open (core.confirm).
    Returns the units (by city, then name) and the round's last day."""
    _require_province(by)
    ends_on = _round_period(batch, starts_on, ends_on)
    ids = _round_ids(applications)
    units = list(
        Application.objects.visible_to(by)
        .filter(pk__in=ids)
        .select_related("unit", "batch", "city")
        .order_by("city__position", "unit__name", "pk")
    )
    _round_refusals(batch, units, ids)
    return units, ends_on


def publicity_round_open(
    *,
    batch: Batch,
    applications,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    by,
    comment: str = "",
) -> PublicityRound:
    """通知 二(四): the province publishes the units that passed its evaluation for comment,
    all over one period: it starts today or later and lasts at least the batch's publicity length
    (calendar or working days); the province may set a later end, never an earlier one.

    Each unit must be in provincial review in this batch and have at least one expert opinion."""
    _require_province(by)
    ends_on = _round_period(batch, starts_on, ends_on)
    ids = _round_ids(list(applications))
    with transaction.atomic():
        list(Batch.objects.select_for_update().filter(pk=batch.pk))
        locked = list(
            Application.objects.visible_to(by)
            .select_for_update(of=("self",))
            .filter(pk__in=ids)
            .select_related("unit", "batch", "city")
            .order_by("pk")
        )
        _round_refusals(batch, locked, ids)
        publicity_round = PublicityRound.objects.create(
            batch=batch, starts_on=starts_on, ends_on=ends_on, opened_by=by
        )
        comment = " ".join(
            part
            for part in (
                _("经专家评审，列入公示（%(starts)s至%(ends)s）。")
                % {"starts": _date(starts_on), "ends": _date(ends_on)},
                (comment or "").strip(),
            )
            if part
        )
        for a in locked:
            application_transition(
                a,
                name="start_publicity",
                by=by,
                comment=comment,
                via=_PUBLICITY,
                starts_on=starts_on,
                ends_on=ends_on,
            )
            PublicityEntry.objects.create(publicity_round=publicity_round, application=a)
    return publicity_round


def _not_in_publicity():
    return _("所选单位不在公示期内，公示期外不受理异议。")


def objection_attempt_count(ip_address: str) -> None:
    """Count this post against its address (saved or not) and refuse it past the limit. Runs in
    its own transaction before anything else, so a refused post is counted too."""
    limit = settings.OBJECTION_RATE_LIMIT
    window = datetime.timedelta(seconds=settings.OBJECTION_RATE_WINDOW_SECONDS)
    since = timezone.now() - window
    with transaction.atomic():
        ObjectionAttempt.objects.filter(at__lt=since).delete()
        recent = ObjectionAttempt.objects.filter(ip_address=ip_address, at__gte=since).count()
        ObjectionAttempt.objects.create(ip_address=ip_address)
    if recent >= limit:
        raise RateLimited(
            _("同一地址%(hours)s小时内最多提交%(limit)d次异议，请稍后再试或通过公示所列联系方式反映。")
            % {"hours": f"{window.total_seconds() / 3600:g}", "limit": limit}
        )


def objection_file(
    *,
    application_pk,
    name: str,
    contact: str,
    facts: str,
    ip_address: str,
    evidence=None,
    today: datetime.date | None = None,
) -> Objection:
    """Anyone files an objection against a unit in publicity, during its period, under a real
    name with a contact (通知 二(四)). Refused outside the period, for units not in publicity,
    and beyond the per-address limit; evidence must be a readable PDF."""
    objection_attempt_count(ip_address)

    errors: dict[str, list[str]] = {}
    application = None
    if not application_pk:
        errors["unit"] = [_("请选择异议对象。")]
    else:
        try:
            application = objectionable_units(today).get(pk=application_pk)
        except (Application.DoesNotExist, ValueError, TypeError):
            errors["unit"] = [_not_in_publicity()]
    name, contact, facts = (name or "").strip(), (contact or "").strip(), (facts or "").strip()
    for field, value, message in (
        ("name", name, _("请填写真实姓名。")),
        ("contact", contact, _("请填写联系方式。")),
        ("facts", facts, _("请填写异议事实和理由。")),
    ):
        if not value:
            errors[field] = [message]
    pages = None
    if evidence:
        try:
            pages = check_pdf(evidence)
        except InvalidInput as exc:
            errors["evidence"] = exc.reasons
    if errors:
        raise FieldError(errors)

    with transaction.atomic():
        entry = current_entry(application)
        if entry is None:
            raise FieldError({"unit": [_not_in_publicity()]})
        objection = Objection(
            entry=entry, name=name[:50], contact=contact[:100], facts=facts, ip_address=ip_address
        )
        objection.save()
        if evidence:
            ObjectionEvidence.store(objection=objection, upload=evidence, pages=pages, by=None)
        transaction.on_commit(partial(notifications.objection_filed, objection.pk))
    return objection


def objection_decide(
    *, objection: Objection, decision: str, by, reason: str, outcome: str = ObjectionOutcome.REVIEW
) -> Objection:
    """The province handles an objection: dismissed, or upheld — and then, in the same
    transaction, the unit goes back to provincial review or is rejected."""
    reason = (reason or "").strip()
    if decision not in ("dismiss", "uphold"):
        raise InvalidInput(_("请选择处理结果。"))
    if decision == "uphold" and outcome not in ObjectionOutcome.values:
        raise InvalidInput(_("请选择异议成立后的处理方式。"))
    method = getattr(objection, decision)
    if not has_transition_perm(method, by):
        if objection.state != ObjectionState.FILED:
            raise NotAllowedNow(_("该异议已处理。"))
        raise Forbidden(_("只有省经信厅可以处理异议。"))
    if not reason:
        raise InvalidInput(_("请填写处理意见。"))
    source = objection.state
    try:
        with transaction.atomic():
            locked = Objection.objects.select_for_update().get(pk=objection.pk)
            if not can_proceed(getattr(locked, decision)):
                raise NotAllowedNow(_("该异议已处理。"))
            if decision == "uphold":
                locked.uphold(outcome)
            else:
                locked.dismiss()
            locked.decision_reason = reason
            locked.decided_by = by
            locked.decided_at = timezone.now()
            locked.save()
            ObjectionLog.objects.create(
                objection=locked,
                transition=decision,
                source=source,
                target=locked.state,
                **HistoryEntry.acting(by),
                comment=reason,
            )
            application = locked.entry.application
            if decision == "uphold" and application.state == S.PUBLICITY:
                application_transition(
                    application,
                    name=outcome,
                    by=by,
                    comment=_("异议成立：%(reason)s") % {"reason": reason},
                    via=_PUBLICITY,
                )
            transaction.on_commit(partial(notifications.objection_decided, locked.pk))
    except ConcurrentTransition:
        raise Conflict(_("该异议刚被其他人处理，请刷新后再操作。")) from None
    objection.refresh_from_db()
    return objection


def publication_publish(
    *, batch: Batch, by, document_number: str = "", published_on: datetime.date | None = None
) -> Publication:
    """通知 二(四): the three departments publish the list: every unit of the batch whose
    publicity period is over and against which no objection stands passes to published, in one
    transaction. Refused while any such unit has a standing objection."""
    _require_province(by)
    today = timezone.localdate()
    published_on = published_on or today
    with transaction.atomic():
        list(Batch.objects.select_for_update().filter(pk=batch.pk))
        units = list(
            Application.objects.visible_to(by)
            .select_for_update(of=("self",))
            .filter(batch=batch, state=S.PUBLICITY, publicity_ends_on__lt=today)
            .select_related("unit", "batch", "city")
            .order_by("city__position", "unit__name")
        )
        if not units:
            raise NotAllowedNow(_("没有公示期已结束的单位，暂不能公布。"))
        blocked = [a for a in units if has_standing_objection(a)]
        if blocked:
            raise NotAllowedNow(
                *[
                    _("%(unit)s有未处理或已成立的异议，请先处理异议后再公布。") % {"unit": a.unit.name}
                    for a in blocked
                ]
            )
        publication = Publication.objects.create(
            batch=batch,
            document_number=(document_number or "").strip()[:60],
            published_on=published_on,
            published_by=by,
        )
        comment = publication.document_number or _("联合发文公布")
        for a in units:
            application_transition(a, name="publish", by=by, comment=comment, via=_PUBLICITY)
            PublicationEntry.objects.create(publication=publication, application=a)
        # The provincial list (省级名单) is what publication decides: written in the same
        # transaction, so the list and the publication stand or fall together.
        provincial_entries_write(
            units=[
                PublishedUnit(
                    organisation=a.unit,
                    kind=a.kind,
                    city_id=a.city_id,
                    county_id=a.county_id,
                    industry_class=a.industry_class,
                )
                for a in units
            ],
            year=batch.year,
            source=publication.document_number or batch.notice_number,
            by=by,
        )
        # 通知 一(三): the province's dynamic-management decisions of the year take effect with the
        # same publication — removed units' entries end, renamed ones take their new names — and
        # are published as the adjustment list, in this transaction.
        source = publication.document_number or batch.notice_number
        for form, listed_name, new_name in adjustments_publish(batch=batch, by=by, source=source):
            PublicationAdjustment.objects.create(
                publication=publication, form=form, listed_name=listed_name, new_name=new_name
            )
        transaction.on_commit(partial(publication_notice_store, publication.pk))
    return publication


def publication_notice_store(publication_pk: int) -> Publication:
    """Render the joint notice once and keep it (called after the publication commits, and by
    the download view should that have failed). Idempotent."""
    with transaction.atomic():
        publication = Publication.objects.select_for_update().select_related("batch").get(pk=publication_pk)
        if not publication.notice:
            data = publication_notice_pdf(publication)
            publication.notice.save(f"{uuid.uuid4().hex}.pdf", ContentFile(data), save=False)
            publication.notice_sha256 = hashlib.sha256(data).hexdigest()
            publication.save(update_fields=["notice", "notice_sha256"])
    return publication
