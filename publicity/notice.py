"""The joint notice (联合发文公布) as a PDF: an official-letter layout naming the batch's jointly
publishing departments, with the list as an annex table grouped by city. A pure function of the
publication; every number and date comes from the batch and the publication."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from .selectors import published_adjustments, published_by_city


def publication_notice_pdf(publication) -> bytes:
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
                "adjustments": published_adjustments(publication),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
