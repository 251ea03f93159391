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

`write_annex2_sheet` fills any worksheet (the province's workbook puts one city per sheet);
`annex2_xlsx` builds the city's own workbook from its submission.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

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
        if isinstance(value, int):
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


def annex2_rows(submission) -> tuple[list[Annex2Row], list[Annex2Row]]:
    """The submission's parks and factories as Annex 2 rows."""
    from reference.models import IndustryDivision
    from reviews.selectors import submission_applications

    divisions = dict(IndustryDivision.objects.values_list("code", "name"))
    parks, factories = [], []
    for a in submission_applications(submission):
        assessor = a.assessor.organisation.name if a.assessor_id else ""
        if a.kind == "park":
            parks.append(Annex2Row(a.unit.name, assessor, a.unit.park.get_park_type_display(), ""))
        else:
            enterprise = a.unit.enterprise
            industry = divisions.get((a.industry_class or "")[:2], a.industry_class or "")
            factories.append(
                Annex2Row(a.unit.name, assessor, industry, "是" if enterprise.is_city_green_factory else "否")
            )
    return parks, factories


def annex2_xlsx(submission) -> bytes:
    """The city's Annex 2 as an .xlsx file."""
    parks, factories = annex2_rows(submission)
    wb = Workbook()
    write_annex2_sheet(wb.active, city_name=submission.city.name, parks=parks, factories=factories)
    wb.properties.title = TITLE.format(city=submission.city.name)
    wb.properties.creator = submission.bureau.name
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
