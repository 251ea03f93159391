import datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoryEntry
from reference.models import City


class BatchQuerySet(models.QuerySet):
    def open(self):
        return self.filter(accepting_applications=True)


class PublicityDayKind(models.TextChoices):
    WORKING = "working", _("工作日")
    CALENDAR = "calendar", _("自然日")


def is_working_day(day: datetime.date, batch=None) -> bool:
    """Monday to Friday, except the batch's statutory holidays, plus the weekend days the batch
    lists as worked in their place (调休上班日; quotas/calendar.py)."""
    if batch is not None:
        iso = day.isoformat()
        if iso in batch.adjusted_workdays:
            return True
        if iso in batch.holidays:
            return False
    return day.weekday() < 5


class Batch(models.Model):
    """One year's recommendation round, as set by the province's notice."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("标题"), max_length=200)
    notice_number = models.CharField(_("通知文号"), max_length=60)
    notice_date = models.DateField(_("发文日期"), null=True, blank=True)
    guideline_edition = models.CharField(_("评价导则"), max_length=200)
    guideline_number = models.CharField(_("评价导则文号"), max_length=60, blank=True)
    implementing_rules = models.CharField(_("实施细则"), max_length=200, blank=True)
    implementing_rules_number = models.CharField(_("实施细则文号"), max_length=60, blank=True)

    accepting_applications = models.BooleanField(_("接受申报"), default=False)
    assessor_required = models.BooleanField(_("须委托第三方评价机构"), default=False)
    assessor_cap = models.PositiveSmallIntegerField(
        _("同一法人第三方机构评价项目上限"),
        help_text=_("同一法人第三方机构（包括与其相关联的企事业单位）本批次评价项目总数上限。"),
    )
    park_quota = models.PositiveSmallIntegerField(
        _("园区推荐名额（每市）"), null=True, blank=True, help_text=_("留空表示不设园区名额。")
    )
    park_min_value_added_share = models.DecimalField(
        _("园区工业增加值占比下限（%）"),
        max_digits=5,
        decimal_places=2,
        help_text=_("园区工业增加值占比须超过此值。"),
    )
    city_submission_deadline = models.DateField(_("设区市报送截止日期"))
    city_list_deadline = models.DateField(_("市级名单报送截止日期"))
    publicity_days = models.PositiveSmallIntegerField(_("公示期（天）"), default=5)
    publicity_day_kind = models.CharField(
        _("公示期计算方式"),
        max_length=10,
        choices=PublicityDayKind.choices,
        default=PublicityDayKind.WORKING,
        help_text=_("公示期按工作日或自然日计算；通常为5个工作日。"),
    )
    # The year's working-day calendar (quotas/calendar.py): ISO dates, as the State Council
    # publishes them; a publicity length in working days counts by them.
    holidays = models.JSONField(
        _("法定节假日"),
        default=list,
        blank=True,
        help_text=_("每行一个日期或日期范围，如 2025-10-01~2025-10-08；按工作日计算公示期时不计入。"),
    )
    adjusted_workdays = models.JSONField(
        _("调休上班日"),
        default=list,
        blank=True,
        help_text=_("每行一个日期，如 2025-09-28；周末调休上班的日子，按工作日计算公示期时计入。"),
    )
    objection_contact = models.TextField(_("异议联系方式"), blank=True)
    # The notice's 联系人 line: who answers questions about the batch (quotas.contacts), a list of
    # {"department", "name", "phone"}. The first is printed on the joint notice; the front page
    # and the applicant's receipt show them all.
    contacts = models.JSONField(
        _("联系人及电话"),
        default=list,
        blank=True,
        help_text=_("每行一位：处室或单位、姓名、电话，以空格分隔。第一行印在联合公告上。"),
    )
    joint_departments = models.JSONField(_("联合发文部门"), default=list)
    # The joint notice's 版记 (GB/T 9704-2012 7.4).
    copy_to = models.TextField(_("抄送"), blank=True)
    printed_by = models.CharField(_("印发机关"), max_length=100, blank=True)
    removal_bar_years = models.PositiveSmallIntegerField(
        _("撤销后不得再次申报年限"),
        default=3,
        help_text=_("动态管理中被撤销的单位，此后若干年内不得再次申报。"),
    )

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("批次")
        verbose_name_plural = _("批次")

    def __str__(self):
        return f"{self.year} {self.title}"

    @property
    def notice_contact(self) -> dict | None:
        """The contact the joint notice prints: the first of the batch's contacts."""
        return self.contacts[0] if self.contacts else None

    def submission_deadline_for(self, city: City | str) -> datetime.date:
        """The city's deadline: the batch's, unless the province extended it for that city. An
        extension only ever extends: if the batch's own deadline has since moved past it, the
        batch's applies."""
        city_code = city if isinstance(city, str) else city.code
        for extension in self.extensions.all():
            if extension.city_id == city_code:
                return max(extension.deadline, self.city_submission_deadline)
        return self.city_submission_deadline

    def publicity_last_day(self, starts_on: datetime.date) -> datetime.date:
        """The earliest last day of a publicity round starting on `starts_on`: the batch's
        publicity length in calendar days, or in working days counted from the first working
        day on or after the start, by the batch's holidays and adjusted working days (通知 二(四):
        "公示"; 5 working days is the usual length)."""
        days = max(self.publicity_days, 1)
        if self.publicity_day_kind == PublicityDayKind.CALENDAR:
            return starts_on + datetime.timedelta(days=days - 1)
        day, counted = starts_on, 0
        while True:
            if is_working_day(day, self):
                counted += 1
                if counted == days:
                    return day
            day += datetime.timedelta(days=1)

    def publicity_period_errors(
        self, starts_on: datetime.date, ends_on: datetime.date, today: datetime.date | None = None
    ) -> dict[str, str]:
        """Why a publicity period would not be the one the notice means, by field: it starts
        today or later (never backdated) and lasts at least the batch's publicity length."""
        today = today or timezone.localdate()
        errors = {}
        if starts_on < today:
            errors["starts_on"] = str(_("公示开始日期不能早于今天。"))
        shortest = self.publicity_last_day(starts_on)
        if ends_on < shortest:
            errors["ends_on"] = str(
                _("公示期不得短于本批次规定的%(days)d个%(kind)s，结束日期最早为%(date)s。")
                % {
                    "days": self.publicity_days,
                    "kind": self.get_publicity_day_kind_display(),
                    "date": formats.date_format(shortest, "DATE_FORMAT"),
                }
            )
        return errors

    def city_list_deadline_for(self, city: City | str) -> datetime.date:
        """The city's deadline for its city-level list (通知 三), with the same per-city extension
        as the submission deadline: an extension past the list deadline moves it, one before it
        does not."""
        city_code = city if isinstance(city, str) else city.code
        for extension in self.extensions.all():
            if extension.city_id == city_code:
                return max(extension.deadline, self.city_list_deadline)
        return self.city_list_deadline

    def is_before_city_deadline(self, city: City | str, today: datetime.date | None = None) -> bool:
        # "于2025年6月30日前" is read as up to and including that day, in Zhejiang's time zone.
        today = today or timezone.localdate()
        return today <= self.submission_deadline_for(city)


class CityQuota(models.Model):
    """Annex 1: how many factories a city may recommend in the batch."""

    batch = models.ForeignKey(Batch, models.CASCADE, related_name="quotas", verbose_name=_("批次"))
    city = models.ForeignKey(City, models.PROTECT, related_name="quotas", verbose_name=_("设区市"))
    factory_quota = models.PositiveSmallIntegerField(_("工厂推荐名额"))

    class Meta:
        ordering = ["city__position"]
        verbose_name = _("推荐名额")
        verbose_name_plural = _("推荐名额")
        constraints = [models.UniqueConstraint(fields=["batch", "city"], name="one_quota_per_city_and_batch")]

    def __str__(self):
        return f"{self.batch.year} {self.city.name} {self.factory_quota}"


class DeadlineExtension(models.Model):
    """The province may extend one city's submission deadline (通知 三: nothing after the
    deadline unless the province extends it)."""

    batch = models.ForeignKey(Batch, models.CASCADE, related_name="extensions", verbose_name=_("批次"))
    city = models.ForeignKey(City, models.PROTECT, verbose_name=_("设区市"))
    deadline = models.DateField(_("延长至"))
    reason = models.TextField(_("原因"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name=_("批准人"))
    granted_at = models.DateTimeField(_("批准时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("截止日期延长")
        verbose_name_plural = _("截止日期延长")
        constraints = [
            models.UniqueConstraint(fields=["batch", "city"], name="one_extension_per_city_and_batch")
        ]

    def __str__(self):
        return f"{self.batch.year} {self.city_id} → {self.deadline}"


class BatchChange(HistoryEntry):
    """One row per change the province makes to a batch's settings: who, when, which setting (and
    for which city), the old and the new value, and why. Quotas, deadlines and extensions decide
    what cities may send (通知 三, Annex 1), so every change to them is on record.

    Append-only: the model refuses updates and deletes, and on PostgreSQL a trigger refuses them
    too (migration 0003)."""

    chain_field = "batch"

    batch = models.ForeignKey(Batch, models.PROTECT, related_name="changes", verbose_name=_("批次"))
    field = models.CharField(_("设置项"), max_length=40)
    city = models.ForeignKey(City, models.PROTECT, null=True, blank=True, verbose_name=_("设区市"))
    old_value = models.TextField(_("原值"), blank=True)
    new_value = models.TextField(_("新值"), blank=True)
    reason = models.TextField(_("原因"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("批次设置修改记录")
        verbose_name_plural = _("批次设置修改记录")

    def __str__(self):
        return f"{self.batch_id} {self.field}: {self.old_value} → {self.new_value}"

    @property
    def field_label(self) -> str:
        if self.field == "factory_quota":
            return str(_("工厂推荐名额"))
        if self.field == "extension":
            return str(_("截止日期延长"))
        try:
            return str(Batch._meta.get_field(self.field).verbose_name)
        except FieldDoesNotExist:  # an old row may name a field since removed
            return self.field
