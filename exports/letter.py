"""The city's recommendation letter to the province (推荐函, 通知 三) as a PDF.

An official letter (信函格式) in the GB/T 9704-2012 style: the bureau's name in red over the red
separator line, the document number under it on the right, the title broken only between words,
the addressee 省经济和信息化厅, a body naming the counts, the list of recommended units, the annex
line, the bureau and date with the seal's place and the contact line — the end of the body kept on
the signature's page. The font is named once, in static/css/print.css.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.states import ApplicationKind
from core.pdf import html_to_pdf
from reviews.models import SubmissionState

PRINT_CSS = "css/print.css"
# How many of the last listed units stay with the signature (GB/T 9704 7.3.5: the signature
# never stands alone on a page).
KEPT_WITH_SIGNATURE = 2


def title_words(bureau_name: str, year: int) -> list[str]:
    """The title in whole words: a line may break between two of them, never inside one."""
    return [
        bureau_name,
        _("关于推荐"),
        _("%(year)d年度") % {"year": year},
        _("省级绿色低碳"),
        _("工业园区和工厂"),
        _("的函"),
    ]


def _sections(parks, factories) -> tuple[list[dict], dict | None]:
    """The lists of the body as (sections before the signature block, the part kept with it)."""
    sections = []
    if parks:
        sections.append({"heading": _("省级绿色低碳工业园区（%(n)d个）") % {"n": len(parks)}, "units": parks})
    if factories:
        sections.append(
            {"heading": _("省级绿色低碳工厂（%(n)d家）") % {"n": len(factories)}, "units": factories}
        )
    numerals = ["一、", "二、"]
    for i, s in enumerate(sections):
        s["heading"] = numerals[i] + s["heading"]
        s["start"] = 1
    if not sections:
        return [], None
    last = sections[-1]
    if len(last["units"]) <= KEPT_WITH_SIGNATURE + 1:
        return sections[:-1], last
    kept = {"heading": None, "units": last["units"][-KEPT_WITH_SIGNATURE:]}
    kept["start"] = len(last["units"]) - KEPT_WITH_SIGNATURE + 1
    last["units"] = last["units"][:-KEPT_WITH_SIGNATURE]
    return sections, kept


def letter_context(submission, *, units, counts) -> dict:
    """`units`: the submission's applications in the city's order; `counts`: parks and factories
    (reviews.selectors.submission_applications / submission_counts, passed by the caller)."""
    batch = submission.batch
    bureau_name = submission.bureau.name
    sent_on = timezone.localtime(submission.sent_at).date() if submission.sent_at else timezone.localdate()
    parks = [a for a in units if a.kind == ApplicationKind.PARK]
    factories = [a for a in units if a.kind == ApplicationKind.FACTORY]
    sections, kept = _sections(parks, factories)
    words = title_words(bureau_name, batch.year)
    return {
        "bureau_name": bureau_name,
        "city_name": submission.city.name,
        "document_number": submission.document_number,
        "title": "".join(words),
        "title_words": words,
        "batch_title": batch.title,
        "notice_number": batch.notice_number,
        "year": batch.year,
        "sections": sections,
        "kept": kept,
        "counts": counts,
        "letter_date": sent_on,
        "contact_name": submission.contact_name,
        "contact_phone": submission.contact_phone,
        "is_draft": submission.state == SubmissionState.DRAFT,
    }


def letter_html(submission, *, units, counts) -> str:
    # An official letter is written in Chinese whatever language the bureau's user reads.
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "exports/recommendation_letter.html", letter_context(submission, units=units, counts=counts)
        )


def pdf_from_html(html: str) -> bytes:
    return html_to_pdf(html, stylesheets=(PRINT_CSS,))


def recommendation_letter_pdf(submission, *, units, counts) -> bytes:
    return pdf_from_html(letter_html(submission, units=units, counts=counts))


def official_pdf(template: str, context) -> bytes:
    """Render an official-letter template with the print stylesheet. An official letter is
    written in Chinese whatever language the bureau's user reads: `context` is a function, called
    in Chinese."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context())
    return pdf_from_html(html)
