"""Publicity rounds, objections and publications (通知 二(四)).

objection:  filed ──dismiss──▶ dismissed
              └────uphold───▶ upheld   (the unit goes back to provincial review, or is rejected)
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts import roles
from applications.models import Application, VersionedPdf
from core.history import HistoryEntry
from dynamic.models import DynamicForm
from quotas.models import Batch


class PublicityRound(models.Model):
    """One publication for comment on the department's website: the units the province passed,
    over one period (its length from the batch's publicity_days unless the province sets it)."""

    batch = models.ForeignKey(Batch, models.PROTECT, related_name="publicity_rounds", verbose_name=_("批次"))
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示结束"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name=_("发起人"))
    opened_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    applications = models.ManyToManyField(
        Application, through="PublicityEntry", related_name="publicity_rounds", verbose_name=_("公示单位")
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        constraints = [
            models.CheckConstraint(
                name="publicity_ends_after_start", condition=Q(ends_on__gte=F("starts_on"))
            )
        ]

    def __str__(self):
        return f"{self.batch.year} {self.starts_on}–{self.ends_on}"


class PublicityEntry(models.Model):
    publicity_round = models.ForeignKey(
        PublicityRound, models.PROTECT, related_name="entries", verbose_name=_("公示")
    )
    application = models.ForeignKey(
        Application, models.PROTECT, related_name="publicity_entries", verbose_name=_("申报")
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("公示单位")
        verbose_name_plural = _("公示单位")
        constraints = [
            models.UniqueConstraint(
                fields=["publicity_round", "application"], name="one_entry_per_round_and_application"
            )
        ]

    def __str__(self):
        return f"{self.publicity_round_id}:{self.application_id}"


class ObjectionState(models.TextChoices):
    FILED = "filed", _("待处理")
    DISMISSED = "dismissed", _("异议不成立")
    UPHELD = "upheld", _("异议成立")


# An objection "stands" (blocks publication) while unhandled or once upheld.
STANDING = (ObjectionState.FILED, ObjectionState.UPHELD)


class ObjectionOutcome(models.TextChoices):
    """What an upheld objection does to the unit."""

    REVIEW = "uphold_objection", _("退回省级评估")
    REJECT = "reject", _("不予通过")


def is_province_for_objection(objection, user) -> bool:
    return roles.is_province_for(objection.entry.application, user)


def evidence_path(instance, filename):
    # Kept for migration 0001, which names it; ObjectionEvidence stores the files now.
    return f"objections/{instance.entry.publicity_round.batch.year}/{instance.evidence_stored_name}"


class Objection(ConcurrentTransitionMixin, models.Model):
    """An objection filed by a member of the public against one unit in publicity.

    Only the province sees objections; the objector's name and contact are never shown on a
    public page."""

    entry = models.ForeignKey(
        PublicityEntry, models.PROTECT, related_name="objections", verbose_name=_("公示单位")
    )
    name = models.CharField(_("异议人姓名（实名）"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=100)
    facts = models.TextField(_("异议事实和理由"))
    ip_address = models.GenericIPAddressField(_("来源地址"))
    filed_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)

    state = FSMField(
        _("处理状态"), default=ObjectionState.FILED, choices=ObjectionState.choices, protected=True
    )
    outcome = models.CharField(_("处理结果"), max_length=20, choices=ObjectionOutcome.choices, blank=True)
    decision_reason = models.TextField(_("处理意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, verbose_name=_("处理人")
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        indexes = [models.Index(fields=["ip_address", "filed_at"])]

    def __str__(self):
        return f"{self.entry.application.unit.name} · {self.name}"

    @property
    def evidence(self) -> "ObjectionEvidence | None":
        """The objector's evidence (the newest version), or None."""
        return self.evidence_files.order_by("-version").first()

    @transition(
        field=state,
        source=ObjectionState.FILED,
        target=ObjectionState.DISMISSED,
        permission=is_province_for_objection,
        custom={"label": _("异议不成立")},
    )
    def dismiss(self):
        """通知 二(四): the province finds the objection unfounded; the unit stays in publicity."""

    @transition(
        field=state,
        source=ObjectionState.FILED,
        target=ObjectionState.UPHELD,
        permission=is_province_for_objection,
        custom={"label": _("异议成立")},
    )
    def uphold(self, outcome: str):
        """通知 二(四): the objection stands; the unit leaves publicity (back to provincial review,
        or rejected), in the same transaction (publicity.services.objection_decide)."""
        self.outcome = outcome


class EvidenceKind(models.TextChoices):
    EVIDENCE = "evidence", _("证明材料")


def objection_evidence_path(instance, filename):
    # A generated name, outside the web root; the uploader's name is kept only as data.
    return f"objections/{instance.objection.entry.publicity_round.batch.year}/{instance.stored_name}"


class ObjectionEvidence(VersionedPdf):
    """The PDF an objector attaches, in the same versioned store as the application's documents.

    Only the province sees it (publicity.views.ObjectionEvidenceView, through objection_for)."""

    objection = models.ForeignKey(
        Objection, models.PROTECT, related_name="evidence_files", verbose_name=_("异议")
    )
    kind = models.CharField(
        _("材料类型"), max_length=20, choices=EvidenceKind.choices, default=EvidenceKind.EVIDENCE
    )
    file = models.FileField(_("文件"), upload_to=objection_evidence_path, max_length=200)
    # Objections come from the public, who file without signing in: nobody to name.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, verbose_name=_("上传人")
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("异议证明材料")
        verbose_name_plural = _("异议证明材料")
        constraints = [
            models.UniqueConstraint(
                fields=["objection", "kind", "version"], name="one_evidence_version_per_kind"
            )
        ]


class ObjectionAttempt(models.Model):
    """Every post of the public objection form, saved or refused: the rate limit counts these, so
    failed posts (a bad unit, a crafted PDF) cost an address its quota as well."""

    ip_address = models.GenericIPAddressField(_("来源地址"))
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("异议提交尝试")
        verbose_name_plural = _("异议提交尝试")
        indexes = [models.Index(fields=["ip_address", "at"], name="objection_attempt_ip_at")]

    def __str__(self):
        return f"{self.ip_address} {self.at}"


class ObjectionLog(HistoryEntry):
    """Append-only history of an objection's handling: who, when, from, to, why."""

    chain_field = "objection"

    objection = models.ForeignKey(Objection, models.PROTECT, related_name="history", verbose_name=_("异议"))
    transition = models.CharField(_("操作"), max_length=20)
    source = models.CharField(_("原状态"), max_length=20, choices=ObjectionState.choices)
    target = models.CharField(_("新状态"), max_length=20, choices=ObjectionState.choices)
    comment = models.TextField(_("意见"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("异议处理记录")
        verbose_name_plural = _("异议处理记录")

    def __str__(self):
        return f"{self.objection_id} {self.source}→{self.target}"


class Publication(models.Model):
    """The three departments' joint publication of the list (联合发文公布): the units that passed
    publicity without a standing objection, frozen as entries; the notice PDF is drawn from it."""

    batch = models.ForeignKey(Batch, models.PROTECT, related_name="publications", verbose_name=_("批次"))
    document_number = models.CharField(_("发文字号"), max_length=60, blank=True)
    published_on = models.DateField(_("发文日期"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name=_("发布人"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    # The notice as issued: rendered once after the publication commits and kept, so later edits
    # of the batch (departments, numbers) never change a document already published.
    notice = models.FileField(_("公布通知（PDF）"), upload_to="notices/", max_length=200, blank=True)
    notice_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    applications = models.ManyToManyField(
        Application, through="PublicationEntry", related_name="publications", verbose_name=_("公布单位")
    )

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("联合发文公布")
        verbose_name_plural = _("联合发文公布")

    def __str__(self):
        return f"{self.batch.year} {self.document_number or self.published_on}"


class PublicationEntry(models.Model):
    publication = models.ForeignKey(
        Publication, models.PROTECT, related_name="entries", verbose_name=_("公布")
    )
    application = models.OneToOneField(
        Application, models.PROTECT, related_name="publication_entry", verbose_name=_("申报")
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("公布单位")
        verbose_name_plural = _("公布单位")

    def __str__(self):
        return f"{self.publication_id}:{self.application_id}"


class PublicationAdjustment(models.Model):
    """A dynamic-management decision (removal, or a confirmed rename) published with the year's
    joint publication: the adjustment list (省级绿色制造动态管理调整名单), a further annex of the
    notice. What the unit was called on the list and what it became are kept as published."""

    publication = models.ForeignKey(
        Publication, models.PROTECT, related_name="adjustments", verbose_name=_("公布")
    )
    form = models.OneToOneField(
        DynamicForm, models.PROTECT, related_name="publication_adjustment", verbose_name=_("动态管理表")
    )
    listed_name = models.CharField(_("名单上的名称"), max_length=100)
    new_name = models.CharField(_("变更后名称"), max_length=100, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("动态管理调整")
        verbose_name_plural = _("动态管理调整")

    def __str__(self):
        return f"{self.publication_id}:{self.form_id}"


class PublicPagesStamp(models.Model):
    """One row: a token that changes, in the same transaction, with every write that can alter
    what the public pages show. Kept by database triggers (migration 0010,
    publicity/public_cache.py names the tables and columns), not by the services: a change made
    in the admin, a shell or a bulk update moves it as well. The public pages' cache keys contain
    it, so a page cached before a change is never served after the change commits — in every
    process of every app server, since they all read it from the one database."""

    token = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("公开页面版本")
        verbose_name_plural = _("公开页面版本")

    def __str__(self):
        return f"{self.token} {self.changed_at}"
