"""The dynamic-management form (动态管理表) of a listed unit, its state machine, documents,
declared changes and append-only history.

    draft ──submit──▶ county_review ──county_pass──▶ city_review ──city_conclude──▶ city_done
    (factories; parks go straight to city_review)                                      │
    county_review / city_review ──return_for_revision──▶ returned ──submit──▶ …     decide
    before the city's opinion ──propose_removal──▶ city_done (重大 accident, 逾期未报)       ▼
    city_done ──return_to_city──▶ city_review                                       decided

One form per managed unit and batch (通知 一(三)): the active provincial entries and the
national-only units under provincial management. Who may fire each transition is in rules.py,
the notice's rules in conditions.py; history, mail and list changes happen in services.py.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from accounts.models import Assessor, Organisation
from applications.models import VersionedPdf
from core.history import TransitionEntry
from lists.models import ListEntry
from quotas.models import Batch
from reference.models import City, County

from . import conditions as c
from . import rules
from .states import (
    BEFORE_CITY_OPINION,
    EDITABLE,
    Accident,
    ChangeField,
    Decision,
    EnvIncident,
    FormKind,
    FormState,
    Operating,
    Opinion,
)

S = FormState


class FormQuerySet(models.QuerySet):
    def visible_to(self, user) -> "FormQuerySet":
        """The one gate for dynamic-management forms: the unit sees its own, a county bureau the
        factories of its county, a city bureau every form of its city, the province all. Every
        state is seen, drafts included: overdue forms are listed for the county and the city."""
        return self.filter(rules.visibility_q(user)) if rules.may_see_forms(user) else self.none()

    def of_batch(self, batch):
        return self.filter(batch=batch)


class DynamicForm(ConcurrentTransitionMixin, models.Model):
    batch = models.ForeignKey(Batch, models.PROTECT, related_name="dynamic_forms", verbose_name=_("批次"))
    entry = models.ForeignKey(
        ListEntry, models.PROTECT, related_name="dynamic_forms", verbose_name=_("名单条目")
    )
    kind = models.CharField(_("类别"), max_length=10, choices=FormKind.choices)
    # The unit's account, where it has one (a listed unit need not: matched by credit code later).
    unit = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="dynamic_forms",
        verbose_name=_("单位账号"),
    )
    city = models.ForeignKey(City, models.PROTECT, verbose_name=_("设区市"))
    county = models.ForeignKey(County, models.PROTECT, null=True, blank=True, verbose_name=_("县（市、区）"))
    # The unit may name a third-party assessor and let it fill the form and upload on its behalf
    # (the applications' assessor, 通知 二(一)); submitting and the authenticity pledge stay the
    # unit's (services.form_assessor_set, rules.can_edit).
    assessor = models.ForeignKey(
        Assessor,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="dynamic_forms",
        verbose_name=_("第三方评价机构"),
    )
    assessor_may_fill = models.BooleanField(_("允许评价机构代为填报"), default=False)

    # Identity now, against the list entry (通知 一(三)).
    unit_name = models.CharField(_("单位名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    park_area = models.DecimalField(
        _("园区面积（平方公里）"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    park_boundary = models.CharField(_("园区四至范围"), max_length=300, blank=True)
    scope = models.CharField(_("主要产品或经营范围"), max_length=300, blank=True)

    # Compliance for the year.
    operating = models.CharField(_("生产经营状况"), max_length=14, choices=Operating.choices, blank=True)
    safety_accident = models.CharField(
        _("安全生产或质量事故"), max_length=10, choices=Accident.choices, blank=True
    )
    env_incident = models.CharField(_("突发环境事件"), max_length=10, choices=EnvIncident.choices, blank=True)
    tax_evasion = models.BooleanField(_("存在偷税漏税行为"), null=True, blank=True)
    dishonest = models.BooleanField(_("列入失信被执行人"), null=True, blank=True)
    inspection_problems = models.TextField(_("监督检查发现的问题"), blank=True)
    rectification_unfinished = models.BooleanField(_("节能监察整改未完成"), null=True, blank=True)

    indicators = models.JSONField(_("主要指标"), default=dict, blank=True)
    pledged_at = models.DateTimeField(_("真实性承诺时间"), null=True, blank=True)

    # The city's opinion (动态管理审核意见) and its on-site evaluation.
    opinion = models.CharField(_("市级意见"), max_length=10, choices=Opinion.choices, blank=True)
    opinion_reasons = models.JSONField(_("意见理由"), default=list, blank=True)
    opinion_text = models.TextField(_("意见说明"), blank=True)
    evaluation_on = models.DateField(_("现场评估日期"), null=True, blank=True)
    evaluation_findings = models.TextField(_("现场评估结论"), blank=True)

    # The province's decision, and when publication took it into the lists.
    decision = models.CharField(_("省级决定"), max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    state = FSMField(_("状态"), default=S.DRAFT, choices=FormState.choices, protected=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = FormQuerySet.as_manager()

    class Meta:
        ordering = ["city__position", "kind", "unit_name", "pk"]
        verbose_name = _("动态管理表")
        verbose_name_plural = _("动态管理表")
        constraints = [
            models.UniqueConstraint(fields=["batch", "entry"], name="one_dynamic_form_per_entry_and_batch"),
        ]
        indexes = [models.Index(fields=["batch", "city", "state"]), models.Index(fields=["state", "county"])]

    def __str__(self):
        return f"{self.unit_name}（{self.batch.year}）"

    @property
    def year(self) -> int:
        return self.batch.year

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE

    @property
    def deadline(self):
        """The city's submission deadline, with its extension (通知 三)."""
        return self.batch.submission_deadline_for(self.city_id)

    def has_document(self, kind) -> bool:
        if "documents" in getattr(self, "_prefetched_objects_cache", {}):
            return any(d.kind == kind for d in self.documents.all())
        return self.documents.filter(kind=kind).exists()

    def declared_changes(self):
        if "changes" in getattr(self, "_prefetched_objects_cache", {}):
            return list(self.changes.all())
        return list(self.changes.select_related("evidence"))

    # --- the state machine --------------------------------------------------------------------

    @transition(
        field=state,
        source=EDITABLE,
        target=RETURN_VALUE(S.COUNTY_REVIEW, S.CITY_REVIEW),
        permission=rules.is_unit_of,
        conditions=[
            c.identity_complete,
            c.compliance_answered,
            c.indicators_complete,
            c.changes_have_evidence,
            c.has_signed_form,
            c.pledged,
        ],
        custom={"label": _("提交审核")},
    )
    def submit(self):
        """通知 二(二)–(三): the listed unit files its form online; factories go to the county
        bureau, parks to the city bureau."""
        self.submitted_at = timezone.now()
        return S.COUNTY_REVIEW if self.kind == FormKind.FACTORY else S.CITY_REVIEW

    @transition(
        field=state,
        source=S.COUNTY_REVIEW,
        target=S.CITY_REVIEW,
        permission=rules.is_county_bureau_of,
        conditions=[c.has_signed_form],
        custom={"label": _("县级审核通过")},
    )
    def county_pass(self):
        """通知 二(二): the county bureau passes a factory's form to the city."""

    @transition(
        field=state,
        source=[S.COUNTY_REVIEW, S.CITY_REVIEW],
        target=S.RETURNED,
        permission=rules.is_holder,
        custom={"label": pgettext_lazy("action", "退回修改"), "reason_required": True},
    )
    def return_for_revision(self):
        """The bureau holding the form returns it to the unit with a reason."""

    @transition(
        field=state,
        source=S.CITY_REVIEW,
        target=S.CITY_DONE,
        permission=rules.is_city_bureau_of,
        conditions=[c.opinion_given, c.removal_has_reasons, c.change_has_declared_change],
        custom={"label": _("出具市级意见"), "opinion": True},
    )
    def city_conclude(self):
        """通知 一(三), 二(二): the city gives each unit its opinion — keep, change of information,
        or propose removal (with reasons)."""

    @transition(
        field=state,
        source=BEFORE_CITY_OPINION,
        target=S.CITY_DONE,
        permission=rules.is_city_bureau_of,
        conditions=[c.opinion_is_removal, c.removal_has_reasons, c.removal_cause_present],
        custom={"label": _("建议撤销"), "opinion": True, "reason_required": True},
    )
    def propose_removal(self):
        """通知 一(三) and the rules modelled on MIIT's: after a 重大 accident or environmental
        incident the city may propose removal at any time of the year, without waiting for the
        form; a form not filed by the deadline (逾期未报) is itself a cause."""

    @transition(
        field=state,
        source=S.CITY_DONE,
        target=S.CITY_REVIEW,
        permission=rules.is_province,
        conditions=[c.not_yet_published],
        custom={"label": _("退回设区市"), "reason_required": True},
    )
    def return_to_city(self):
        """The province sends an opinion back to the city to be reconsidered, with a reason."""
        self.decision, self.decision_reason, self.decided_at = "", "", None

    @transition(
        field=state,
        source=S.CITY_DONE,
        target=S.DECIDED,
        permission=rules.is_province,
        conditions=[c.decision_given, c.removal_decision_has_reason, c.change_decision_has_change],
        custom={"label": _("省级决定"), "decision": True},
    )
    def decide(self):
        """通知 一(三): the province decides per unit — keep, confirm the change, or remove. The
        decisions take effect when the year's joint publication publishes the adjustment list."""
        self.decided_at = timezone.now()


class FormDocumentKind(models.TextChoices):
    SIGNED_FORM = "signed_form", _("动态管理表（签字盖章扫描件）")
    CHANGE_EVIDENCE = "change_evidence", _("变更证明材料")
    EVALUATION = "evaluation", _("现场评估记录")
    OTHER = "other", _("其他材料")


def form_document_path(instance, filename):
    return f"dynamic/{instance.form.batch.year}/{instance.stored_name}"


class FormDocument(VersionedPdf):
    """An uploaded PDF of a form: the signed and sealed form, a change's evidence, the city's
    on-site evaluation record."""

    form = models.ForeignKey(
        DynamicForm, models.PROTECT, related_name="documents", verbose_name=_("动态管理表")
    )
    kind = models.CharField(_("材料类型"), max_length=20, choices=FormDocumentKind.choices)
    file = models.FileField(_("文件"), upload_to=form_document_path, max_length=200)

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("动态管理材料")
        verbose_name_plural = _("动态管理材料")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "kind", "version"], name="one_form_document_version_per_kind"
            )
        ]


class FormChange(models.Model):
    """A change since the last year, declared in the form with its date and evidence (e.g. the
    licence after a rename). The list entry changes only when the province confirms it."""

    form = models.ForeignKey(
        DynamicForm, models.CASCADE, related_name="changes", verbose_name=_("动态管理表")
    )
    field = models.CharField(_("变更事项"), max_length=12, choices=ChangeField.choices)
    old_value = models.CharField(_("变更前"), max_length=300, blank=True)
    new_value = models.CharField(_("变更后"), max_length=300)
    changed_on = models.DateField(_("变更日期"))
    evidence = models.ForeignKey(
        FormDocument, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("证明材料")
    )

    class Meta:
        ordering = ["changed_on", "pk"]
        verbose_name = _("变更事项")
        verbose_name_plural = _("变更事项")

    def __str__(self):
        return f"{self.get_field_display()}：{self.old_value} → {self.new_value}"


class FormLog(TransitionEntry):
    """One row per state change of a form: who, when, from, to, which transition, and why.
    Append-only (a PostgreSQL trigger refuses updates and deletes, migration 0002)."""

    chain_field = "form"
    transition_model = DynamicForm

    form = models.ForeignKey(
        DynamicForm, models.PROTECT, related_name="history", verbose_name=_("动态管理表")
    )
    transition = models.CharField(_("操作"), max_length=40)
    source = models.CharField(_("原状态"), max_length=20, choices=FormState.choices)
    target = models.CharField(_("新状态"), max_length=20, choices=FormState.choices)
    comment = models.TextField(_("意见"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("动态管理流转记录")
        verbose_name_plural = _("动态管理流转记录")

    def __str__(self):
        return f"{self.form_id} {self.source}→{self.target}"
