"""The city's recommendation letter to the province (推荐函, 通知 三) as a PDF.

Official-letter layout in the spirit of GB/T 9704: the bureau's name as a red header over a red
rule, the document number, the title, the addressee 省经济和信息化厅, a body naming the counts, the
list of recommended units, the annex line, the bureau and date with the seal's place. The font is
named once, in static/css/print.css.
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML

from applications.states import ApplicationKind
from reviews.models import SubmissionState

PRINT_CSS = "css/print.css"


def letter_context(submission, *, units, counts) -> dict:
    """`units`: the submission's applications in the city's order; `counts`: parks and factories
    (reviews.selectors.submission_applications / submission_counts, passed by the caller)."""
    batch = submission.batch
    bureau_name = submission.bureau.name
    sent_on = timezone.localtime(submission.sent_at).date() if submission.sent_at else timezone.localdate()
    return {
        "bureau_name": bureau_name,
        "city_name": submission.city.name,
        "document_number": submission.document_number,
        "title": _("%(bureau)s关于推荐%(year)d年度省级绿色低碳工业园区和工厂的函")
        % {"bureau": bureau_name, "year": batch.year},
        "batch_title": batch.title,
        "notice_number": batch.notice_number,
        "year": batch.year,
        "parks": [a for a in units if a.kind == ApplicationKind.PARK],
        "factories": [a for a in units if a.kind == ApplicationKind.FACTORY],
        "counts": counts,
        "letter_date": sent_on,
        "is_draft": submission.state == SubmissionState.DRAFT,
    }


def official_pdf(template: str, context) -> bytes:
    """Render an official-letter template with the print stylesheet. An official letter is
    written in Chinese whatever language the bureau's user reads: `context` is a function, called
    in Chinese."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context())
    stylesheet = CSS(filename=finders.find(PRINT_CSS))
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])


def recommendation_letter_pdf(submission, *, units, counts) -> bytes:
    return official_pdf(
        "exports/recommendation_letter.html", lambda: letter_context(submission, units=units, counts=counts)
    )
