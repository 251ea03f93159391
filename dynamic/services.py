"""Writes for dynamic management: opening the year's campaign, the unit's form and its changes and
documents, every state change of a form, and the publication of the province's decisions.

Keyword-only arguments, the acting user as `by`, one transaction per action; a state change only
through `form_transition` (the transition, an append-only history row, in one transaction)."""

import copy
import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from accounts import roles
from applications.conditions import unmet
from applications.documents import check_pdf
from applications.indicators import normalise_dynamic
from core.exceptions import Conflict, Forbidden, InvalidInput, NotAllowedNow
from lists.models import EntryStatus, ListEntry, Tier
from lists.services import list_entry_remove, list_entry_rename

from . import notifications, rules
from .flags import FLAG_LABELS
from .models import DynamicForm, FormChange, FormDocument, FormDocumentKind, FormLog
from .states import (
    ChangeField,
    Decision,
    FormKind,
    FormState,
    Opinion,
)


def managed_entries(batch):
    """通知 一(三): the units dynamic management covers — active provincial entries listed before
    the batch's year, and national-only units brought under provincial management."""
    provincial = ListEntry.objects.active().filter(tier=Tier.PROVINCIAL, year__lt=batch.year)
    national = ListEntry.objects.active().filter(tier=Tier.NATIONAL, provincial_management=True)
    return (provincial | national).select_related("organisation")


def campaign_pending(batch):
    """The managed units that have no form of this batch yet: what campaign_open would create."""
    return managed_entries(batch).exclude(pk__in=DynamicForm.objects.filter(batch=batch).values("entry_id"))


def campaign_open(*, batch, by) -> int:
    """Open the batch's dynamic management: one form per managed unit that has none yet. Run
    again (the same button) for units listed since; returns how many forms were created."""
    if not roles.is_province(by):
        raise Forbidden(_("只有省经信厅可以开启动态管理。"))
    with transaction.atomic():
        list(type(batch).objects.select_for_update().filter(pk=batch.pk).values_list("pk"))
        new = [
            DynamicForm(
                batch=batch,
                entry=entry,
                kind=FormKind.FACTORY if entry.kind == "factory" else FormKind.PARK,
                unit=entry.organisation,
                city_id=entry.city_id,
                county_id=entry.county_id,
                unit_name=entry.unit_name,
                credit_code=entry.credit_code,
            )
            for entry in campaign_pending(batch)
        ]
        DynamicForm.objects.bulk_create(new)
    return len(new)


def forms_link_unit(organisation) -> int:
    """A listed unit that registers later is matched to its forms by its list entries."""
    return DynamicForm.objects.filter(unit__isnull=True, entry__organisation=organisation).update(
        unit=organisation
    )


# --- the unit's form -----------------------------------------------------------------------------


def _editable(form, by):
    if not (rules.is_unit_of(form, by) or rules.is_filling_assessor(form, by)):
        raise Forbidden(_("只有名单单位本身或其委托代为填报的评价机构可以填写动态管理表。"))
    if not form.is_editable:
        raise NotAllowedNow(_("动态管理表已提交，不能修改。"))


def _pledge_withdrawn_by(form, by) -> bool:
    """The authenticity pledge is the unit's: a change by its assessor withdraws it, so the unit
    pledges to what it finally submits (and the assessor never pledges for it)."""
    if rules.is_unit_of(form, by) or form.pledged_at is None:
        return False
    DynamicForm.objects.filter(pk=form.pk).update(pledged_at=None)
    form.pledged_at = None
    return True


def form_assessor_set(form, *, by, assessor, may_fill: bool) -> DynamicForm:
    """The unit names (or dismisses) a third-party assessor and lets it fill the form and upload
    on its behalf (the applications' assessor, 通知 二(一)). Not an evaluation: the batch's cap on
    evaluations does not count it. Submitting and the pledge stay the unit's."""

    def check(f):
        if not rules.is_unit_of(f, by):
            raise Forbidden(_("只有名单单位本身可以委托评价机构代为填报。"))
        if not f.is_editable:
            raise NotAllowedNow(_("动态管理表已提交，不能修改。"))

    check(form)
    with transaction.atomic():
        locked = DynamicForm.objects.select_for_update().get(pk=form.pk)
        check(locked)
        locked.assessor = assessor
        locked.assessor_may_fill = bool(may_fill) and assessor is not None
        locked.save(update_fields=["assessor", "assessor_may_fill", "updated_at"])
    form.assessor, form.assessor_may_fill = locked.assessor, locked.assessor_may_fill
    return form


IDENTITY_FIELDS = ("address", "park_area", "park_boundary", "scope")
COMPLIANCE_FIELDS = (
    "operating",
    "safety_accident",
    "env_incident",
    "tax_evasion",
    "dishonest",
    "inspection_problems",
    "rectification_unfinished",
)


def form_update(form, *, by, data: dict) -> DynamicForm:
    """Save the unit's form as a draft, as often as it likes while it may edit it. `data` holds
    any of the identity and compliance fields, `indicators` and `pledge` (true to sign the
    authenticity pledge)."""
    _editable(form, by)
    fields = {k: data[k] for k in (*IDENTITY_FIELDS, *COMPLIANCE_FIELDS) if k in data}
    if "indicators" in data:
        try:
            fields["indicators"] = normalise_dynamic(form.kind, form.batch, data["indicators"])
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
    for name in ("operating", "safety_accident", "env_incident"):
        choices = DynamicForm._meta.get_field(name).choices
        if fields.get(name) and fields[name] not in dict(choices):
            raise InvalidInput(
                _("%(field)s：请从列表中选择。") % {"field": DynamicForm._meta.get_field(name).verbose_name}
            )
    if "pledge" in data:
        if not rules.is_unit_of(form, by):
            raise Forbidden(_("真实性承诺须由名单单位本身作出。"))
        fields["pledged_at"] = timezone.now() if data["pledge"] else None
    elif not rules.is_unit_of(form, by):
        fields["pledged_at"] = None  # the assessor's change withdraws the unit's pledge
    with transaction.atomic():
        locked = DynamicForm.objects.select_for_update().get(pk=form.pk)
        _editable(locked, by)
        for name, value in fields.items():
            setattr(locked, name, value)
        try:
            locked.clean_fields(exclude=[f.name for f in DynamicForm._meta.fields if f.name not in fields])
        except ValidationError as exc:
            raise InvalidInput(
                *[
                    f"{DynamicForm._meta.get_field(k).verbose_name}：{m}"
                    for k, ms in exc.message_dict.items()
                    for m in ms
                ]
            ) from None
        locked.save(update_fields=[*fields, "updated_at"])
    for name in fields:
        setattr(form, name, getattr(locked, name))
    return form


def form_document_upload(*, form, kind: str, upload, by) -> FormDocument:
    """A PDF of the form: the unit uploads the signed form, evidence and other material while it
    may edit; the city bureau its on-site evaluation record before it gives its opinion."""
    if kind not in FormDocumentKind.values:
        raise InvalidInput(_("请选择材料类型。"))
    if kind == FormDocumentKind.EVALUATION:
        if not rules.is_city_bureau_of(form, by):
            raise Forbidden(_("现场评估记录由设区市经信局上传。"))
        if form.state not in (
            FormState.DRAFT,
            FormState.RETURNED,
            FormState.COUNTY_REVIEW,
            FormState.CITY_REVIEW,
        ):
            raise NotAllowedNow(_("市级意见已出具，不能再上传现场评估记录。"))
    else:
        _editable(form, by)
    if upload is None:
        raise InvalidInput(_("请选择要上传的 PDF 文件。"))
    pages = check_pdf(upload)
    with transaction.atomic():
        DynamicForm.objects.select_for_update().filter(pk=form.pk).values_list("pk").first()
        if kind != FormDocumentKind.EVALUATION:
            _pledge_withdrawn_by(form, by)
        return FormDocument.store(form=form, kind=kind, upload=upload, pages=pages, by=by)


def form_change_add(*, form, by, field: str, new_value: str, changed_on, upload) -> FormChange:
    """Declare a change since last year with its date and evidence PDF (the licence after a
    rename). The list entry changes only when the province confirms it and publishes."""
    _editable(form, by)
    if field not in ChangeField.values:
        raise InvalidInput(_("请选择变更事项。"))
    new_value = (new_value or "").strip()
    if not new_value:
        raise InvalidInput(_("请填写变更后的内容。"))
    if not isinstance(changed_on, datetime.date) or changed_on > timezone.localdate():
        raise InvalidInput(_("请填写不晚于今天的变更日期。"))
    old = {ChangeField.NAME: form.entry.unit_name, ChangeField.CREDIT_CODE: form.entry.credit_code}.get(
        field, getattr(form, {"boundary": "park_boundary"}.get(field, field), "") or ""
    )
    with transaction.atomic():
        evidence = form_document_upload(
            form=form, kind=FormDocumentKind.CHANGE_EVIDENCE, upload=upload, by=by
        )
        change = FormChange.objects.create(
            form=form,
            field=field,
            old_value=str(old)[:300],
            new_value=new_value[:300],
            changed_on=changed_on,
            evidence=evidence,
        )
        if field == ChangeField.NAME:
            DynamicForm.objects.filter(pk=form.pk).update(unit_name=new_value[:100])
            form.unit_name = new_value[:100]
    return change


def form_change_remove(*, change: FormChange, by) -> None:
    _editable(change.form, by)
    form = change.form
    _pledge_withdrawn_by(form, by)
    if change.field == ChangeField.NAME:
        DynamicForm.objects.filter(pk=form.pk).update(unit_name=form.entry.unit_name)
    change.delete()


# --- state changes ------------------------------------------------------------------------------


def _all_transitions(name):
    found = [
        t for t in DynamicForm._meta.get_field("state").get_all_transitions(DynamicForm) if t.name == name
    ]
    if not found:
        raise InvalidInput(_("未知的操作：%(name)s") % {"name": name})
    return found


def transitions_from(state):
    return [
        t for t in DynamicForm._meta.get_field("state").get_all_transitions(DynamicForm) if t.source == state
    ]


def _take_opinion(form, *, opinion, reasons, text, evaluation_on, evaluation_findings, removal_only=False):
    if not opinion:
        raise InvalidInput(_("请选择市级意见：保留、信息变更或建议撤销。"))
    if opinion not in Opinion.values or (removal_only and opinion != Opinion.REMOVE):
        raise InvalidInput(_("意见无效：%(opinion)s") % {"opinion": opinion})
    reasons = list(dict.fromkeys(reasons or []))
    unknown = [r for r in reasons if r not in FLAG_LABELS]
    if unknown:
        raise InvalidInput(_("未知的理由：%(codes)s") % {"codes": "、".join(map(str, unknown))})
    text = (text or "").strip()
    if opinion == Opinion.REMOVE and not (reasons or text):
        raise InvalidInput(_("建议撤销须选择理由或填写说明。"))
    form.opinion, form.opinion_reasons, form.opinion_text = opinion, reasons, text[:2000]
    if evaluation_on is not None:
        form.evaluation_on = evaluation_on
    if evaluation_findings is not None:
        form.evaluation_findings = evaluation_findings.strip()[:2000]


def _prepare_transition(
    form, *, name, by, comment, opinion, reasons, evaluation_on, evaluation_findings, decision
):
    """form_transition's checks of the user and the input, before anything is saved: the
    transition to fire, with the city's opinion or the province's decision set on `form`."""
    candidates = _all_transitions(name)
    if not any(t.has_perm(form, by) for t in candidates):
        raise Forbidden(_("您没有权限执行此操作。"))
    current = next((t for t in transitions_from(form.state) if t.name == name), None)
    if current is None:
        raise NotAllowedNow(
            _("动态管理表当前状态为“%(state)s”，不能执行“%(action)s”。")
            % {"state": form.get_state_display(), "action": candidates[0].custom.get("label", name)}
        )
    if not current.has_perm(form, by):
        raise Forbidden(_("您没有权限执行此操作。"))
    if current.custom.get("reason_required") and not comment:
        raise InvalidInput(_("请填写原因。"))
    if current.custom.get("opinion"):
        _take_opinion(
            form,
            opinion=opinion,
            reasons=reasons,
            text=comment,
            evaluation_on=evaluation_on,
            evaluation_findings=evaluation_findings,
            removal_only=name == "propose_removal",
        )
    if current.custom.get("decision"):
        if decision not in Decision.values:
            raise InvalidInput(_("请选择省级决定：保留、确认变更或撤销。"))
        if decision == Decision.REMOVE and not comment:
            raise InvalidInput(_("撤销须填写理由。"))
        form.decision, form.decision_reason = decision, comment[:2000]
    return current


def form_transition_check(
    form, *, name: str, by, comment: str = "", opinion=None, reasons=None, decision=None
) -> None:
    """Raise what form_transition would refuse now for this input, changing nothing (neither the
    form nor the database): a page asks for confirmation only when the action could happen."""
    trial = copy.copy(form)
    current = _prepare_transition(
        trial,
        name=name,
        by=by,
        comment=(comment or "").strip(),
        opinion=opinion,
        reasons=reasons,
        evaluation_on=None,
        evaluation_findings=None,
        decision=decision,
    )
    if reasons_unmet := unmet(trial, current):
        raise NotAllowedNow(*reasons_unmet)


def form_transition(
    form,
    *,
    name: str,
    by,
    comment: str = "",
    opinion: str | None = None,
    reasons: list | None = None,
    evaluation_on=None,
    evaluation_findings: str | None = None,
    decision: str | None = None,
) -> DynamicForm:
    """Fire transition `name` on `form` as `by`. The city's opinion (city_conclude,
    propose_removal) takes `opinion`, `reasons` (flag codes) and `comment` as its free text; the
    province's decision (decide) takes `decision` and `comment` as its reason.

    Raises InvalidInput (unknown name, missing reason or opinion), Forbidden (role or region),
    NotAllowedNow (the state or a rule refuses it, with the reasons) or Conflict (someone else
    changed the form first)."""
    comment = (comment or "").strip()
    current = _prepare_transition(
        form,
        name=name,
        by=by,
        comment=comment,
        opinion=opinion,
        reasons=reasons,
        evaluation_on=evaluation_on,
        evaluation_findings=evaluation_findings,
        decision=decision,
    )
    source = form.state
    try:
        with transaction.atomic():
            reasons_unmet = unmet(form, current)
            if reasons_unmet:
                raise NotAllowedNow(*reasons_unmet)
            getattr(form, name)()
            form.save()
            log = FormLog.objects.create(
                **FormLog.acting(by),
                form=form,
                transition=name,
                source=source,
                target=form.state,
                comment=comment,
            )
            transaction.on_commit(partial(notifications.state_changed, log.pk))
    except ConcurrentTransition:
        form.refresh_from_db()
        raise Conflict(
            _("该动态管理表刚被其他人处理，当前状态为“%(state)s”，请刷新后再操作。")
            % {"state": form.get_state_display()}
        ) from None
    except NotAllowedNow:
        form.refresh_from_db()
        raise
    return form


# --- publication ----------------------------------------------------------------------------------


def decided_adjustments(batch):
    """The province's decisions of the year that change the lists — removals and confirmed
    renames — not yet published: the adjustment list (省级绿色制造动态管理调整名单)."""
    return (
        DynamicForm.objects.filter(
            batch=batch,
            state=FormState.DECIDED,
            decision__in=[Decision.REMOVE, Decision.CHANGE],
            published_at__isnull=True,
        )
        .select_related("entry", "city")
        .prefetch_related("changes")
        .order_by("decision", "city__position", "kind", "unit_name")
    )


def adjustments_publish(*, batch, by, source: str) -> list[tuple[DynamicForm, str, str]]:
    """Take the year's decisions into the lists: end the removed units' entries (date, reason,
    the re-application bar) and rename the renamed ones. Call inside the joint publication's
    transaction (publicity.services), so the lists and the published notice change together.
    Returns (form, name on the list, new name or "") for the adjustment list."""
    published = []
    now = timezone.now()
    bar_until = batch.year + batch.removal_bar_years
    for form in decided_adjustments(batch):
        entry = form.entry
        if entry.status != EntryStatus.ACTIVE:
            continue
        listed_name, new_name = entry.unit_name, ""
        if form.decision == Decision.REMOVE:
            list_entry_remove(
                entry,
                by=by,
                reason=_("%(year)d年动态管理撤销（%(source)s）：%(reason)s")
                % {"year": batch.year, "source": source, "reason": form.decision_reason},
                barred_until_year=bar_until,
            )
        else:
            new_name = next((c.new_value for c in form.changes.all() if c.field == ChangeField.NAME), "")
            if not new_name or new_name == listed_name:
                new_name = ""
            else:
                list_entry_rename(entry, name=new_name, by=by, reason=source)
        DynamicForm.objects.filter(pk=form.pk).update(published_at=now)
        form.published_at = now
        published.append((form, listed_name, new_name))
    return published
