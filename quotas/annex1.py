"""Annex 1 of the notice — 《2025年省级绿色低碳工厂推荐名额》 — as an .xlsx, both ways.

The layout is the notice's: `附件1`, the title `<year>年省级绿色低碳工厂推荐名额`, the header
`地市 · 推荐名额`, the 11 cities in the notice's order (City.position) and a `合计` row.
`annex1_xlsx` writes it; `annex1_read` reads a table in that layout back, reporting bad rows in
Chinese. Text that begins with = + - @ is never taken as a formula (a spreadsheet's formula
injection): it is simply not a number or a city name."""

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils.exceptions import InvalidFileException

from reference.models import City

from .exceptions import RowError
from .models import CityQuota

# The document's own words: the notice's layout in whatever language the page is shown, so that
# an exported table always imports again (not interface text, hence not translated).
ANNEX = "附件1"
HEADER = ("地市", "推荐名额")
TOTAL = "合计"
TITLE = "{year}年省级绿色低碳工厂推荐名额"

FONT = "Noto Sans CJK SC"  # LibreOffice picks the Japanese variant unless told
FORMULA_PREFIXES = ("=", "+", "-", "@")
MAX_ROWS = 200


def annex1_title(year: int) -> str:
    return TITLE.format(year=year)


def annex1_xlsx(batch) -> bytes:
    """The batch's Annex 1 quota table, laid out as in the notice, ready to print on A4."""
    quotas = dict(CityQuota.objects.filter(batch=batch).values_list("city_id", "factory_quota"))
    cities = list(City.objects.order_by("position", "code"))

    wb = Workbook()
    ws = wb.active
    ws.title = ANNEX
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center")

    ws["A1"] = ANNEX
    ws["A1"].font = Font(name=FONT, size=12)
    ws["A2"] = annex1_title(batch.year)
    ws["A2"].font = Font(name=FONT, size=16, bold=True)
    ws["A2"].alignment = centre
    ws.merge_cells("A2:B2")
    ws.row_dimensions[2].height = 36

    rows = [HEADER]
    rows += [(c.name, quotas.get(c.code)) for c in cities]
    rows.append((TOTAL, sum(v for v in quotas.values() if v is not None)))
    for offset, (name, value) in enumerate(rows):
        r = 3 + offset
        header_or_total = offset == 0 or offset == len(rows) - 1
        for col, v in (("A", name), ("B", value)):
            cell = ws[f"{col}{r}"]
            cell.value = v
            cell.font = Font(name=FONT, size=12, bold=header_or_total)
            cell.border = box
            cell.alignment = centre
        ws.row_dimensions[r].height = 24

    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 18
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.top = ws.page_margins.bottom = 1.0
    ws.print_area = f"A1:B{2 + len(rows)}"

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@dataclass
class Annex1Table:
    """What was read: city code → (spreadsheet row, quota), and the problems found."""

    quotas: dict[str, tuple[int, int]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


def _squash(value) -> str:
    """A cell as text with all whitespace removed (the notice writes `合  计`)."""
    return re.sub(r"\s+", "", str(value)) if value is not None else ""


def _looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.strip().startswith(FORMULA_PREFIXES)


def _quota(value) -> int | None:
    """The cell as a non-negative whole number, or None."""
    if isinstance(value, bool) or value is None or _looks_like_formula(value):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    if isinstance(value, str) and re.fullmatch(r"\d{1,6}", value.strip()):
        return int(value.strip())
    return None


def _shown(value) -> str:
    return "" if value is None else str(value).strip()[:40]


def annex1_read(data: bytes, *, year: int | None = None) -> Annex1Table:
    """Read an Annex 1 table: the header `地市 · 推荐名额` anywhere in the first sheet, city rows
    under it by name (`杭州市` or `杭州`), an optional `合计` row. Every bad row is reported; the
    caller changes nothing unless `errors` is empty."""
    table = Annex1Table()
    try:
        wb = load_workbook(io.BytesIO(data), data_only=False, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        table.errors.append(RowError(None, "", _("无法读取该文件，请上传附件1格式的 .xlsx 名额表。")))
        return table
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(max_row=MAX_ROWS, values_only=True))
    wb.close()

    header = None
    for r, cells in enumerate(rows, start=1):
        squashed = [_squash(c) for c in cells]
        for col in range(len(squashed) - 1):
            if (squashed[col], squashed[col + 1]) == HEADER:
                header = (r, col)
                break
        if header:
            break
        if year is not None:
            found = re.search(r"(\d{4})年", "".join(squashed))
            if found and int(found.group(1)) != year:
                table.errors.append(
                    RowError(
                        r,
                        "",
                        _("表格标题为%(found)s年，与当前批次（%(year)d年）不符。")
                        % {"found": found.group(1), "year": year},
                    )
                )
    if header is None:
        table.errors.append(RowError(None, "", _("未找到表头“地市 · 推荐名额”，请使用附件1格式。")))
        return table

    by_name = {}
    for city in City.objects.all():
        by_name[city.name] = city
        by_name[city.name.removesuffix("市")] = city
    seen: dict[str, int] = {}
    total_row = None
    header_row, col = header
    for r, cells in enumerate(rows[header_row:], start=header_row + 1):
        cells = [*cells, None, None]
        raw_name, raw_quota = cells[col], cells[col + 1]
        name = _squash(raw_name)
        if not name and raw_quota in (None, ""):
            continue
        if name == TOTAL:
            total_row = (r, raw_quota)
            break
        if _looks_like_formula(raw_name):
            table.errors.append(
                RowError(
                    r,
                    _shown(raw_name),
                    _("第%(row)d行：地市单元格不是城市名称（不作为公式处理）。") % {"row": r},
                )
            )
            continue
        city = by_name.get(name)
        if city is None:
            table.errors.append(
                RowError(
                    r,
                    _shown(raw_name),
                    _("第%(row)d行：未知的设区市“%(name)s”。")
                    % {"row": r, "name": _shown(raw_name) or _("（空）")},
                )
            )
            continue
        if city.code in seen:
            table.errors.append(
                RowError(
                    r,
                    city.name,
                    _("第%(row)d行：%(city)s重复出现（第%(first)d行已填写）。")
                    % {"row": r, "city": city.name, "first": seen[city.code]},
                )
            )
            continue
        seen[city.code] = r
        quota = _quota(raw_quota)
        if quota is None:
            table.errors.append(
                RowError(
                    r,
                    city.name,
                    _("第%(row)d行：%(city)s的推荐名额“%(value)s”不是不小于0的整数。")
                    % {"row": r, "city": city.name, "value": _shown(raw_quota)},
                )
            )
            continue
        table.quotas[city.code] = (r, quota)

    missing = [c.name for c in City.objects.order_by("position") if c.code not in seen]
    if missing:
        table.errors.append(
            RowError(None, "", _("缺少以下设区市：%(cities)s。") % {"cities": "、".join(missing)})
        )
    if total_row is not None and not table.errors:
        r, raw_total = total_row
        total = _quota(raw_total)
        computed = sum(q for _row, q in table.quotas.values())
        if total is None or total != computed:
            table.errors.append(
                RowError(
                    r,
                    TOTAL,
                    _("第%(row)d行：合计“%(value)s”与各市名额之和%(sum)d不符。")
                    % {"row": r, "value": _shown(raw_total), "sum": computed},
                )
            )
    return table
