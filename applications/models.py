"""The application and its state machine, its documents and its history.

The whole workflow of 通知 二 reads on this page: each transition names where it starts, where it
ends, who may fire it (rules.py) and which rules of the notice must hold (conditions.py). Side
effects (history, mail) happen in services.py, never inside a transition.

    draft ──submit──▶ county_review ──county_pass──▶ city_review ──city_recommend──▶ recommended
    (factories; parks go straight to city_review)                                        │
                                                                                  send_to_province
    published ◀──publish── publicity ◀──start_publicity── province_review ◀──────────────┘
                              └──uphold_objection──▶ province_review ──return_to_city──▶ city_review
    any review state ──return_for_revision──▶ returned ──submit──▶ …
    any review state ──reject──▶ rejected;   before the province ──withdraw──▶ withdrawn
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from accounts import roles
from accounts.models import Assessor, Organisation
from core.exceptions import InvalidInput
from core.history import TransitionEntry
from lists.selectors import city_list_entry, removal_bar
from quotas.models import Batch
from reference.models import City, County, validate_industry_class

from . import conditions as c
from . import rules
from .pdf_store import new_stored_name, save_pdf
from .states import (
    ASSESSOR_CAP_COUNTED,
    BEFORE_PROVINCE,
    EDITABLE,
    QUOTA_COUNTED,
    ApplicationKind,
    ApplicationState,
    DocumentKind,
    facts,
    states_where,
)

S = ApplicationState
# Where a bureau may return an application for revision (not during publicity: an objection
# that stands goes back to the province's review first).
REVIEW_STATES = [S.COUNTY_REVIEW, S.CITY_REVIEW, S.RECOMMENDED, S.PROVINCE_REVIEW]


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ApplicationQuerySet":
        """The one gate: which applications `user` may see. Pages, the API, downloads and exports
        all start here, so an id from another region is simply not found.

        - an applying unit sees its own applications;
        - a named assessor sees the applications that name it;
        - a county bureau sees factories of its county once submitted;
        - a city bureau sees the applications of its city that have reached city review: parks
          once submitted, factories once their county has passed them (and after, whatever
          happens next);
        - the province sees everything that has been submitted;
        - an expert sees the applications assigned to them while in provincial review.
        """
        org = roles.organisation_of(user)
        if org is None:
            return self.none()
        if roles.is_applicant_unit(user):
            return self.filter(unit_id=org.pk)
        if roles.is_assessor(user):
            return self.filter(assessor_id=org.pk)
        submitted = self.filter(state__in=states_where(seen_by_reviewers=True))
        if roles.is_county_bureau(user):
            return submitted.filter(kind=ApplicationKind.FACTORY, county_id=org.county_id)
        if roles.is_city_bureau(user):
            # Only what has reached the city: a factory the county returned or rejected before
            # passing it never was the city's business.
            # reached_city_at is kept by the transition service (services.application_transition).
            return submitted.filter(reached_city_at__isnull=False, city_id=org.city_id)
        if roles.is_province(user):
            return submitted
        if roles.is_expert(user):
            # 通知 二(四): an invited expert sees only what the province assigned to them, and only
            # while the province is evaluating it (experts/models.py ExpertAssignment).
            return self.filter(
                state=S.PROVINCE_REVIEW,
                expert_assignments__expert_id=user.pk,
                expert_assignments__ended_at__isnull=True,
            )
        return self.none()

    def public(self, today: datetime.date | None = None) -> "ApplicationQuerySet":
        """What anyone may see without signing in (通知 二(四)): units in publicity during their
        period, and published units. Nothing else is public; the public pages start here."""
        today = today or timezone.localdate()
        return self.filter(
            Q(state=S.PUBLICITY, publicity_starts_on__lte=today, publicity_ends_on__gte=today)
            | Q(state=S.PUBLISHED)
        )

    def counted_for_quota(self):
        """Recommendations the city has made: from the city's recommendation on, until the
        application is returned or withdrawn (a rejection does not give the slot back)."""
        return self.filter(city_recommended_at__isnull=False, state__in=QUOTA_COUNTED)

    # The counts the notice's rules compare with the batch's numbers. They live here, on the
    # manager, because the conditions (which this module imports) reach them through
    # `type(application).objects`; applications.selectors reads them for the pages.

    def quota_used(self, batch, city_id, kind, *, exclude=None) -> int:
        """Recommendations counted against the city's quota for `kind` in the batch."""
        qs = self.counted_for_quota().filter(batch=batch, city_id=city_id, kind=kind)
        if exclude is not None and exclude.pk:
            qs = qs.exclude(pk=exclude.pk)
        return qs.count()

    def assessor_group_usage(self, batch, group, *, exclude=None) -> int:
        """Evaluations the assessor group (legal entity with affiliates) carries in the batch.

        Definition (README "Assessor cap"): applications of the batch naming any assessor of the
        group that have been submitted at least once and not withdrawn — returned, rejected and
        published ones included, drafts not."""
        qs = self.filter(batch=batch, assessor__group=group, state__in=ASSESSOR_CAP_COUNTED)
        if exclude is not None and exclude.pk:
            qs = qs.exclude(pk=exclude.pk)
        return qs.count()


class Application(ConcurrentTransitionMixin, models.Model):
    batch = models.ForeignKey(Batch, models.PROTECT, related_name="applications", verbose_name=_("批次"))
    kind = models.CharField(_("申报类别"), max_length=10, choices=ApplicationKind.choices)
    unit = models.ForeignKey(
        Organisation, models.PROTECT, related_name="applications", verbose_name=_("申报单位")
    )
    # The unit's region when it applied: it decides which bureaus review and see the application.
    city = models.ForeignKey(City, models.PROTECT, verbose_name=_("设区市"))
    county = models.ForeignKey(County, models.PROTECT, null=True, blank=True, verbose_name=_("县（市、区）"))
    assessor = models.ForeignKey(
        Assessor,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("第三方评价机构"),
    )
    assessor_may_upload = models.BooleanField(_("允许评价机构代为上传材料"), default=False)
    industry_class = models.CharField(
        _("行业代码（GB/T 4754-2017 小类）"), max_length=4, blank=True, validators=[validate_industry_class]
    )
    indicators = models.JSONField(_("主要指标"), default=dict, blank=True)

    state = FSMField(_("状态"), default=S.DRAFT, choices=ApplicationState.choices, protected=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    city_recommended_at = models.DateTimeField(_("市级推荐时间"), null=True, blank=True)
    publicity_starts_on = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("公示结束"), null=True, blank=True)
    # Facts of the history the lists filter and sort on, kept by services.application_transition
    # so that no list reads the whole history: when the application first reached city review
    # (the city bureau sees it from then on) and when it entered its current state.
    reached_city_at = models.DateTimeField(_("到达市级审核时间"), null=True, blank=True, editable=False)
    state_changed_at = models.DateTimeField(_("进入当前状态时间"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        constraints = [
            models.UniqueConstraint(fields=["batch", "unit"], name="one_application_per_unit_and_batch"),
            models.CheckConstraint(
                name="factory_has_county", condition=Q(kind="park") | Q(county__isnull=False)
            ),
        ]
        indexes = [
            models.Index(fields=["batch", "city", "state"]),
            models.Index(fields=["state", "county"]),
            # The units in publicity today (the public page and its search): read by their period
            # among those still in publicity, not among every year's.
            models.Index(
                fields=["publicity_ends_on", "publicity_starts_on"],
                condition=Q(state=S.PUBLICITY),
                name="application_in_publicity",
            ),
            # A bureau's queue: counted and sorted from the index alone (no heap visits for the
            # rows the page does not show), see core.pagination.DeferredJoinPaginator; the unit
            # too, so that a search checks each row's unit against the matching names there.
            models.Index(
                fields=["city", "state"],
                include=["reached_city_at", "batch", "state_changed_at", "id", "unit"],
                name="application_city_queue",
            ),
            models.Index(
                fields=["county", "state"],
                include=["batch", "state_changed_at", "id", "unit"],
                name="application_county_queue",
            ),
            # The API list and the home page: newest first, ties by pk (a backward index scan).
            models.Index(fields=["created_at", "id"], name="application_created"),
            models.Index(fields=["state_changed_at", "id"], name="application_state_changed"),
        ]

    def __str__(self):
        return f"{self.unit.name}（{self.batch.year}）"

    # Labels by an enum look-up: Django's own get_FOO_display rebuilds a dict of every choice on
    # each call, hashing (so translating) every lazy label — a list page of 100 rows paid about a
    # tenth of its time for it.
    def get_state_display(self) -> str:
        try:
            return str(S(self.state).label)
        except ValueError:
            return self.state

    def get_kind_display(self) -> str:
        try:
            return str(ApplicationKind(self.kind).label)
        except ValueError:
            return self.kind

    @property
    def number(self) -> str:
        """The application number on the receipt: batch year, GY (park) or GC (factory), the id."""
        return f"{self.batch.year}{'GY' if self.kind == 'park' else 'GC'}{self.pk:06d}"

    # --- facts the conditions ask about -------------------------------------------------------

    @property
    def is_editable(self) -> bool:
        return facts(self.state).applicant_may_edit

    def has_document(self, kind) -> bool:
        if "documents" in getattr(self, "_prefetched_objects_cache", {}):
            return any(d.kind == kind for d in self.documents.all())
        return self.documents.filter(kind=kind).exists()

    def eligibility_problems(self) -> list[str]:
        """What keeps the unit from the provincial list under 通知 一(一)/(二), in Chinese."""
        problems = []
        barred = removal_bar(self.unit, self.batch.year)
        if barred is not None:
            # 通知 一(三) and the rules modelled on MIIT's: a removed unit may not apply again
            # for the batch's number of years.
            problems.append(
                gettext("已于%(date)s因动态管理被移出%(list)s（%(reason)s），%(until)d年（含）前不得再次申报")
                % {
                    "date": formats.date_format(timezone.localtime(barred.ended_at).date(), "DATE_FORMAT"),
                    "list": barred.get_tier_display() + gettext("绿色制造名单"),
                    "reason": barred.end_reason,
                    "until": barred.barred_until_year,
                }
            )
        if self.kind == ApplicationKind.FACTORY:
            # 通知 一(二) "在市级绿色低碳工厂中择优推荐": read from the city's list, by credit code.
            enterprise = self.unit.enterprise
            if city_list_entry(credit_code=enterprise.credit_code, city_id=self.city_id) is None:
                problems.append(
                    gettext(
                        "未列入%(city)s市级绿色低碳工厂名单，只有市级绿色低碳工厂可推荐申报省级绿色低碳工厂"
                    )
                    % {"city": self.city.name}
                )
            if not self.industry_class:
                problems.append(gettext("请填写行业代码（GB/T 4754-2017 小类）"))
        else:
            park = self.unit.park
            if not park.manufacturing_dominant:
                problems.append(gettext("园区须以制造业为主要产业特色"))
            threshold = self.batch.park_min_value_added_share
            if park.value_added_share is None or park.value_added_share <= threshold:
                share = f"{threshold:f}".rstrip("0").rstrip(".")
                problems.append(gettext("园区工业增加值占比须超过%(share)s%%") % {"share": share})
            if not park.has_legal_boundary:
                problems.append(gettext("园区须具有法定边界和范围"))
            if not park.has_unified_management:
                problems.append(gettext("园区须具备统一管理机构"))
        return problems

    # --- the state machine --------------------------------------------------------------------

    @transition(
        field=state,
        source=EDITABLE,
        target=RETURN_VALUE(S.COUNTY_REVIEW, S.CITY_REVIEW),
        permission=rules.is_applicant,
        conditions=[
            c.batch_accepts_applications,
            c.unit_verified,
            c.unit_is_eligible,
            c.has_self_evaluation_report,
            c.indicators_complete,
            c.assessor_named_if_required,
            c.has_commitment_letter_if_assessor,
            c.assessor_cap_not_reached,
        ],
        custom={"label": _("提交审核")},
    )
    def submit(self):
        """通知 二(一)–(三): the unit submits its self-evaluation online. Factories go to their
        county bureau, parks straight to their city bureau."""
        self.submitted_at = timezone.now()
        return S.COUNTY_REVIEW if self.kind == ApplicationKind.FACTORY else S.CITY_REVIEW

    @transition(
        field=state,
        source=S.COUNTY_REVIEW,
        target=S.CITY_REVIEW,
        permission=rules.is_county_bureau_of,
        custom={"label": _("县级审核通过")},
    )
    def county_pass(self):
        """通知 二(二): the county bureau passes a factory's materials to the city."""

    @transition(
        field=state,
        source=S.CITY_REVIEW,
        target=S.RECOMMENDED,
        permission=rules.is_city_bureau_of,
        conditions=[c.unit_is_eligible, c.within_city_quota, c.before_city_deadline],
        custom={"label": _("市级审核通过并推荐")},
    )
    def city_recommend(self):
        """通知 二(二), 三 and Annex 1: the city recommends the unit, within its quota and before
        its deadline."""
        self.city_recommended_at = timezone.now()

    @transition(
        field=state,
        source=S.RECOMMENDED,
        target=S.PROVINCE_REVIEW,
        permission=rules.is_city_bureau_of,
        conditions=[c.before_city_deadline],
        custom={"label": _("报送省经信厅"), "workflow": "city_submission"},
    )
    def send_to_province(self):
        """通知 三: the city reports its recommendations to the province by the deadline."""

    @transition(
        field=state,
        source=REVIEW_STATES,
        target=S.RETURNED,
        permission=rules.is_responsible_reviewer,
        custom={"label": pgettext_lazy("action", "退回修改"), "reason_required": True},
    )
    def return_for_revision(self):
        """The reviewer holding the application returns it to the unit with a reason; a returned
        recommendation gives the city's slot back."""
        self.city_recommended_at = None

    @transition(
        field=state,
        source=S.PROVINCE_REVIEW,
        target=S.CITY_REVIEW,
        permission=rules.is_province,
        custom={"label": _("退回设区市"), "reason_required": True},
    )
    def return_to_city(self):
        """通知 二(四): after the expert review the province may send a recommendation back to the
        city that made it, with a reason; like a return for revision it gives the city's slot back."""
        self.city_recommended_at = None

    @transition(
        field=state,
        source=[*REVIEW_STATES, S.PUBLICITY],
        target=S.REJECTED,
        permission=rules.is_responsible_reviewer,
        custom={"label": _("不予通过"), "reason_required": True},
    )
    def reject(self):
        """The reviewer holding the application refuses it, with a reason. Terminal."""

    @transition(
        field=state,
        source=BEFORE_PROVINCE,
        target=S.WITHDRAWN,
        permission=rules.is_applicant,
        custom={"label": _("撤回申报")},
    )
    def withdraw(self):
        """The unit withdraws while the province does not have the application yet."""
        self.city_recommended_at = None

    @transition(
        field=state,
        source=S.PROVINCE_REVIEW,
        target=S.PUBLICITY,
        permission=rules.is_province,
        conditions=[c.before_publicity],
        custom={"label": _("公示"), "workflow": "publicity"},
    )
    def start_publicity(self, starts_on: datetime.date | None = None, ends_on: datetime.date | None = None):
        """通知 二(四): units that pass the province's review are published for comment on the
        department's website, from today or later, for at least the batch's publicity length
        (Batch.publicity_period_errors); a backdated or shortened period is refused."""
        starts_on = starts_on or timezone.localdate()
        ends_on = ends_on or self.batch.publicity_last_day(starts_on)
        if errors := self.batch.publicity_period_errors(starts_on, ends_on):
            raise InvalidInput(*errors.values())
        self.publicity_starts_on, self.publicity_ends_on = starts_on, ends_on

    @transition(
        field=state,
        source=S.PUBLICITY,
        target=S.PROVINCE_REVIEW,
        permission=rules.is_province,
        custom={"label": _("异议成立，重新评估"), "reason_required": True, "workflow": "publicity"},
    )
    def uphold_objection(self):
        """通知 二(四): an objection that stands takes the unit out of publicity."""
        self.publicity_starts_on = self.publicity_ends_on = None

    @transition(
        field=state,
        source=S.PUBLICITY,
        target=S.PUBLISHED,
        permission=rules.is_province,
        conditions=[c.publicity_period_over, c.before_publication],
        custom={"label": _("联合发文公布"), "workflow": "publicity"},
    )
    def publish(self):
        """通知 二(四): with no objection after publicity, the three departments publish the list."""


def document_path(instance, filename):
    # A generated name: the uploader's file name is kept only as data, never as a path.
    return f"documents/{instance.application.batch.year}/{instance.stored_name}"


class VersionedPdf(models.Model):
    """An uploaded PDF kept under a generated name, never overwritten: a new upload of the same
    kind for the same owner is the next version. Subclasses add the owner, `kind` and `file`."""

    version = models.PositiveSmallIntegerField(_("版本"))
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    page_count = models.PositiveIntegerField(_("页数"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"

    @classmethod
    def store(cls, *, upload, pages: int, by, **owner_and_kind):
        """Save a checked PDF as the next version for `owner_and_kind` (e.g. application=…, kind=…).

        Call inside a transaction with the owner's row locked, so two uploads cannot take the
        same version number. The file is removed again if the row cannot be saved."""
        latest = cls.objects.filter(**owner_and_kind).aggregate(v=models.Max("version"))["v"]
        pdf = cls(
            **owner_and_kind,
            version=(latest or 0) + 1,
            stored_name=new_stored_name(),
            original_name=upload.name[:255],
            size=upload.size,
            page_count=pages,
            uploaded_by=by,
        )
        pdf.sha256 = save_pdf(pdf.file, pdf.stored_name, upload)
        try:
            pdf.save()
        except Exception:
            pdf.file.delete(save=False)
            raise
        return pdf


class Document(VersionedPdf):
    """One uploaded document of an application (self-evaluation report, commitment letter …)."""

    application = models.ForeignKey(
        Application, models.PROTECT, related_name="documents", verbose_name=_("申报")
    )
    kind = models.CharField(_("材料类型"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("文件"), upload_to=document_path, max_length=200)

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "version"], name="one_version_number_per_kind"
            )
        ]


class TransitionLog(TransitionEntry):
    """One row per state change: who, when, from, to, which transition, and why.

    Append-only: the model refuses updates and deletes, and on PostgreSQL a trigger refuses them
    too (migration 0002)."""

    chain_field = "application"
    transition_model = Application

    application = models.ForeignKey(
        Application, models.PROTECT, related_name="history", verbose_name=_("申报")
    )
    transition = models.CharField(_("操作"), max_length=40)
    source = models.CharField(_("原状态"), max_length=20, choices=ApplicationState.choices)
    target = models.CharField(_("新状态"), max_length=20, choices=ApplicationState.choices)
    comment = models.TextField(_("意见"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        # A bureau's 已通过/已退回/未通过 tabs: what its people decided, from the index alone.
        indexes = [
            models.Index(
                fields=["actor", "transition", "application"],
                include=["created_at"],
                name="history_decisions",
            )
        ]

    def __str__(self):
        return f"{self.application_id} {self.source}→{self.target}"


class BureauDecision(models.Model):
    """What an organisation's people decided on an application, by kind (states.DECISIONS: passed,
    returned, rejected), with the time of the latest such decision: the 已通过 / 已退回 / 未通过
    tabs of its queue. A fact of the history (TransitionLog), kept by
    services.application_transition in the same transaction, so that the tabs read one row per
    application instead of grouping the bureau's whole history on every request."""

    application = models.ForeignKey(
        Application, models.PROTECT, related_name="bureau_decisions", verbose_name=_("申报")
    )
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="+", verbose_name=_("决定单位")
    )
    kind = models.CharField(_("决定"), max_length=10)
    decided_at = models.DateTimeField(_("最近决定时间"))

    class Meta:
        verbose_name = _("审核决定")
        verbose_name_plural = _("审核决定")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "organisation", "kind"], name="one_decision_row_per_bureau_and_kind"
            )
        ]
        # A tab: the organisation's decisions of one kind, latest first, from the index alone.
        indexes = [
            models.Index(
                fields=["organisation", "kind", "decided_at"],
                include=["application"],
                name="bureau_decisions_latest",
            )
        ]

    def __str__(self):
        return f"{self.application_id} {self.organisation_id} {self.kind}"
