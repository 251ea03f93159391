"""The lists as .xlsx, both ways: the city's template and the export (one column order), and the
reader that checks an uploaded list row by row within a budget.

Layouts (the header row is looked for in the first rows of the first sheet):
- city-level list (市级名单): 序号 · 单位名称 · 统一社会信用代码 · 县（市、区） · 类型（园区/工厂） ·
  行业代码或园区类型 · 列入年份
- national list (国家级名单, MIIT's list for Zhejiang): 序号 · 单位名称 · 统一社会信用代码 (may be
  empty) · 所在地区 · 行业 · 批次/年份

The reader never saves anything: it returns the rows it understood and every problem found, each
with its spreadsheet row and column. Text beginning with = + - @ is never taken as a formula."""

import io
import re
import time
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils.exceptions import InvalidFileException

from accounts.models import ParkType
from accounts.uscc import ALPHABET, check_character
from reference.models import City, County, IndustryDivision

from .models import Tier, UnitKind, normalise_name, unit_key

# The documents' own words (not interface text): a downloaded template always uploads again.
CITY_COLUMNS = (
    "序号",
    "单位名称",
    "统一社会信用代码",
    "县（市、区）",
    "类型（园区/工厂）",
    "行业代码或园区类型",
    "列入年份",
)
NATIONAL_COLUMNS = ("序号", "单位名称", "统一社会信用代码", "所在地区", "行业", "批次/年份")
KIND_WORDS = {"工厂": UnitKind.FACTORY, "园区": UnitKind.PARK}
# Short names the cities write for park types, beside the full names of ParkType.
PARK_TYPE_ALIASES = {"经开区": "etdz", "高新区": "high_tech", "自贸区": "free_trade", "边合区": "border"}

FONT = "Noto Sans CJK SC"  # LibreOffice picks the Japanese variant unless told
FORMULA_PREFIXES = ("=", "+", "-", "@")

# The budget of one upload (通知 三 lists are a few hundred rows; a province-wide national list a
# few thousand). Past any of these the file is refused with a reason, nothing is read further.
MAX_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_ROWS = 20_000
MAX_SECONDS = 30.0
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class RowError:
    """One problem of an uploaded list: the spreadsheet row (None for the whole file), the column
    as the template names it ("" for the whole row) and the reason in Chinese."""

    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Row:
    """One unit of an uploaded list, as understood."""

    row: int
    unit_name: str
    credit_code: str
    kind: str
    city: City
    county: County | None
    industry_class: str = ""
    park_type: str = ""
    industry_text: str = ""
    year: int = 0

    @property
    def key(self) -> str:
        return unit_key(
            kind=self.kind, credit_code=self.credit_code, city_id=self.city.code, name=self.unit_name
        )


@dataclass
class ReadResult:
    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class _Refused(Exception):
    def __init__(self, message):
        self.message = message


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _squash(value) -> str:
    return normalise_name(_text(value))


def _is_formula(value) -> bool:
    return isinstance(value, str) and value.strip().startswith(FORMULA_PREFIXES)


def _open(data: bytes):
    """The workbook's first sheet, read-only, after the budget checks on the file itself."""
    if len(data) > MAX_BYTES:
        raise _Refused(_("文件超过5MB，请拆分后上传。"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_UNCOMPRESSED_BYTES:
                raise _Refused(_("文件解压后过大，无法读取。"))
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except _Refused:
        raise
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise _Refused(_("无法读取该文件，请上传按模板填写的 .xlsx 文件。")) from None
    if not wb.worksheets:
        raise _Refused(_("文件中没有工作表。"))
    return wb


def _header(rows_iter, columns) -> tuple[int, dict[str, int]]:
    """Find the header row among the first rows: the row naming 单位名称 and the other columns.
    Returns its number and column name → index."""
    wanted = {normalise_name(c): c for c in columns}
    for r, cells in enumerate(rows_iter, start=1):
        found = {}
        for i, cell in enumerate(cells):
            name = wanted.get(_squash(cell))
            if name and name not in found:
                found[name] = i
        if "单位名称" in found:
            missing = [c for c in columns if c not in found and c not in ("序号", "统一社会信用代码")]
            if missing:
                raise _Refused(
                    _("第%(row)d行表头缺少以下列：%(cols)s。请使用模板。")
                    % {"row": r, "cols": "、".join(missing)}
                )
            return r, found
        if r >= HEADER_SEARCH_ROWS:
            break
    raise _Refused(_("未找到表头（单位名称 …），请使用下载的模板。"))


def _credit_code(raw) -> tuple[str, str | None]:
    """(code, problem): the code upper-cased and without spaces, or the reason it is wrong."""
    code = re.sub(r"\s+", "", _text(raw)).upper()
    if len(code) != 18:
        return code, _("统一社会信用代码应为18位，当前为%(n)d位。") % {"n": len(code)}
    if any(ch not in ALPHABET for ch in code):
        return code, _("统一社会信用代码只能包含数字和大写字母（不含 I、O、Z、S、V）。")
    if check_character(code[:17]) != code[17]:
        return code, _("统一社会信用代码校验位不正确（应为%(ch)s）。") % {"ch": check_character(code[:17])}
    return code, None


def _year(raw, *, latest: int) -> int | None:
    text = _text(raw)
    found = re.search(r"(19|20)\d{2}", text)
    if not found:
        return None
    year = int(found.group(0))
    return year if 2000 <= year <= latest else None


def _park_type(raw) -> str | None:
    text = _squash(raw)
    for value, label in ParkType.choices:
        if text in (normalise_name(str(label)), value):
            return value
    return PARK_TYPE_ALIASES.get(text)


class _Reader:
    """Shared row loop: budget, blank rows, formulas, names, credit codes, duplicates."""

    def __init__(self, data: bytes, columns: tuple[str, ...]):
        self.data = data
        self.columns = columns
        self.result = ReadResult()
        self.seen: dict[str, int] = {}
        self.divisions = set(IndustryDivision.objects.values_list("code", flat=True))

    def error(self, row, column, message):
        self.result.errors.append(RowError(row, column, message))

    def rows(self):
        started = time.monotonic()
        wb = _open(self.data)
        try:
            it = wb.worksheets[0].iter_rows(values_only=True)
            header_row, cols = _header(it, self.columns)
            for offset, cells in enumerate(it, start=1):
                r = header_row + offset
                if offset > MAX_ROWS:
                    raise _Refused(_("名单超过%(n)d行，请拆分后上传。") % {"n": MAX_ROWS})
                if offset % 500 == 0 and time.monotonic() - started > MAX_SECONDS:
                    raise _Refused(_("文件处理超时，请检查文件后重新上传。"))
                values = {c: (cells[i] if i < len(cells) else None) for c, i in cols.items()}
                if all(_text(v) == "" for k, v in values.items() if k != "序号"):
                    continue
                yield r, values
        finally:
            wb.close()

    def name(self, r, values) -> str | None:
        raw = values.get("单位名称")
        if _is_formula(raw):
            self.error(r, "单位名称", _("单位名称不能是公式。"))
            return None
        name = re.sub(r"\s+", "", _text(raw))
        if not name:
            self.error(r, "单位名称", _("单位名称不能为空。"))
            return None
        if len(name) > 100:
            self.error(r, "单位名称", _("单位名称不能超过100个字。"))
            return None
        return name

    def code(self, r, values, *, required: bool) -> str | None:
        """The row's credit code ("" when absent and not required), None when wrong."""
        raw = values.get("统一社会信用代码")
        if _text(raw) == "":
            if required:
                self.error(r, "统一社会信用代码", _("工厂须填写统一社会信用代码。"))
                return None
            return ""
        code, problem = _credit_code(raw)
        if problem:
            self.error(r, "统一社会信用代码", problem)
            return None
        return code

    def unique(self, row: Row) -> bool:
        first = self.seen.get(row.key)
        if first is not None:
            column = "统一社会信用代码" if row.key.startswith("uscc:") else "单位名称"
            self.error(row.row, column, _("与第%(first)d行重复。") % {"first": first})
            return False
        self.seen[row.key] = row.row
        return True


def read_city_list(data: bytes, *, city: City, latest_year: int) -> ReadResult:
    """Read a city's year-end list (the template's columns). Every problem is reported with its
    row and column; the caller saves nothing unless `errors` is empty."""
    reader = _Reader(data, CITY_COLUMNS)
    counties = list(County.objects.all())
    by_name = {}
    for c in counties:
        by_name.setdefault(normalise_name(c.name), []).append(c)
        by_name.setdefault(c.code, []).append(c)
    try:
        for r, values in reader.rows():
            name = reader.name(r, values)
            kind_text = _squash(values.get("类型（园区/工厂）"))
            kind = KIND_WORDS.get(kind_text)
            if kind is None:
                reader.error(r, "类型（园区/工厂）", _("类型应填“工厂”或“园区”。"))
            code = reader.code(r, values, required=kind == UnitKind.FACTORY)

            county_text = _squash(values.get("县（市、区）")).removeprefix(normalise_name(city.name))
            county = None
            if not county_text:
                if kind != UnitKind.PARK:
                    reader.error(r, "县（市、区）", _("请填写所在县（市、区）。"))
            else:
                matches = [c for c in by_name.get(county_text, []) if c.city_id == city.code]
                if matches:
                    county = matches[0]
                elif by_name.get(county_text):
                    reader.error(
                        r,
                        "县（市、区）",
                        _("“%(county)s”不属于%(city)s。") % {"county": county_text, "city": city.name},
                    )
                else:
                    reader.error(
                        r, "县（市、区）", _("未知的县（市、区）“%(county)s”。") % {"county": county_text}
                    )

            category = _text(values.get("行业代码或园区类型"))
            industry_class = park_type = ""
            if kind == UnitKind.FACTORY:
                if not re.fullmatch(r"\d{4}", category) or category[:2] not in reader.divisions:
                    reader.error(
                        r,
                        "行业代码或园区类型",
                        _("未知的行业代码“%(code)s”（应为 GB/T 4754-2017 制造业小类，4位数字，如 3311）。")
                        % {"code": category[:20]},
                    )
                    category = None
                industry_class = category or ""
            elif kind == UnitKind.PARK:
                park_type = _park_type(category)
                if park_type is None:
                    reader.error(
                        r, "行业代码或园区类型", _("未知的园区类型“%(type)s”。") % {"type": category[:20]}
                    )

            year = _year(values.get("列入年份"), latest=latest_year)
            if year is None:
                reader.error(
                    r, "列入年份", _("列入年份应为2000–%(latest)d之间的年份。") % {"latest": latest_year}
                )
            if None in (name, kind, code, year) or (kind == UnitKind.FACTORY and not industry_class):
                continue
            if (county is None and kind == UnitKind.FACTORY) or (kind == UnitKind.PARK and park_type is None):
                continue
            if county_text and county is None:
                continue
            row = Row(
                row=r,
                unit_name=name,
                credit_code=code,
                kind=kind,
                city=city,
                county=county,
                industry_class=industry_class,
                park_type=park_type or "",
                year=year,
            )
            if reader.unique(row):
                reader.result.rows.append(row)
    except _Refused as refused:
        reader.result.errors.append(RowError(None, "", refused.message))
    return reader.result


def _region(text: str, cities: list[City], counties: list[County]) -> tuple[City | None, County | None, str]:
    """所在地区 as MIIT writes it — 杭州市, 杭州市西湖区, 浙江省杭州市西湖区 or just 西湖区 — as
    (city, county, problem)."""
    text = normalise_name(text).removeprefix("浙江省")
    city, rest = None, text
    for c in cities:
        for prefix in (c.name, c.name.removesuffix("市")):
            if text.startswith(prefix):
                city, rest = c, text.removeprefix(prefix)
                break
        if city:
            break
    if not rest:
        return (
            city,
            None,
            "" if city else _("“%(region)s”不是浙江省的设区市或县（市、区）。") % {"region": text[:30]},
        )
    candidates = [
        c for c in counties if normalise_name(c.name) == rest and (city is None or c.city_id == city.code)
    ]
    if len(candidates) == 1:
        county = candidates[0]
        return city or next(c for c in cities if c.code == county.city_id), county, ""
    if city is not None:
        return (
            None,
            None,
            _("“%(region)s”中的县（市、区）不属于%(city)s。") % {"region": text[:30], "city": city.name},
        )
    return None, None, _("“%(region)s”不是浙江省的设区市或县（市、区）。") % {"region": text[:30]}


def read_national_list(data: bytes, *, kind: str, latest_year: int) -> ReadResult:
    """Read MIIT's national list for Zhejiang (factories or parks, per file)."""
    reader = _Reader(data, NATIONAL_COLUMNS)
    cities = list(City.objects.all())
    counties = list(County.objects.all())
    try:
        for r, values in reader.rows():
            name = reader.name(r, values)
            code = reader.code(r, values, required=False)
            region = _text(values.get("所在地区"))
            city = county = None
            if not region:
                reader.error(r, "所在地区", _("请填写所在地区（设区市，可含县（市、区））。"))
            else:
                city, county, problem = _region(region, cities, counties)
                if problem:
                    reader.error(r, "所在地区", problem)
            year = _year(values.get("批次/年份"), latest=latest_year)
            if year is None:
                reader.error(
                    r, "批次/年份", _("批次/年份中应含2000–%(latest)d之间的年份。") % {"latest": latest_year}
                )
            if None in (name, code, city, year):
                continue
            row = Row(
                row=r,
                unit_name=name,
                credit_code=code if kind == UnitKind.FACTORY else "",
                kind=kind,
                city=city,
                county=county,
                industry_text=_text(values.get("行业"))[:60],
                year=year,
            )
            if reader.unique(row):
                reader.result.rows.append(row)
    except _Refused as refused:
        reader.result.errors.append(RowError(None, "", refused.message))
    return reader.result


# --- writing ------------------------------------------------------------------------------------


def _sheet(ws, title: str, columns, rows):
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.title = title[:31]
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.border = box
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for values in rows:
        ws.append(list(values))
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.font = Font(name=FONT, size=11)
            cell.border = box
            # Credit codes and industry codes are text: keep leading zeros, no scientific notation.
            cell.number_format = "@"
    widths = {"序号": 6, "单位名称": 36, "统一社会信用代码": 22, "县（市、区）": 14, "所在地区": 18}
    for i, name in enumerate(columns):
        ws.column_dimensions[chr(ord("A") + i)].width = widths.get(name, 16)
    ws.freeze_panes = "A2"


def _xlsx(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def city_list_template_xlsx(city: City) -> bytes:
    """The empty template a city fills in (one example row of each kind, to be overwritten)."""
    wb = Workbook()
    _sheet(wb.active, f"{city.name}市级名单", CITY_COLUMNS, [])
    return _xlsx(wb)


def _category_for_city_column(entry) -> str:
    if entry.kind == UnitKind.PARK:
        return str(ParkType(entry.park_type).label) if entry.park_type else ""
    return entry.industry_class


def entries_xlsx(entries, *, tier: str | None) -> bytes:
    """Entries in the column order of the matching import (city-level or national layout; the
    city layout for a mixed export, with 名单级别 and 状态 after it), so an export of one city's
    list uploads again unchanged."""
    wb = Workbook()
    if tier == Tier.NATIONAL:
        rows = (
            (
                n,
                e.unit_name,
                e.credit_code,
                f"{e.city.name}{e.county.name if e.county_id else ''}",
                e.industry_text or e.industry_class,
                e.year,
            )
            for n, e in enumerate(entries, start=1)
        )
        _sheet(wb.active, "国家级名单", NATIONAL_COLUMNS, rows)
        return _xlsx(wb)
    extra = () if tier == Tier.CITY else ("名单级别", "状态")
    rows = (
        (
            n,
            e.unit_name,
            e.credit_code,
            e.county.name if e.county_id else "",
            str(UnitKind(e.kind).label),
            _category_for_city_column(e),
            e.year,
            *(() if tier == Tier.CITY else (e.get_tier_display(), e.get_status_display())),
        )
        for n, e in enumerate(entries, start=1)
    )
    _sheet(wb.active, "名单", (*CITY_COLUMNS, *extra), rows)
    return _xlsx(wb)
