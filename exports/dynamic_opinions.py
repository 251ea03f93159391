"""The city's 动态管理审核意见 (通知 三: sent with the letter and Annex 2): the same table as a PDF in
the official-letter style and as .xlsx. Pure functions of the submission and the rows
(dynamic.selectors.city_opinion_rows, passed by the caller)."""

import io

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from reviews.models import SubmissionState

from .annex2 import StyledRows
from .letter import official_pdf

HEADER = ("序号", "单位名称", "名单及列入年份", "审核意见", "理由")
WIDTHS = (7, 40, 20, 14, 60)


def opinions_title(submission) -> str:
    return _("%(bureau)s%(year)d年度省级绿色制造名单动态管理审核意见") % {
        "bureau": submission.bureau.name,
        "year": submission.batch.year,
    }


def dynamic_opinions_pdf(submission, tables) -> bytes:
    """`tables`: {"省级 · 绿色低碳工厂": [OpinionRow, …], …}."""
    sent_on = timezone.localtime(submission.sent_at).date() if submission.sent_at else timezone.localdate()
    return official_pdf(
        "exports/dynamic_opinions.html",
        lambda: {
            "bureau_name": submission.bureau.name,
            "document_number": submission.document_number,
            "title": opinions_title(submission),
            "city_name": submission.city.name,
            "year": submission.batch.year,
            "tables": tables,
            "letter_date": sent_on,
            "is_draft": submission.state == SubmissionState.DRAFT,
        },
    )


def dynamic_opinions_xlsx(submission, tables) -> bytes:
    # Like the letter, the table the city seals is in Chinese whatever the user reads.
    with translation.override(settings.LANGUAGE_CODE):
        return _opinions_xlsx(submission, tables)


def _opinions_xlsx(submission, tables) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("动态管理审核意见")
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    w = StyledRows(ws)
    w.append([opinions_title(submission)] + [None] * (len(HEADER) - 1), "heading", merge=True)
    w.append([], ())
    row_styles = ("body", "body_left", "body", "body", "body_left")
    for title, rows in tables.items():
        w.append([str(title)], "label")
        w.append(HEADER, "header")
        for n, row in enumerate(rows, start=1):
            reasons = "；".join(map(str, row.reasons))
            w.append([n, row.form.unit_name, row.list_and_year, str(row.opinion), reasons], row_styles)
        w.append([], ())
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
