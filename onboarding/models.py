"""Registration documents: the business licence, a park's establishing document, an assessor's
evidence of its affiliates — PDFs checked and stored like an application's documents."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from accounts.models import Organisation
from applications.models import VersionedPdf
from core.history import AppendOnlyModel
from reference.models import City, County


class RegistrationDocumentKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("营业执照")
    ESTABLISHING_DOCUMENT = "establishing_document", _("园区设立批复文件")
    AFFILIATION_EVIDENCE = "affiliation_evidence", _("法人主体及关联单位证明材料")


def registration_document_path(instance, filename):
    return f"registrations/{instance.organisation_id}/{instance.stored_name}"


class RegistrationDocument(VersionedPdf):
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="registration_documents", verbose_name=_("单位")
    )
    kind = models.CharField(_("材料类型"), max_length=30, choices=RegistrationDocumentKind.choices)
    file = models.FileField(_("文件"), upload_to=registration_document_path, max_length=200)

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("注册材料")
        verbose_name_plural = _("注册材料")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "version"], name="one_registration_document_version"
            )
        ]


class IdentityChangeState(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("未同意")


class IdentityChange(FSMModelMixin, models.Model):
    """A verified unit asks to change its name, credit code or region. Its verifying bureau
    decides; while one of its applications is past the county, or once published, the province
    decides (dynamic management's 信息变更). Until approved, every page — the public ones
    included — shows the name on record."""

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="identity_changes", verbose_name=_("单位")
    )
    name = models.CharField(_("新名称"), max_length=100)
    credit_code = models.CharField(_("新统一社会信用代码"), max_length=18, blank=True)
    county = models.ForeignKey(
        County, models.PROTECT, null=True, blank=True, verbose_name=_("新县（市、区）")
    )
    city = models.ForeignKey(City, models.PROTECT, null=True, blank=True, verbose_name=_("新设区市"))
    old_name = models.CharField(_("原名称"), max_length=100)
    old_credit_code = models.CharField(_("原统一社会信用代码"), max_length=18, blank=True)
    reason = models.TextField(_("变更原因"))
    state = FSMField(
        _("状态"),
        max_length=10,
        choices=IdentityChangeState.choices,
        default=IdentityChangeState.PENDING,
        protected=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decision_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("单位信息变更申请")
        verbose_name_plural = _("单位信息变更申请")

    def __str__(self):
        return f"{self.old_name} → {self.name}"

    @transition(field=state, source=IdentityChangeState.PENDING, target=IdentityChangeState.APPROVED)
    def approve(self):
        """The deciding bureau (or the province) confirms the change with its evidence."""

    @transition(field=state, source=IdentityChangeState.PENDING, target=IdentityChangeState.REFUSED)
    def refuse(self):
        """Refused with a reason; the unit keeps the identity on record."""

    approve.alters_data = refuse.alters_data = True


class IdentityChangeLog(AppendOnlyModel):
    """Append-only history of identity change decisions: who, when, from, to, why."""

    chain_field = "change"

    change = models.ForeignKey(IdentityChange, models.PROTECT, related_name="history", verbose_name=_("申请"))
    transition = models.CharField(_("操作"), max_length=20)
    source = models.CharField(_("原状态"), max_length=10, choices=IdentityChangeState.choices)
    target = models.CharField(_("新状态"), max_length=10, choices=IdentityChangeState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("操作人")
    )
    actor_organisation = models.CharField(_("操作单位"), max_length=100)
    comment = models.TextField(_("意见"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("单位信息变更记录")
        verbose_name_plural = _("单位信息变更记录")


class JoinRequest(models.Model):
    """Every accepted post of the anonymous "ask to join a unit" form, whether or not the code is
    registered: the limits per address and per unit count these rows, in the database, so every
    app server counts the same. Only what the count needs is kept (no name, mail or phone)."""

    code = models.CharField(_("统一社会信用代码"), max_length=18)
    ip_address = models.GenericIPAddressField(_("来源地址"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    # Refused posts count against their address, not against the unit (a flood from elsewhere
    # cannot use up the unit's allowance and then be blamed on it).
    sent = models.BooleanField(_("已通知"), default=False)

    class Meta:
        verbose_name = _("加入申请")
        verbose_name_plural = _("加入申请")
        indexes = [
            models.Index(fields=["ip_address", "at"], name="join_request_ip_at"),
            models.Index(fields=["code", "at"], name="join_request_code_at"),
        ]

    def __str__(self):
        return f"{self.code} {self.ip_address} {self.at}"
