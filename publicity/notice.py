"""The joint notice (联合发文公布) as a PDF in the GB/T 9704-2012 style (文件格式, joint): the
departments' names in red beside 文件, the document number centred over the red separator line,
the title broken only between words, the body and annex line kept with the three departments' seal
places and the date, the contact line, the list as an annex table grouped by city, and the 版记
(抄送, 印发机关 and date) at the foot of the last page. A pure function of the publication; every
number, name and date comes from the batch and the publication. Fonts: static/css/print.css."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core.pdf import html_to_pdf

from .selectors import published_adjustments, published_by_city


def notice_title_words(year: int) -> list[str]:
    """The title in whole words: a line may break between two of them, never inside one."""
    return [
        _("关于公布"),
        _("%(year)d年度") % {"year": year},
        _("浙江省"),
        _("绿色低碳工业园区"),
        _("和工厂名单的通知"),
    ]


def seal_rows(departments: list[str]) -> list[list[str]]:
    """Two signatures a row in the departments' order (GB/T 9704 7.3.5.1: seals side by side, never
    touching); the date goes under the last."""
    return [departments[i : i + 2] for i in range(0, len(departments), 2)]


def notice_html(publication) -> str:
    groups = published_by_city(publication)
    batch = publication.batch
    with translation.override(settings.LANGUAGE_CODE):
        words = notice_title_words(batch.year)
        html = render_to_string(
            "publicity/notice_pdf.html",
            {
                "publication": publication,
                "batch": batch,
                "departments": batch.joint_departments,
                "seal_rows": seal_rows(list(batch.joint_departments)),
                "title": "".join(words),
                "title_words": words,
                "groups": groups,
                "total": sum(len(g.units) for g in groups),
                "adjustments": published_adjustments(publication),
            },
        )
    return html


def publication_notice_pdf(publication) -> bytes:
    return html_to_pdf(notice_html(publication), stylesheets=("css/print.css",))
