from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from core.history import AppendOnlyModel
from reference.models import City, County, validate_industry_class

from .uscc import validate_uscc


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    PARK = "park", _("园区管理机构")
    ASSESSOR = "assessor", _("第三方评价机构")
    COUNTY_BUREAU = "county_bureau", _("县（市、区）经信局")
    CITY_BUREAU = "city_bureau", _("设区市经信局")
    PROVINCE = "province", _("省经信厅")
    # Experts the province invites to its evaluation (通知 二(四)): province-wide, no region.
    EXPERT = "expert", _("评审专家")

    @classmethod
    def applicants(cls):
        return (cls.ENTERPRISE, cls.PARK)

    @classmethod
    def bureaus(cls):
        return (cls.COUNTY_BUREAU, cls.CITY_BUREAU, cls.PROVINCE)


class Verification(models.TextChoices):
    """Whether a bureau has verified a registered unit (README "Accounts")."""

    PENDING = "pending", _("待核验")
    VERIFIED = "verified", _("已核验")
    REFUSED = "refused", _("未通过核验")


class Organisation(FSMModelMixin, models.Model):
    """Every actor is an organisation of one kind, tied to its region.

    Enterprises and county bureaus have a county (and its city); parks and city bureaus have a
    city; the province, assessors and experts are province-wide. The region decides what a bureau sees.
    """

    kind = models.CharField(_("类型"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    city = models.ForeignKey(City, models.PROTECT, null=True, blank=True, verbose_name=_("设区市"))
    county = models.ForeignKey(County, models.PROTECT, null=True, blank=True, verbose_name=_("县（市、区）"))
    # Units that register themselves start pending; organisations created by the province, a
    # bureau or `load_demo` are verified from the start. Changed only by the transitions below
    # (accounts.verification.organisation_verify / organisation_refuse).
    verification = FSMField(
        _("核验状态"),
        max_length=10,
        choices=Verification.choices,
        default=Verification.VERIFIED,
        protected=True,
    )
    registered_at = models.DateTimeField(_("注册时间"), null=True, blank=True)
    verification_note = models.TextField(_("核验意见"), blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        constraints = [
            models.CheckConstraint(
                name="organisation_region_fits_kind",
                condition=(
                    Q(kind__in=["enterprise", "county_bureau"], county__isnull=False, city__isnull=False)
                    | Q(kind__in=["park"], city__isnull=False)
                    | Q(kind="city_bureau", city__isnull=False, county__isnull=True)
                    | Q(kind__in=["province", "assessor", "expert"], city__isnull=True, county__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                fields=["county"], condition=Q(kind="county_bureau"), name="one_bureau_per_county"
            ),
            models.UniqueConstraint(
                fields=["city"], condition=Q(kind="city_bureau"), name="one_bureau_per_city"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A county always belongs to one city: keep the pair consistent.
        if self.county_id and not self.city_id:
            self.city_id = self.county.city_id
        super().save(*args, **kwargs)

    @property
    def is_verified(self) -> bool:
        return self.verification == Verification.VERIFIED

    # Verification (README "Accounts"): the county verifies enterprises of its county, the city
    # parks of its city, the province assessors and their groups. Who may fire: roles.is_verifier_of.
    @transition(field=verification, source=Verification.PENDING, target=Verification.VERIFIED)
    def verify(self):
        """The bureau confirms the registration matches the business licence / establishing document."""

    @transition(field=verification, source=Verification.PENDING, target=Verification.REFUSED)
    def refuse(self):
        """The bureau refuses the registration, with a reason the unit reads."""

    @transition(field=verification, source=Verification.REFUSED, target=Verification.PENDING)
    def resubmit(self):
        """The unit corrected its registration and asks again."""

    verify.alters_data = refuse.alters_data = resubmit.alters_data = True


class VerificationLog(AppendOnlyModel):
    """Append-only history of a registration's verification: who, when, from, to, why."""

    chain_field = "organisation"

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="verification_logs", verbose_name=_("单位")
    )
    transition = models.CharField(_("操作"), max_length=20)
    source = models.CharField(_("原状态"), max_length=10, choices=Verification.choices)
    target = models.CharField(_("新状态"), max_length=10, choices=Verification.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name=_("操作人"))
    actor_organisation = models.CharField(_("操作单位"), max_length=100)
    comment = models.TextField(_("意见"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("核验记录")
        verbose_name_plural = _("核验记录")


class OrgRole(models.TextChoices):
    ADMIN = "admin", _("单位管理员")
    MEMBER = "member", _("经办人")


class User(AbstractUser):
    """A person who signs in and acts for exactly one organisation."""

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("所属单位")
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    org_role = models.CharField(
        _("单位内角色"), max_length=10, choices=OrgRole.choices, default=OrgRole.MEMBER
    )
    # Kept beside the user so that the header's unread count costs no query on every page
    # (accounts.notify adds, accounts.people.inbox_mark_read recounts).
    inbox_unread = models.PositiveIntegerField(_("未读消息数"), default=0, editable=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def kind(self) -> str | None:
        return self.organisation.kind if self.organisation_id else None

    @property
    def display_name(self) -> str:
        """The person's name as colleagues know it — never the login name where a name exists."""
        return self.full_name or self.get_full_name() or self.email or self.username

    @property
    def signature(self) -> str:
        """Name and organisation, as histories, uploads and opinions show them."""
        if self.organisation_id:
            return f"{self.display_name}（{self.organisation.name}）"
        return self.display_name


class Contact(models.Model):
    """Fields shared by the applying units' profiles."""

    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)

    class Meta:
        abstract = True


class Enterprise(Contact):
    """An enterprise's profile (企业). Only city-level green low-carbon factories may be
    recommended for the provincial list (通知 一(二)): whether it is one is read from the city's
    list (lists.ListEntry, matched by credit code), never declared here."""

    organisation = models.OneToOneField(
        Organisation, models.CASCADE, primary_key=True, related_name="enterprise", verbose_name=_("单位")
    )
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc]
    )
    industry_class = models.CharField(
        _("行业代码（GB/T 4754-2017 小类）"), max_length=4, blank=True, validators=[validate_industry_class]
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self):
        return self.organisation.name


class ParkType(models.TextChoices):
    ECONOMIC_DEVELOPMENT = "etdz", _("经济技术开发区")
    HIGH_TECH = "high_tech", _("高新技术产业开发区")
    BONDED = "bonded", _("保税区")
    BORDER = "border", _("边境经济合作区")
    EXPORT_PROCESSING = "export_processing", _("出口加工区")
    BONDED_PORT = "bonded_port", _("保税港区")
    NEW_AREA = "new_area", _("新区")
    FREE_TRADE = "free_trade", _("自由贸易试验区")
    PROVINCIAL_DEVELOPMENT = "provincial_development", _("省级开发区")
    OTHER_PLATFORM = "other_platform", _("其他工业类产业平台")


class ParkLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")


class Park(Contact):
    """An industrial park as represented by its management body (园区管理机构).

    The four park conditions of 通知 一(一) are recorded facts here; whether they are met is
    judged against the batch (the value-added threshold is a setting of the batch).
    """

    organisation = models.OneToOneField(
        Organisation, models.CASCADE, primary_key=True, related_name="park", verbose_name=_("单位")
    )
    park_type = models.CharField(_("园区类型"), max_length=30, choices=ParkType.choices)
    level = models.CharField(_("园区级别"), max_length=12, choices=ParkLevel.choices)
    is_independent_block = models.BooleanField(_("园区内可独立统计区块"), default=False)
    management_body = models.CharField(_("管理机构名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    manufacturing_dominant = models.BooleanField(_("以制造业为主要产业特色"), default=False)
    value_added_share = models.DecimalField(
        _("工业增加值占比（%）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    has_legal_boundary = models.BooleanField(_("具有法定边界和范围"), default=False)
    has_unified_management = models.BooleanField(_("具备统一管理机构"), default=False)

    class Meta:
        verbose_name = _("园区")
        verbose_name_plural = _("园区")

    def __str__(self):
        return self.organisation.name


class AssessorGroup(models.Model):
    """A legal entity together with its affiliated organisations (同一法人及其相关联的企事业单位).

    The batch's cap on evaluations counts per group, not per assessor (通知 二(一)).
    """

    name = models.CharField(_("法人主体名称"), max_length=100, unique=True)
    credit_code = models.CharField(
        _("法人主体统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc]
    )
    # Declared by the assessor when it registers, checked by the province with the evidence.
    affiliates = models.TextField(_("关联单位（每行一个）"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("第三方机构法人主体")
        verbose_name_plural = _("第三方机构法人主体")

    def __str__(self):
        return self.name


class Assessor(models.Model):
    """A third-party assessor (第三方评价机构) that may self-evaluate on a unit's behalf."""

    organisation = models.OneToOneField(
        Organisation, models.CASCADE, primary_key=True, related_name="assessor", verbose_name=_("单位")
    )
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc]
    )
    group = models.ForeignKey(
        AssessorGroup, models.PROTECT, related_name="assessors", verbose_name=_("所属法人主体（含关联单位）")
    )

    class Meta:
        verbose_name = _("第三方评价机构")
        verbose_name_plural = _("第三方评价机构")

    def __str__(self):
        return self.organisation.name


class InboxMessage(models.Model):
    """A notification in the person's in-app inbox: every notification mail lands here too."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="inbox", verbose_name=_("收件人")
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        indexes = [models.Index(fields=["user", "read_at"], name="inbox_user_unread")]

    def __str__(self):
        return self.subject
