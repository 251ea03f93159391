"""Lists people work from (the review queue, the province's application list, the dashboard's
figures) as .xlsx: a title row saying what the list is and which filters made it, a header, one
row per unit (or figure). Written with openpyxl's write-only workbook (rows streamed, memory flat
in the number of rows); a value starting with = + - @ is stored as text with a quote prefix, never
as a formula (as in Annex 2)."""

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .annex2 import FONT, FORMULA_PREFIXES


def _cell(ws, value, *, font=None, fmt=None):
    cell = WriteOnlyCell(ws)
    if isinstance(value, datetime.datetime):
        value = value.replace(tzinfo=None)
    if value is None:
        value = ""
    if isinstance(value, str):
        cell.value = value
        if value.startswith(FORMULA_PREFIXES):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    cell.font = font or Font(name=FONT, size=11)
    if fmt:
        cell.number_format = fmt
    elif isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, int) and not isinstance(value, bool):
        cell.number_format = "#,##0"
    return cell


@dataclass
class Table:
    """One sheet: the title (row 1), a note such as the filters (row 2), the header (row 3), rows;
    `sheet` names the tab (the title's first 31 characters when empty)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]
    note: str = ""
    widths: Sequence[int] = ()
    sheet: str = ""


def _sheet_name(text: str) -> str:
    return text[:31].translate(str.maketrans("[]:*?/\\", "（）：＊？／／"))


def tables_xlsx(tables: Iterable[Table]) -> bytes:
    """A workbook of one sheet per table, in order."""
    wb = Workbook(write_only=True)
    for table in tables:
        ws = wb.create_sheet(title=_sheet_name(table.sheet or table.title))
        for i, width in enumerate(table.widths or [18] * len(table.header), start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A4"
        ws.append([_cell(ws, table.title, font=Font(name=FONT, size=14, bold=True))])
        ws.append([_cell(ws, table.note, font=Font(name=FONT, size=10, color="555555"))])
        bold = Font(name=FONT, size=11, bold=True)
        header_cells = []
        for name in table.header:
            cell = _cell(ws, name, font=bold)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            header_cells.append(cell)
        ws.append(header_cells)
        for row in table.rows:
            ws.append([_cell(ws, value) for value in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def table_xlsx(
    *, title: str, header: Sequence[str], rows: Iterable[Sequence], note: str = "", widths: Sequence[int] = ()
) -> bytes:
    """A workbook of one table."""
    return tables_xlsx([Table(title=title, header=header, rows=rows, note=note, widths=widths)])
