from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def named(name: str, code: str) -> str:
    """A place or division as a reader of the current language finds it: the official Chinese name,
    and in other languages the code beside it (the names have no official English form here)."""
    language = get_language() or "zh-hans"
    return name if language.startswith("zh") else f"{name} ({code})"


class City(models.Model):
    """A prefecture-level city (设区市), keyed by its national administrative division code."""

    code = models.CharField(_("行政区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=20, unique=True)
    # The order in which the notice lists the cities (Annex 1); tables follow it.
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("设区市")
        verbose_name_plural = _("设区市")

    def __str__(self):
        return named(self.name, self.code)


class County(models.Model):
    """A county-level division (县（市、区）): district, county-level city or county."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("市辖区")
        COUNTY_CITY = "county_city", _("县级市")
        COUNTY = "county", _("县")

    code = models.CharField(_("行政区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=20)
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="counties", verbose_name=_("设区市")
    )
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("县（市、区）")
        verbose_name_plural = _("县（市、区）")

    def __str__(self):
        return named(self.name, self.code)


class IndustryDivision(models.Model):
    """A manufacturing division (大类) of GB/T 4754-2017, codes 13–43."""

    code = models.CharField(_("大类代码"), max_length=2, primary_key=True)
    name = models.CharField(_("名称"), max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = _("国民经济行业大类")
        verbose_name_plural = _("国民经济行业大类")

    def __str__(self):
        return f"{self.code} {self.name}"


four_digits = RegexValidator(r"^\d{4}$", _("行业代码应为4位数字（GB/T 4754-2017 小类），如 3311。"))


def validate_industry_class(value: str) -> None:
    """An industry class is a four-digit GB/T 4754-2017 code within a manufacturing division."""
    four_digits(value)
    if not IndustryDivision.objects.filter(code=value[:2]).exists():
        raise ValidationError(
            _("行业代码 %(code)s 不属于制造业（大类 13–43）。"),
            code="not_manufacturing",
            params={"code": value},
        )
