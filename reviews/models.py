"""The city's submission to the province (通知 三: 推荐函, 附件2 推荐名单汇总表), with its own state
machine, its sealed scans and an append-only history.

    draft ──send──▶ sent

A draft gathers the city's recommended applications of the batch; sending fires
`send_to_province` on every one of them in one transaction (services.city_submission_send) and
keeps the list that was sent. After a submission is sent, a later recommendation goes into a new
draft (a supplementary submission), so there is at most one draft per city and batch.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts import roles
from accounts.models import Organisation
from applications.models import Application, VersionedPdf
from core.history import HistoryEntry
from quotas.models import Batch
from reference.models import City

from . import conditions as c
from . import rules
from .states import SubmissionDocumentKind, SubmissionState


class CitySubmissionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CitySubmissionQuerySet":
        """A city bureau sees its own city's submissions, the province sees every city's; nobody
        else sees any (通知 三: the city reports to the province)."""
        if roles.is_city_bureau(user):
            return self.filter(city_id=user.organisation.city_id)
        if roles.is_province(user):
            return self.all()
        return self.none()


class CitySubmission(ConcurrentTransitionMixin, models.Model):
    batch = models.ForeignKey(Batch, models.PROTECT, related_name="city_submissions", verbose_name=_("批次"))
    city = models.ForeignKey(City, models.PROTECT, related_name="submissions", verbose_name=_("设区市"))
    bureau = models.ForeignKey(
        Organisation, models.PROTECT, related_name="city_submissions", verbose_name=_("推荐单位")
    )
    document_number = models.CharField(
        _("推荐函文号"), max_length=60, blank=True, help_text=_("如：杭经信函〔2025〕12号")
    )
    # The letter's contact line (GB/T 9704-2012 7.3.7 附注).
    contact_name = models.CharField(_("联系人"), max_length=60, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    state = FSMField(
        _("状态"), default=SubmissionState.DRAFT, choices=SubmissionState.choices, protected=True
    )
    # What was sent: filled when the submission is sent; a draft lists the city's current
    # recommendations instead (selectors.submission_applications).
    applications = models.ManyToManyField(
        Application, blank=True, related_name="city_submissions", verbose_name=_("报送的申报")
    )
    sent_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = CitySubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("推荐报送")
        verbose_name_plural = _("推荐报送")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "city"], condition=Q(state="draft"), name="one_draft_submission_per_city"
            )
        ]

    def __str__(self):
        return f"{self.batch.year} {self.city.name} {self.get_state_display()}"

    def has_document(self, kind) -> bool:
        if "documents" in getattr(self, "_prefetched_objects_cache", {}):
            return any(d.kind == kind for d in self.documents.all())
        return self.documents.filter(kind=kind).exists()

    @transition(
        field=state,
        source=SubmissionState.DRAFT,
        target=SubmissionState.SENT,
        permission=rules.is_city_bureau_of_submission,
        conditions=[
            c.has_recommended_units,
            c.factories_within_quota,
            c.before_city_deadline,
            c.has_letter_scan,
            c.has_table_scan,
            c.dynamic_management_ready,
        ],
        custom={"label": _("报送省经信厅")},
    )
    def send(self):
        """通知 三: the city sends the letter, Annex 2 and its recommendations to the province by
        the deadline, through the platform."""
        self.sent_at = timezone.now()


def submission_document_path(instance, filename):
    return f"submissions/{instance.submission.batch.year}/{instance.stored_name}"


class SubmissionDocument(VersionedPdf):
    """A sealed, signed scan (PDF) of the letter or of Annex 2."""

    submission = models.ForeignKey(
        CitySubmission, models.PROTECT, related_name="documents", verbose_name=_("推荐报送")
    )
    kind = models.CharField(_("材料类型"), max_length=20, choices=SubmissionDocumentKind.choices)
    file = models.FileField(_("文件"), upload_to=submission_document_path, max_length=200)

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("报送材料")
        verbose_name_plural = _("报送材料")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "kind", "version"], name="one_submission_document_version_per_kind"
            )
        ]


class SubmissionAction(models.TextChoices):
    CREATE = "create", _("开始准备报送")
    EDIT = "edit", _("填写推荐函文号")
    UPLOAD = "upload", _("上传盖章扫描件")
    SEND = "send", _("报送省经信厅")


class SubmissionLog(HistoryEntry):
    """One row per change of a submission: who, when, what, from and to which state. Append-only."""

    chain_field = "submission"

    submission = models.ForeignKey(
        CitySubmission, models.PROTECT, related_name="history", verbose_name=_("推荐报送")
    )
    action = models.CharField(_("操作"), max_length=40, choices=SubmissionAction.choices)
    source = models.CharField(_("原状态"), max_length=20, choices=SubmissionState.choices)
    target = models.CharField(_("新状态"), max_length=20, choices=SubmissionState.choices)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("报送记录")
        verbose_name_plural = _("报送记录")

    def __str__(self):
        return f"{self.submission_id} {self.action}"
