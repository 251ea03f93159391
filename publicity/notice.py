"""The joint notice (联合发文公布) as a PDF: an official-letter layout naming the batch's jointly
publishing departments, with the list as an annex table grouped by city. A pure function of the
publication; every number and date comes from the batch and the publication."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from core.pdf import html_to_pdf

from .selectors import published_by_city


def notice_html(publication) -> str:
    groups = published_by_city(publication)
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "publicity/notice_pdf.html",
            {
                "publication": publication,
                "batch": publication.batch,
                "departments": publication.batch.joint_departments,
                "groups": groups,
                "total": sum(len(g.units) for g in groups),
            },
        )
    return html


def publication_notice_pdf(publication) -> bytes:
    return html_to_pdf(notice_html(publication))
