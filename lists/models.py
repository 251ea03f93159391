"""List entries, the imports that wrote them, and their append-only history.

An entry says: this unit (factory or park) is on the city-level, provincial or national list,
since which year, by which document, in which city and county, and whether it is still active.
A factory is identified by its unified social credit code (GB 32100); a park by its name within
its city. `unit_key` holds that identity, so "at most one active entry per unit per tier" is a
partial unique constraint the database keeps."""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import Organisation, ParkType
from accounts.uscc import validate_uscc
from core.history import AppendOnlyModel
from reference.models import City, County


class Tier(models.TextChoices):
    CITY = "city", _("市级")
    PROVINCIAL = "provincial", _("省级")
    NATIONAL = "national", _("国家级")


class UnitKind(models.TextChoices):
    FACTORY = "factory", _("工厂")
    PARK = "park", _("园区")


class EntryStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    ENDED = "ended", _("已移出")


def normalise_name(name: str) -> str:
    """A unit name as compared: no whitespace, half-width brackets (（） and () are one)."""
    name = re.sub(r"\s+", "", name or "")
    return name.replace("（", "(").replace("）", ")")


def unit_key(*, kind: str, credit_code: str, city_id: str, name: str) -> str:
    """Who an entry is about: a factory by its credit code (where the list gives one), a park —
    and a factory of the national list without a code — by its name within its city."""
    if kind == UnitKind.FACTORY and credit_code:
        return f"uscc:{credit_code}"
    return f"name:{city_id}:{normalise_name(name)}"


def organisation_key(organisation) -> str | None:
    """The `unit_key` of an applying unit's organisation, as entries about it carry it."""
    if roles.organisation_is_enterprise(organisation):
        enterprise = getattr(organisation, "enterprise", None)
        return applying_unit_key(
            enterprise=True, credit_code=enterprise.credit_code if enterprise else "", city_id="", name=""
        )
    if roles.organisation_is_applicant(organisation):
        return applying_unit_key(
            enterprise=False, credit_code="", city_id=organisation.city_id, name=organisation.name
        )
    return None


def applying_unit_key(
    *, enterprise: bool, credit_code: str | None, city_id: str | None, name: str
) -> str | None:
    """organisation_key from an applying unit's columns (for callers reading values, not
    instances): an enterprise by its credit code; the other applying unit, a park's management
    body, by its park's name within its city."""
    if enterprise:
        if not credit_code:
            return None
        return unit_key(kind=UnitKind.FACTORY, credit_code=credit_code, city_id="", name="")
    if not city_id:
        return None
    return unit_key(kind=UnitKind.PARK, credit_code="", city_id=city_id, name=name)


class ListImport(AppendOnlyModel):
    """One confirmed upload of a list (a city's year-end list, or the national list): who, when,
    which file (name, SHA-256, the bytes kept), and what it changed. Append-only."""

    # Hash-chained per uploader (core.history): every upload has one, a city's may have no city.
    chain_field = "imported_by"

    tier = models.CharField(_("名单级别"), max_length=12, choices=Tier.choices)
    kind = models.CharField(_("类别"), max_length=10, choices=UnitKind.choices, blank=True)
    city = models.ForeignKey(City, models.PROTECT, null=True, blank=True, verbose_name=_("设区市"))
    year = models.PositiveSmallIntegerField(_("年度"))
    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"))
    file = models.FileField(_("文件"), upload_to="lists/imports/", max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("行数"))
    added = models.PositiveIntegerField(_("新增"))
    ended = models.PositiveIntegerField(_("移出"))
    unchanged = models.PositiveIntegerField(_("未变"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name=_("上传人"))
    imported_by_organisation = models.CharField(_("上传单位"), max_length=100)
    imported_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("名单上传记录")
        verbose_name_plural = _("名单上传记录")
        indexes = [models.Index(fields=["tier", "city", "year"])]

    def __str__(self):
        return f"{self.get_tier_display()} {self.city_id or ''} {self.year} {self.file_name}"


class ListEntryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=EntryStatus.ACTIVE)

    def visible_to(self, user) -> "ListEntryQuerySet":
        """The one gate for list entries: the province sees every tier everywhere; a city bureau
        its own city's entries; a county bureau its county's. Nobody else sees entries through
        the bureaus' pages (the public page shows the provincial list: `public()`)."""
        org = roles.organisation_of(user)
        if roles.is_province(user):
            return self.all()
        if roles.is_city_bureau(user):
            return self.filter(city_id=org.city_id)
        if roles.is_county_bureau(user):
            return self.filter(county_id=org.county_id)
        return self.none()

    def public(self) -> "ListEntryQuerySet":
        """What anyone may read: the current provincial list (published units only — provincial
        entries are written by joint publication, 通知 二(四))."""
        return self.filter(tier=Tier.PROVINCIAL, status=EntryStatus.ACTIVE)


class ListEntry(models.Model):
    tier = models.CharField(_("名单级别"), max_length=12, choices=Tier.choices)
    kind = models.CharField(_("类别"), max_length=10, choices=UnitKind.choices)
    unit_name = models.CharField(_("单位名称"), max_length=100)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc]
    )
    unit_key = models.CharField(max_length=140, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="list_entries",
        verbose_name=_("平台账号单位"),
    )
    city = models.ForeignKey(City, models.PROTECT, related_name="list_entries", verbose_name=_("设区市"))
    county = models.ForeignKey(
        County,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="list_entries",
        verbose_name=_("县（市、区）"),
    )
    industry_class = models.CharField(_("行业代码（GB/T 4754-2017 小类）"), max_length=4, blank=True)
    park_type = models.CharField(_("园区类型"), max_length=30, choices=ParkType.choices, blank=True)
    # The national list names an industry in words (行业), not a GB/T 4754 code.
    industry_text = models.CharField(_("行业"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(_("列入年份"))
    source = models.CharField(_("来源（文号或上传）"), max_length=120)
    list_import = models.ForeignKey(
        ListImport, models.PROTECT, null=True, blank=True, related_name="entries", verbose_name=_("上传记录")
    )
    # 通知 一(三): a unit on the national list but not on the provincial one is brought under
    # provincial management; the mark is set when the national list is imported.
    provincial_management = models.BooleanField(_("纳入省级统一管理"), default=False)
    status = models.CharField(
        _("状态"), max_length=8, choices=EntryStatus.choices, default=EntryStatus.ACTIVE
    )
    created_at = models.DateTimeField(_("列入时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    ended_at = models.DateTimeField(_("移出时间"), null=True, blank=True)
    end_reason = models.CharField(_("移出原因"), max_length=200, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("移出人"),
    )
    # Removed by the province's dynamic-management decision: the unit may not apply again up to
    # and including this batch year (the batch's removal_bar_years after the removal).
    barred_until_year = models.PositiveSmallIntegerField(_("不得再次申报至（年度）"), null=True, blank=True)

    objects = ListEntryQuerySet.as_manager()

    class Meta:
        ordering = ["city__position", "tier", "unit_name", "pk"]
        verbose_name = _("名单条目")
        verbose_name_plural = _("名单条目")
        constraints = [
            models.UniqueConstraint(
                fields=["tier", "unit_key"],
                condition=Q(status="active"),
                name="one_active_entry_per_unit_and_tier",
            ),
            models.CheckConstraint(
                name="ended_entry_has_date",
                condition=Q(status="active", ended_at__isnull=True)
                | Q(status="ended", ended_at__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["credit_code"]),
            models.Index(fields=["tier", "city", "status"]),
            models.Index(fields=["unit_key"]),
        ]

    def __str__(self):
        return f"{self.get_tier_display()} {self.unit_name}"

    def save(self, *args, **kwargs):
        self.unit_key = unit_key(
            kind=self.kind, credit_code=self.credit_code, city_id=self.city_id, name=self.unit_name
        )
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.status == EntryStatus.ACTIVE

    @property
    def category(self) -> str:
        """行业代码或园区类型 as the lists show it."""
        if self.kind == UnitKind.PARK:
            return self.get_park_type_display() if self.park_type else ""
        return self.industry_class or self.industry_text


class EntryChange(AppendOnlyModel):
    """One row per change of an entry: added or ended, by whom, when, why, through which upload.
    Append-only."""

    chain_field = "entry"

    class Action(models.TextChoices):
        ADDED = "added", _("列入")
        ENDED = "ended", _("移出")
        RENAMED = "renamed", _("更名")
        LINKED = "linked", _("关联账号")

    entry = models.ForeignKey(ListEntry, models.PROTECT, related_name="changes", verbose_name=_("名单条目"))
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    list_import = models.ForeignKey(
        ListImport, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("上传记录")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, verbose_name=_("操作人")
    )
    actor_organisation = models.CharField(_("操作单位"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("名单变更记录")
        verbose_name_plural = _("名单变更记录")

    def __str__(self):
        return f"{self.entry_id} {self.action}"
