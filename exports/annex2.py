"""Annex 2 of the notice (通知 三, 附件2): `<city>省级绿色制造推荐名单汇总表`, in the notice's layout.

    附件2
    <city>省级绿色制造推荐名单汇总表                  (merged across the table)
    推荐单位:(单位公章)
    绿色低碳工业园区
    序号 · 园区名称 · 第三方机构名称(如有) · 类型 · 是否列入市绿色制造名单
    1 …
    绿色低碳工厂
    序号 · 企业名称 · 第三方机构名称(如有) · 行业 · 是否列入市绿色制造名单
    1 …

`write_annex2_sheet` fills any worksheet; `annex2_rows_for` turns applications into its rows.
`annex2_xlsx` builds the city's own workbook from its submission; `province_annex2_xlsx` builds
the province's workbook for a batch: a summary sheet 汇总, then one Annex 2 sheet per city.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from applications.states import EVALUATION_PASSED, ApplicationKind
from applications.states import ApplicationState as S
from lists.selectors import city_listed_keys, is_city_listed
from quotas.models import CityQuota
from reference.models import City, IndustryDivision

FONT = "Noto Sans CJK SC"  # named, or LibreOffice picks the Japanese variant of the CJK font
TITLE = "{city}省级绿色制造推荐名单汇总表"
RECOMMENDER = "推荐单位:(单位公章)"
PARK_SECTION = "绿色低碳工业园区"
FACTORY_SECTION = "绿色低碳工厂"
PARK_HEADER = ("序号", "园区名称", "第三方机构名称(如有)", "类型", "是否列入市绿色制造名单")
FACTORY_HEADER = ("序号", "企业名称", "第三方机构名称(如有)", "行业", "是否列入市绿色制造名单")
WIDTHS = (7, 42, 34, 24, 16)  # characters; CJK glyphs are about two wide
FORMULA_PREFIXES = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Annex2Row:
    """One unit of the table: name, its assessor (if any), park type or industry, and whether it
    is on the city's green manufacturing list ("是" / "否" / "")."""

    name: str
    assessor: str = ""
    category: str = ""
    on_city_list: str = ""


_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _text(cell, value):
    """Write `value` as text: a name starting with = + - @ never becomes a formula."""
    value = "" if value is None else str(value)
    cell.value = value
    if value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _row(ws, r, values, *, font, alignments=None):
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=r, column=col)
        if value is None or isinstance(value, int):
            cell.value = value
        else:
            _text(cell, value)
        cell.font = font
        cell.border = BORDER
        cell.alignment = (alignments or {}).get(col, CENTER)


def _section(ws, r, title, header, rows):
    ncols = len(header)
    _row(ws, r, [title] + [""] * (ncols - 1), font=Font(name=FONT, size=12, bold=True))
    ws.cell(row=r, column=1).alignment = LEFT
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
    ws.row_dimensions[r].height = 22
    r += 1
    _row(ws, r, header, font=Font(name=FONT, size=11, bold=True))
    ws.row_dimensions[r].height = 32
    r += 1
    body = Font(name=FONT, size=11)
    left_cols = {2: LEFT, 3: LEFT}
    if not rows:
        # The notice's blank form shows numbered empty lines; keep one so the section is visible.
        _row(ws, r, [1, "", "", "", ""], font=body, alignments=left_cols)
        return r + 1
    for n, item in enumerate(rows, start=1):
        item = _as_row(item)
        _row(
            ws,
            r,
            [n, item.name, item.assessor, item.category, item.on_city_list],
            font=body,
            alignments=left_cols,
        )
        ws.row_dimensions[r].height = 22
        r += 1
    return r


def _as_row(item) -> Annex2Row:
    if isinstance(item, Annex2Row):
        return item
    return Annex2Row(*item)


def write_annex2_sheet(
    ws, *, city_name: str, parks: Sequence[Annex2Row | tuple], factories: Sequence[Annex2Row | tuple]
):
    """Fill worksheet `ws` with one city's Annex 2. `parks` and `factories` are Annex2Row or plain
    tuples (name, assessor, type-or-industry, on-city-list); 序号 is numbered here. Returns `ws`."""
    ncols = len(PARK_HEADER)
    ws.title = (city_name or "附件2")[:31]
    ws["A1"] = "附件2"
    ws["A1"].font = Font(name=FONT, size=12, bold=True)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    _text(ws["A2"], TITLE.format(city=city_name))
    ws["A2"].font = Font(name=FONT, size=16, bold=True)
    ws["A2"].alignment = CENTER
    ws.row_dimensions[2].height = 34
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=ncols)
    ws["A3"] = RECOMMENDER
    ws["A3"].font = Font(name=FONT, size=12)
    ws["A3"].alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[3].height = 26
    r = _section(ws, 4, PARK_SECTION, PARK_HEADER, parks)
    _section(ws, r, FACTORY_SECTION, FACTORY_HEADER, factories)

    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.print_title_rows = "1:3"
    return ws


def annex2_rows_for(applications, *, divisions: dict[str, str] | None = None, listed=None):
    """`applications` (with unit__park, unit__enterprise and assessor__organisation selected) as
    Annex 2 rows, parks and factories apart, each in the order given. 是否列入市绿色制造名单 is
    read from the lists (an active city-level entry in the unit's city). One query for the lists
    unless `listed` (lists.selectors.city_listed_keys) is passed, and one for the divisions unless
    `divisions` (GB/T 4754 division code → name) is."""
    if divisions is None:
        from reference.models import IndustryDivision

        divisions = dict(IndustryDivision.objects.values_list("code", "name"))
    applications = list(applications)
    if listed is None:
        listed = city_listed_keys([(a.city_id, a.unit) for a in applications])
    parks, factories = [], []
    for a in applications:
        assessor = a.assessor.organisation.name if a.assessor_id else ""
        on_list = _yes_no(is_city_listed(listed, a.city_id, a.unit))
        if a.kind == ApplicationKind.PARK:
            parks.append(Annex2Row(a.unit.name, assessor, a.unit.park.get_park_type_display(), on_list))
        else:
            industry = divisions.get((a.industry_class or "")[:2], a.industry_class or "")
            factories.append(Annex2Row(a.unit.name, assessor, industry, on_list))
    return parks, factories


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


def _xlsx_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def annex2_xlsx(submission, applications) -> bytes:
    """The city's Annex 2 as an .xlsx file: `applications` are the submission's units in the
    city's order (reviews.selectors.submission_applications, passed by the caller)."""
    parks, factories = annex2_rows_for(applications)
    wb = Workbook()
    write_annex2_sheet(wb.active, city_name=submission.city.name, parks=parks, factories=factories)
    wb.properties.title = TITLE.format(city=submission.city.name)
    wb.properties.creator = submission.bureau.name
    return _xlsx_bytes(wb)


# --- the province's workbook: every city's Annex 2 and a summary ------------------------------

PROVINCE_TITLE = "{year}年省级绿色制造推荐名单汇总表（全省）"
SUMMARY_SHEET = "汇总"
SUMMARY_HEADER = ("设区市", "工厂推荐名额", "推荐园区数", "推荐工厂数", "通过省级评估", "已公布")
SUMMARY_TOTAL = "合计"
SUMMARY_NOTE = (
    "说明：推荐园区数、推荐工厂数为设区市已报送省经信厅、现处于省级评估、公示或已公布的单位"
    "（省级退回或未通过的不计）；通过省级评估为其中已进入公示或已公布的单位（园区和工厂合计）；"
    "工厂推荐名额见附件1。"
)
SUMMARY_WIDTHS = (14, 14, 12, 12, 14, 10)


@dataclass
class CityAnnex2:
    """One city's part of the province's workbook."""

    name: str
    quota: int | None  # the batch's factory quota for the city (附件1), None where unset
    parks: list[Annex2Row]
    factories: list[Annex2Row]
    passed: int  # listed units the province's evaluation passed (publicity or published)
    published: int


def province_annex2_title(year: int) -> str:
    return PROVINCE_TITLE.format(year=year)


def province_annex2_cities(batch, *, applications) -> list[CityAnnex2]:
    """Every city of the notice in its order (City.position), with `applications` — the units
    recommended to the province in `batch` as dashboard.selectors.recommended_to_province defines
    them (sent with a submission, now in provincial review, publicity or published), passed by
    the caller — parks and factories each in the order the city recommended them. Five queries
    (one of them the lists') whatever the number of units."""
    quotas = dict(CityQuota.objects.filter(batch=batch).values_list("city_id", "factory_quota"))
    divisions = dict(IndustryDivision.objects.values_list("code", "name"))
    by_city: dict[str, list] = {}
    units = (
        applications.select_related("unit__park", "unit__enterprise", "assessor__organisation").order_by(
            "-kind", "city_recommended_at", "pk"
        )  # "park" > "factory": parks first
    )
    units = list(units)
    listed = city_listed_keys([(a.city_id, a.unit) for a in units])
    for a in units:
        by_city.setdefault(a.city_id, []).append(a)
    out = []
    for city in City.objects.order_by("position", "code"):
        apps = by_city.get(city.code, [])
        parks, factories = annex2_rows_for(apps, divisions=divisions, listed=listed)
        out.append(
            CityAnnex2(
                name=city.name,
                quota=quotas.get(city.code),
                parks=parks,
                factories=factories,
                passed=sum(1 for a in apps if a.state in EVALUATION_PASSED),
                published=sum(1 for a in apps if a.state == S.PUBLISHED),
            )
        )
    return out


def write_summary_sheet(ws, *, title: str, cities: Sequence[CityAnnex2]):
    """The 汇总 sheet: a title, the header, one row per city, the 合计 row and a note on what is
    counted. Returns `ws`."""
    ncols = len(SUMMARY_HEADER)
    ws.title = SUMMARY_SHEET
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    _text(ws["A1"], title)
    ws["A1"].font = Font(name=FONT, size=16, bold=True)
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 34
    _row(ws, 2, SUMMARY_HEADER, font=Font(name=FONT, size=11, bold=True))
    ws.row_dimensions[2].height = 28
    body = Font(name=FONT, size=11)
    r = 3
    for c in cities:
        _row(ws, r, [c.name, c.quota, len(c.parks), len(c.factories), c.passed, c.published], font=body)
        ws.row_dimensions[r].height = 22
        r += 1
    totals = [
        SUMMARY_TOTAL,
        sum(c.quota for c in cities if c.quota is not None),
        sum(len(c.parks) for c in cities),
        sum(len(c.factories) for c in cities),
        sum(c.passed for c in cities),
        sum(c.published for c in cities),
    ]
    _row(ws, r, totals, font=Font(name=FONT, size=11, bold=True))
    ws.row_dimensions[r].height = 22
    r += 1
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
    ws.cell(row=r, column=1).value = SUMMARY_NOTE
    ws.cell(row=r, column=1).font = Font(name=FONT, size=10)
    ws.cell(row=r, column=1).alignment = LEFT
    ws.row_dimensions[r].height = 48

    for col, width in enumerate(SUMMARY_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    return ws


def province_annex2_xlsx(batch, *, applications, creator: str = "") -> bytes:
    """The province's Annex 2 for `batch` (issue 5 “Exports”): first the 汇总 sheet (per city:
    factory quota, recommended parks and factories, passed the provincial evaluation, published,
    and the 合计 row), then one sheet per city, named after it in the notice's order, in exactly
    the city's Annex 2 layout. `applications` come from the caller, through the visibility gate
    (dashboard.selectors.recommended_to_province); `creator` names the author organisation."""
    cities = province_annex2_cities(batch, applications=applications)
    title = province_annex2_title(batch.year)
    wb = Workbook()
    write_summary_sheet(wb.active, title=title, cities=cities)
    for c in cities:
        write_annex2_sheet(wb.create_sheet(), city_name=c.name, parks=c.parks, factories=c.factories)
    wb.properties.title = title
    if creator:
        wb.properties.creator = creator
    return _xlsx_bytes(wb)
