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
from copy import copy
from dataclasses import dataclass
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from accounts.models import Park
from applications.states import EVALUATION_PASSED, ApplicationKind
from applications.states import ApplicationState as S
from lists.models import applying_unit_key, organisation_key
from lists.selectors import city_listed_among
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
BODY_ROW_HEIGHT = 22  # points
FORMULA_PREFIXES = ("=", "+", "-", "@")
NONE = "无"


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
LEFT_PLAIN = Alignment(horizontal="left", vertical="center")
# The sheets' styles by name: (font size, bold, alignment, bordered). A province-wide workbook
# has tens of thousands of cells in a handful of these.
STYLES = {
    "label": (12, True, None, False),  # 附件2
    "title": (16, True, CENTER, False),
    "recommender": (12, False, LEFT_PLAIN, False),
    "section": (12, True, LEFT, True),
    "header": (11, True, CENTER, True),
    "body": (11, False, CENTER, True),
    "body_left": (11, False, LEFT, True),
    "total": (11, True, CENTER, True),
    "note": (10, False, LEFT, False),
    "heading": (14, True, None, False),  # the dynamic-management opinions' title
}


class StyledRows:
    """Appends styled rows to a worksheet, the workbook's write-only kind (rows streamed to the
    file, the way the province's workbook is written) or the ordinary kind alike. Each named
    style's record (font, border, alignment) is looked up in the workbook's style tables once;
    a cell takes the record as it is, and text starting with = + - @ takes the same record with
    Excel's quote prefix (and is stored as text, never as a formula)."""

    def __init__(self, ws):
        self.ws = ws
        self.row = 0
        # In a write-only sheet a cell is written out and dropped once its row is appended, so
        # cells may share one record; an ordinary sheet keeps its cells, so each gets a copy.
        self.shared = isinstance(ws, WriteOnlyWorksheet)
        wb = ws.parent
        cache = wb.__dict__.setdefault("_greenmfg_styles", {})
        if not cache:
            for name, (size, bold, alignment, bordered) in STYLES.items():
                cell = WriteOnlyCell(ws)
                cell.font = Font(name=FONT, size=size, bold=bold)
                if alignment is not None:
                    cell.alignment = alignment
                if bordered:
                    cell.border = BORDER
                plain = cell._style
                quoted = copy(plain)
                quoted.quotePrefix = 1
                cache[name] = (plain, quoted)
        self.styles = cache
        self.slots = {}

    def append(self, values, styles, *, height=None, merge=False):
        """Append one row: `values` (None for an empty cell that keeps its style), `styles` one
        style name per value or a single name for all; `merge` merges the row across."""
        ws = self.ws
        self.row += 1
        if height is not None:
            ws.row_dimensions[self.row].height = height
        if isinstance(styles, str):
            styles = (styles,) * len(values)
        cells = []
        shared, table, slots = self.shared, self.styles, self.slots
        for col, (value, style) in enumerate(zip(values, styles, strict=True)):
            plain, quoted = table[style]
            if value is not None and not isinstance(value, int):
                value = str(value)
                if value.startswith(FORMULA_PREFIXES):
                    plain = quoted
            if shared:
                # Written out the moment its row is appended: one cell per column and style
                # serves every row.
                cell = slots.get((col, plain))
                if cell is None:
                    cell = slots[(col, plain)] = WriteOnlyCell(ws)
                    cell._style = plain
            else:
                cell = WriteOnlyCell(ws)
                cell._style = copy(plain)
            cell.value = value
            if plain is quoted:
                cell.data_type = "s"
            cells.append(cell)
        ws.append(cells)
        if merge and len(values) > 1:
            ref = f"A{self.row}:{get_column_letter(len(values))}{self.row}"
            if self.shared:
                ws.merged_cells.add(ref)
            else:
                ws.merge_cells(ref)


def _section(w: StyledRows, title, header, rows):
    ncols = len(header)
    w.append([title] + [None] * (ncols - 1), "section", height=22, merge=True)
    w.append(header, "header", height=32)
    row_styles = ("body", "body_left", "body_left", "body", "body")
    if not rows:
        # Nothing recommended in this section: say so ("无"), not an empty numbered line that reads
        # like a unit left blank.
        w.append(["", NONE, "", "", ""], row_styles)
        return
    for n, item in enumerate(rows, start=1):
        item = _as_row(item)
        w.append([n, item.name, item.assessor, item.category, item.on_city_list], row_styles)


def _as_row(item) -> Annex2Row:
    if isinstance(item, Annex2Row):
        return item
    return Annex2Row(*item)


def write_annex2_sheet(
    ws, *, city_name: str, parks: Sequence[Annex2Row | tuple], factories: Sequence[Annex2Row | tuple]
):
    """Fill worksheet `ws` (new and empty; write-only or not) with one city's Annex 2. `parks` and
    `factories` are Annex2Row or plain tuples (name, assessor, type-or-industry, on-city-list);
    序号 is numbered here. Returns `ws`."""
    ncols = len(PARK_HEADER)
    ws.title = (city_name or "附件2")[:31]
    # What a write-only sheet writes before its first row: column widths and the page's fit.
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    # A unit's row is 22 points high: the sheet's default row height (one row height each would
    # be tens of thousands of row records in the province's workbook).
    ws.sheet_format.defaultRowHeight = BODY_ROW_HEIGHT
    ws.sheet_format.customHeight = True
    w = StyledRows(ws)
    w.append(["附件2"], "label")
    w.append([TITLE.format(city=city_name)] + [None] * (ncols - 1), "title", height=34, merge=True)
    w.append([RECOMMENDER] + [None] * (ncols - 1), "recommender", height=26, merge=True)
    _section(w, PARK_SECTION, PARK_HEADER, parks)
    _section(w, FACTORY_SECTION, FACTORY_HEADER, factories)

    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.print_title_rows = "1:3"
    return ws


class _Unit(NamedTuple):
    """What a row of Annex 2 is made of, read from an application or a query's values."""

    kind: str
    city_id: str
    name: str
    assessor: str
    park_type: str
    industry_class: str
    key: str | None  # lists.models.organisation_key


def annex2_rows_for(applications, *, divisions: dict[str, str] | None = None, listed=None):
    """`applications` (with unit__park, unit__enterprise and assessor__organisation selected) as
    Annex 2 rows, parks and factories apart, each in the order given. 是否列入市绿色制造名单 is
    read from the lists (an active city-level entry in the unit's city). One query for the lists
    unless `listed` (lists.selectors.city_listed_keys) is passed, and one for the divisions unless
    `divisions` (GB/T 4754 division code → name) is."""
    units = [
        _Unit(
            a.kind,
            a.city_id,
            a.unit.name,
            a.assessor.organisation.name if a.assessor_id else "",
            a.unit.park.park_type if a.kind == ApplicationKind.PARK else "",
            a.industry_class,
            organisation_key(a.unit),
        )
        for a in applications
    ]
    if listed is None:
        listed = city_listed_among(u.key for u in units)
    return _rows(units, divisions=divisions, listed=listed)


def _rows(units, *, divisions, listed):
    if divisions is None:
        divisions = dict(IndustryDivision.objects.values_list("code", "name"))
    park_types = {value: str(label) for value, label in Park._meta.get_field("park_type").flatchoices}
    parks, factories = [], []
    for u in units:
        on_list = _yes_no((u.city_id, u.key) in listed)
        if u.kind == ApplicationKind.PARK:
            parks.append(Annex2Row(u.name, u.assessor, park_types.get(u.park_type, u.park_type), on_list))
        else:
            industry = divisions.get((u.industry_class or "")[:2], u.industry_class or "")
            factories.append(Annex2Row(u.name, u.assessor, industry, on_list))
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
    wb = Workbook(write_only=True)
    write_annex2_sheet(wb.create_sheet(), city_name=submission.city.name, parks=parks, factories=factories)
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
    # A province's worth of units: read as values (model instances cost more than drawing
    # the workbook), in the city's order; "park" > "factory": parks first.
    values = applications.order_by("-kind", "city_recommended_at", "pk").values_list(
        "kind",
        "city_id",
        "state",
        "industry_class",
        "unit__name",
        "unit__city_id",
        "unit__park__park_type",
        "unit__enterprise__credit_code",
        "assessor__organisation__name",
    )
    by_city: dict[str, list] = {}
    states: dict[str, list] = {}
    for kind, city_id, state, industry, name, org_city, park_type, credit_code, assessor in values:
        # A factory's unit is an enterprise, a park's its management body.
        key = applying_unit_key(
            enterprise=kind == ApplicationKind.FACTORY, credit_code=credit_code, city_id=org_city, name=name
        )
        unit = _Unit(kind, city_id, name, assessor or "", park_type or "", industry, key)
        by_city.setdefault(city_id, []).append(unit)
        states.setdefault(city_id, []).append(state)
    listed = city_listed_among(u.key for units in by_city.values() for u in units)
    out = []
    for city in City.objects.order_by("position", "code"):
        parks, factories = _rows(by_city.get(city.code, []), divisions=divisions, listed=listed)
        city_states = states.get(city.code, [])
        out.append(
            CityAnnex2(
                name=city.name,
                quota=quotas.get(city.code),
                parks=parks,
                factories=factories,
                passed=sum(1 for state in city_states if state in EVALUATION_PASSED),
                published=sum(1 for state in city_states if state == S.PUBLISHED),
            )
        )
    return out


def write_summary_sheet(ws, *, title: str, cities: Sequence[CityAnnex2]):
    """The 汇总 sheet (new and empty; write-only or not): a title, the header, one row per city,
    the 合计 row and a note on what is counted. Returns `ws`."""
    ncols = len(SUMMARY_HEADER)
    ws.title = SUMMARY_SHEET
    for col, width in enumerate(SUMMARY_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    w = StyledRows(ws)
    w.append([title] + [None] * (ncols - 1), "title", height=34, merge=True)
    w.append(SUMMARY_HEADER, "header", height=28)
    for c in cities:
        w.append([c.name, c.quota, len(c.parks), len(c.factories), c.passed, c.published], "body", height=22)
    totals = [
        SUMMARY_TOTAL,
        sum(c.quota for c in cities if c.quota is not None),
        sum(len(c.parks) for c in cities),
        sum(len(c.factories) for c in cities),
        sum(c.passed for c in cities),
        sum(c.published for c in cities),
    ]
    w.append(totals, "total", height=22)
    w.append([SUMMARY_NOTE] + [None] * (ncols - 1), "note", height=48, merge=True)

    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = Worksheet.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    return ws


def province_annex2_xlsx(
    batch, *, applications, creator: str = "", cities: Sequence[CityAnnex2] | None = None
) -> bytes:
    """The province's Annex 2 for `batch` (issue 5 “Exports”): first the 汇总 sheet (per city:
    factory quota, recommended parks and factories, passed the provincial evaluation, published,
    and the 合计 row), then one sheet per city, named after it in the notice's order, in exactly
    the city's Annex 2 layout. `applications` come from the caller, through the visibility gate
    (dashboard.selectors.recommended_to_province); `creator` names the author organisation;
    `cities`, when the caller has read them already (exports.stored), saves reading them again."""
    cities = province_annex2_cities(batch, applications=applications) if cities is None else cities
    title = province_annex2_title(batch.year)
    wb = Workbook(write_only=True)
    write_summary_sheet(wb.create_sheet(), title=title, cities=cities)
    for c in cities:
        write_annex2_sheet(wb.create_sheet(), city_name=c.name, parks=c.parks, factories=c.factories)
    wb.properties.title = title
    if creator:
        wb.properties.creator = creator
    return _xlsx_bytes(wb)
