from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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


class Organisation(models.Model):
    """Every actor is an organisation of one kind, tied to its region.

    Enterprises and county bureaus have a county (and its city); parks and city bureaus have a
    city; the province, assessors and experts are province-wide. The region decides what a bureau sees.
    """

    kind = models.CharField(_("类型"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    city = models.ForeignKey(City, models.PROTECT, null=True, blank=True, verbose_name=_("设区市"))
    county = models.ForeignKey(County, models.PROTECT, null=True, blank=True, verbose_name=_("县（市、区）"))

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


class User(AbstractUser):
    """A person who signs in and acts for exactly one organisation."""

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("所属单位")
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def kind(self) -> str | None:
        return self.organisation.kind if self.organisation_id else None


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
