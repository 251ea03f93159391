"""The key indicators of the self-evaluation, declared once as data.

Factories compare each indicator with the industry benchmark it is measured against (导则: energy
use, water use and comprehensive resource utilisation must lead the industry, 通知 一(二)); parks
give a three-year series (园区自评价模板: industrial value added and its share, carbon intensity,
total energy use). Forms, the applicant's pages and the reviewers' pages all render from
`INDICATORS`; values are stored in `Application.indicators` as validated numbers:

    factory: {"energy_per_unit": {"value": 12.5, "benchmark": 15.0, "unit": "kgce/t"}, ...}
    park:    {"value_added": {"2022": 80.1, "2023": 85.0, "2024": 90.2}, ...}
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from .states import ApplicationKind

SERIES_YEARS = 3


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    unit: str
    kind: str  # ApplicationKind: whose self-evaluation asks for it
    percent: bool = False  # a share: 0–100
    unit_editable: bool = False  # per-product units differ by industry (kgce/t, kgce/万件 …)
    help: str = ""
    # Which forms ask for it: the self-evaluation ("application") and/or the yearly
    # dynamic-management form ("dynamic", 通知 一(三)), which reports three years of each.
    forms: tuple[str, ...] = ("application",)
    # Which way is better, for the dynamic-management flag "worse than last year or than the
    # benchmark"; None where neither is (output).
    higher_is_better: bool | None = False


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "energy_per_unit",
        _("单位产品综合能耗"),
        "kgce/t",
        ApplicationKind.FACTORY,
        unit_editable=True,
        help=_("按主要产品计；单位可按行业惯例修改，如 kgce/万件。"),
        forms=("application", "dynamic"),
    ),
    Indicator(
        "water_per_unit",
        _("单位产品取水量"),
        "m³/t",
        ApplicationKind.FACTORY,
        unit_editable=True,
        help=_("按主要产品计；单位可按行业惯例修改。"),
        forms=("application", "dynamic"),
    ),
    Indicator("carbon_emissions", _("二氧化碳排放总量"), "tCO2", ApplicationKind.FACTORY, forms=("dynamic",)),
    Indicator(
        "carbon_intensity",
        _("单位产值二氧化碳排放量"),
        _("tCO2/万元"),
        ApplicationKind.FACTORY,
        forms=("dynamic",),
    ),
    Indicator(
        "solid_waste_utilisation",
        _("工业固体废物综合利用率"),
        "%",
        ApplicationKind.FACTORY,
        percent=True,
        forms=("application", "dynamic"),
        higher_is_better=True,
    ),
    Indicator(
        "renewable_share",
        _("可再生能源使用比例"),
        "%",
        ApplicationKind.FACTORY,
        percent=True,
        forms=("application", "dynamic"),
        higher_is_better=True,
    ),
    Indicator(
        "output",
        _("工业总产值"),
        _("万元"),
        ApplicationKind.FACTORY,
        forms=("dynamic",),
        higher_is_better=None,
    ),
    Indicator(
        "value_added",
        _("工业增加值"),
        _("亿元"),
        ApplicationKind.PARK,
        forms=("application", "dynamic"),
        higher_is_better=True,
    ),
    Indicator(
        "value_added_share",
        _("工业增加值占地区生产总值比重"),
        "%",
        ApplicationKind.PARK,
        percent=True,
        forms=("application", "dynamic"),
        higher_is_better=True,
    ),
    Indicator(
        "energy_productivity",
        _("能源产出率"),
        _("万元/tce"),
        ApplicationKind.PARK,
        forms=("dynamic",),
        higher_is_better=True,
    ),
    Indicator(
        "carbon_intensity",
        _("单位工业增加值二氧化碳排放量"),
        _("tCO2/万元"),
        ApplicationKind.PARK,
        forms=("application", "dynamic"),
    ),
    Indicator("total_energy", _("综合能源消费量"), "tce", ApplicationKind.PARK),
    Indicator(
        "renewable_share",
        _("可再生能源使用比例"),
        "%",
        ApplicationKind.PARK,
        percent=True,
        forms=("dynamic",),
        higher_is_better=True,
    ),
    Indicator(
        "water_reuse",
        _("水资源重复利用率"),
        "%",
        ApplicationKind.PARK,
        percent=True,
        forms=("dynamic",),
        higher_is_better=True,
    ),
    Indicator(
        "solid_waste_utilisation",
        _("工业固体废物综合利用率"),
        "%",
        ApplicationKind.PARK,
        percent=True,
        forms=("dynamic",),
        higher_is_better=True,
    ),
    Indicator(
        "green_factories",
        _("园区内绿色工厂数量"),
        _("家"),
        ApplicationKind.PARK,
        forms=("dynamic",),
        higher_is_better=True,
    ),
)


def indicators_for(kind: str, form: str = "application") -> list[Indicator]:
    """The indicators `form` ("application" or "dynamic") asks a unit of `kind` for."""
    return [i for i in INDICATORS if i.kind == kind and form in i.forms]


def series_years(batch) -> list[str]:
    """The three years before the batch's year (2025 batch: 2022, 2023, 2024)."""
    return [str(batch.year - n) for n in range(SERIES_YEARS, 0, -1)]


def as_number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def rows(application) -> list[dict]:
    """The indicators of `application` ready for a table: one row per declared indicator with
    what was filled in (None where not). Reviewers' pages render the same rows."""
    data = application.indicators or {}
    years = series_years(application.batch)
    out = []
    for ind in indicators_for(application.kind):
        entry = data.get(ind.code) or {}
        if application.kind == ApplicationKind.FACTORY:
            row = {
                "indicator": ind,
                "value": entry.get("value"),
                "benchmark": entry.get("benchmark"),
                "unit": entry.get("unit") or ind.unit,
            }
            row["complete"] = row["value"] is not None and row["benchmark"] is not None
        else:
            row = {
                "indicator": ind,
                "unit": ind.unit,
                "series": [(y, entry.get(y)) for y in years],
            }
            row["complete"] = all(v is not None for _, v in row["series"])
        out.append(row)
    return out


def missing(application) -> list[str]:
    """Labels of indicators not yet filled in completely: drafts may be partial, a submission may
    not (conditions.indicators_complete)."""
    return [str(r["indicator"].label) for r in rows(application) if not r["complete"]]


def normalise(kind: str, batch, data) -> dict:
    """Check indicator data from any source (form, API) against the declared list and return it
    in the stored shape. Raises ValueError with the Chinese reason."""
    if not isinstance(data, dict):
        raise ValueError(_t("主要指标格式不正确。"))
    declared = {i.code: i for i in indicators_for(kind)}
    unknown = sorted(set(data) - set(declared))
    if unknown:
        raise ValueError(_t("未知的指标：%(codes)s") % {"codes": "、".join(unknown)})
    years = series_years(batch)
    out = {}
    for code, ind in declared.items():
        entry = data.get(code) or {}
        if not isinstance(entry, dict):
            raise ValueError(_t("%(label)s：格式不正确。") % {"label": ind.label})
        keys = ["value", "benchmark"] if kind == ApplicationKind.FACTORY else years
        cleaned = {k: _number(ind, entry.get(k)) for k in keys}
        if kind == ApplicationKind.FACTORY:
            cleaned["unit"] = str(entry.get("unit") or ind.unit)[:20] if ind.unit_editable else str(ind.unit)
        out[code] = cleaned
    return out


def _number(ind, value):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (ArithmeticError, ValueError):
        raise ValueError(_t("%(label)s：请输入数字。") % {"label": ind.label}) from None
    if not number.is_finite() or number < 0:
        raise ValueError(_t("%(label)s：不能为负数。") % {"label": ind.label})
    if ind.percent and number > 100:
        raise ValueError(_t("%(label)s：百分比应在0–100之间。") % {"label": ind.label})
    return as_number(number)


# --- the dynamic-management form (通知 一(三)): three years of each indicator -----------------


def dynamic_keys(kind: str, batch) -> list[str]:
    """The values the form asks for per indicator: the three years before the batch's year, and
    for factories the industry benchmark the last year is compared with."""
    years = series_years(batch)
    return [*years, "benchmark"] if kind == ApplicationKind.FACTORY else years


def normalise_dynamic(kind: str, batch, data) -> dict:
    """Check the dynamic-management form's indicators from any source (page, API) and return them
    in the stored shape ``{code: {"2022": v, "2023": v, "2024": v[, "benchmark": v]}}``. Raises
    ValueError with the Chinese reason."""
    if not isinstance(data, dict):
        raise ValueError(_t("主要指标格式不正确。"))
    declared = {i.code: i for i in indicators_for(kind, "dynamic")}
    unknown = sorted(set(data) - set(declared))
    if unknown:
        raise ValueError(_t("未知的指标：%(codes)s") % {"codes": "、".join(unknown)})
    out = {}
    for code, ind in declared.items():
        entry = data.get(code) or {}
        if not isinstance(entry, dict):
            raise ValueError(_t("%(label)s：格式不正确。") % {"label": ind.label})
        out[code] = {k: _number(ind, entry.get(k)) for k in dynamic_keys(kind, batch)}
    return out


def dynamic_rows(kind: str, batch, data) -> list[dict]:
    """One row per indicator of the dynamic-management form: the three years (and benchmark),
    whether all three years are filled in."""
    years = series_years(batch)
    out = []
    for ind in indicators_for(kind, "dynamic"):
        entry = (data or {}).get(ind.code) or {}
        series = [(y, entry.get(y)) for y in years]
        out.append(
            {
                "indicator": ind,
                "series": series,
                "benchmark": entry.get("benchmark"),
                "complete": all(v is not None for _, v in series),
            }
        )
    return out
