"""Writes for reviewers: decisions on applications (one or many) and the city's submission to the
province. Keyword-only arguments, the acting user as `by`, one transaction per action; every
state change of an application goes through `applications.services.application_transition`."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from accounts import roles
from applications.documents import check_pdf
from applications.models import Application
from applications.services import application_transition, issue_workflow_pass
from applications.states import ApplicationState
from core.exceptions import Conflict, DomainError, Forbidden, InvalidInput, NotAllowedNow
from core.history import HistoryEntry
from quotas.models import Batch, CityQuota

from . import rules
from .models import CitySubmission, SubmissionDocument, SubmissionDocumentKind, SubmissionLog, SubmissionState
from .selectors import forget_submission_units, submission_applications, submission_problems

# Only this module sends recommendations to the province (通知 三, docs/decisions/0006).
_CITY_SUBMISSION = issue_workflow_pass("city_submission")

# What a reviewer may do to many applications at once from the queue.
BULK_TRANSITIONS = ("county_pass", "city_recommend", "return_for_revision")


def review_transition(application, *, name: str, by, comment: str = "", seen_state: str = "") -> Application:
    """A reviewer's decision on one application. `seen_state` is the state the reviewer's page
    showed: if someone else has moved the application since, the reviewer is told so and shown
    the current state instead of acting on something they have not seen."""
    if seen_state and seen_state != application.state:
        raise Conflict(
            _("该申报刚被其他人处理，当前状态为“%(state)s”，请查看后再操作。")
            % {"state": application.get_state_display()}
        )
    return application_transition(application, name=name, by=by, comment=comment)


@dataclass
class BulkResult:
    pk: int
    unit: str
    ok: bool
    message: str
    state: str = ""


# Of those, the ones that send the applications back: a reason is required and the queue asks
# for confirmation first (core.confirm), as the decision panel does for one application.
BULK_RETURNS = ("return_for_revision",)


def review_bulk_check(*, pks, name: str, comment: str = "") -> None:
    """What makes a bulk action impossible whatever the rows are (no action, no reason for a
    return, nothing selected): refused at once, before any confirmation is asked."""
    if name not in BULK_TRANSITIONS:
        raise InvalidInput(_("请选择批量操作。"))
    if name in BULK_RETURNS and not (comment or "").strip():
        raise InvalidInput(_("批量退回修改须填写原因。"))
    if not pks:
        raise InvalidInput(_("请先勾选申报。"))


def review_bulk(*, pks, name: str, by, comment: str = "") -> list[BulkResult]:
    """Pass or return several applications from the queue: each one checked and fired on its own
    (its own transaction), so one refusal does not undo the others; one result per row."""
    review_bulk_check(pks=pks, name=name, comment=comment)
    comment = (comment or "").strip()
    visible = {
        a.pk: a
        for a in Application.objects.visible_to(by)
        .filter(pk__in=pks)
        .select_related("batch", "unit", "city", "county", "assessor__group")
    }
    results = []
    for pk in pks:
        application = visible.get(pk)
        if application is None:
            results.append(BulkResult(pk, "", False, _("未找到该申报。")))
            continue
        try:
            application_transition(application, name=name, by=by, comment=comment)
        except DomainError as exc:
            results.append(
                BulkResult(
                    pk, application.unit.name, False, "；".join(exc.reasons), application.get_state_display()
                )
            )
        else:
            results.append(
                BulkResult(pk, application.unit.name, True, _("操作成功"), application.get_state_display())
            )
    return results


# --- the city's submission -------------------------------------------------------------------


def _log(submission, *, action, source, by, comment=""):
    SubmissionLog.objects.create(
        submission=submission,
        action=action,
        source=source,
        target=submission.state,
        **HistoryEntry.acting(by),
        comment=comment,
    )


def city_submission_open(*, batch: Batch, by) -> CitySubmission:
    """The city's draft submission for the batch, started if there is none (通知 三)."""
    if not roles.is_city_bureau(by):
        raise Forbidden(_("只有设区市经信局可以向省经信厅报送。"))
    org = by.organisation
    existing = CitySubmission.objects.filter(batch=batch, city_id=org.city_id, state=SubmissionState.DRAFT)
    found = existing.first()
    if found:
        return found
    try:
        with transaction.atomic():
            submission = CitySubmission.objects.create(batch=batch, city_id=org.city_id, bureau=org)
            _log(submission, action="create", source=SubmissionState.DRAFT, by=by)
            return submission
    except IntegrityError:
        return existing.get()


def _editable(submission, by):
    if not rules.is_city_bureau_of_submission(submission, by):
        raise Forbidden(_("只有本市经信局可以修改本市的报送。"))
    if submission.state != SubmissionState.DRAFT:
        raise NotAllowedNow(_("该报送已报送省经信厅，不能再修改。"))


def city_submission_update(
    *, submission: CitySubmission, document_number: str, by, contact_name=None, contact_phone=None
) -> CitySubmission:
    """The letter's 文号 and its contact line (left as they are when not given)."""
    _editable(submission, by)
    values = {"document_number": (document_number or "").strip()}
    if len(values["document_number"]) > 60:
        raise InvalidInput(_("文号不能超过60个字符。"))
    if contact_name is not None:
        values["contact_name"] = contact_name.strip()[:60]
    if contact_phone is not None:
        values["contact_phone"] = contact_phone.strip()[:40]
    with transaction.atomic():
        CitySubmission.objects.select_for_update().filter(pk=submission.pk).first()
        CitySubmission.objects.filter(pk=submission.pk, state=SubmissionState.DRAFT).update(**values)
        for key, value in values.items():
            setattr(submission, key, value)
        comment = " ".join(v for v in values.values() if v)
        _log(submission, action="edit", source=submission.state, by=by, comment=comment)
    return submission


def submission_document_upload(*, submission: CitySubmission, kind: str, upload, by) -> SubmissionDocument:
    """A sealed scan of the letter or of Annex 2: PDF only, checked, hashed, versioned."""
    _editable(submission, by)
    if kind not in SubmissionDocumentKind.values:
        raise InvalidInput(_("请选择材料类型。"))
    if upload is None:
        raise InvalidInput(_("请选择要上传的 PDF 文件。"))
    pages = check_pdf(upload)
    with transaction.atomic():
        CitySubmission.objects.select_for_update().filter(pk=submission.pk).first()
        document = SubmissionDocument.store(
            submission=submission, kind=kind, upload=upload, pages=pages, by=by
        )
        _log(submission, action="upload", source=submission.state, by=by, comment=document.get_kind_display())
    return document


def city_submission_send(*, submission: CitySubmission, by) -> CitySubmission:
    """通知 三: send the city's recommendations to the province. Every included application moves
    to provincial review in ONE transaction — all or nothing — and only before the city's deadline
    (unless extended), within its factory quota, with both sealed scans uploaded."""
    if not rules.is_city_bureau_of_submission(submission, by):
        raise Forbidden(_("只有本市经信局可以报送本市的推荐。"))
    if submission.state != SubmissionState.DRAFT:
        raise NotAllowedNow(_("该报送已于此前报送省经信厅。"))
    try:
        with transaction.atomic():
            # Two clicks (or two colleagues) at once: the second waits here, then finds it sent.
            locked = CitySubmission.objects.select_for_update().filter(pk=submission.pk).values_list("state")
            if locked.get()[0] != SubmissionState.DRAFT:
                raise NotAllowedNow(_("该报送已于此前报送省经信厅。"))
            # The quota row serialises this with city_recommend (applications.services).
            list(
                CityQuota.objects.select_for_update().filter(
                    batch_id=submission.batch_id, city_id=submission.city_id
                )
            )
            list(
                Application.objects.select_for_update()
                .filter(
                    batch_id=submission.batch_id,
                    city_id=submission.city_id,
                    state=ApplicationState.RECOMMENDED,
                )
                .values_list("pk")
            )
            forget_submission_units(submission)
            reasons = submission_problems(submission)
            if reasons:
                raise NotAllowedNow(*reasons)
            units = submission_applications(submission)
            for application in units:
                try:
                    application_transition(application, name="send_to_province", by=by, via=_CITY_SUBMISSION)
                except DomainError as exc:
                    raise NotAllowedNow(
                        *[f"{application.unit.name}：{r}" for r in exc.reasons],
                        _("本次报送未执行，请处理后重试。"),
                    ) from None
            source = submission.state
            submission.send()
            submission.save()
            submission.applications.set(units)
            _log(submission, action="send", source=source, by=by)
    except ConcurrentTransition:
        submission.refresh_from_db()
        raise Conflict(_("该报送刚被其他人处理，请刷新后查看。")) from None
    except DomainError:
        forget_submission_units(submission)
        submission.refresh_from_db()
        raise
    return submission
