"""Downloads of the city's submission documents (推荐函, 附件2): the view fetches the rows through
the submission's visibility gate and hands them to the pure export functions."""

from django.views import View

from accounts.roles import BureauRequiredMixin
from core.downloads import PDF, XLSX, download
from dynamic.selectors import city_opinion_rows
from reviews.selectors import submission_applications, submission_counts, submission_for

from .annex2 import TITLE, annex2_xlsx
from .dynamic_opinions import dynamic_opinions_pdf, dynamic_opinions_xlsx, opinions_title
from .letter import recommendation_letter_pdf


class SubmissionLetterView(BureauRequiredMixin, View):
    """The recommendation letter (推荐函), generated from the submission, opened in the browser."""

    def get(self, request, pk):
        submission = submission_for(request.user, pk)
        pdf = recommendation_letter_pdf(
            submission, units=submission_applications(submission), counts=submission_counts(submission)
        )
        return download(pdf, filename=f"{submission.city.name}推荐函.pdf", content_type=PDF, inline=True)


class SubmissionAnnex2View(BureauRequiredMixin, View):
    def get(self, request, pk):
        submission = submission_for(request.user, pk)
        data = annex2_xlsx(submission, submission_applications(submission))
        return download(data, filename=f"{TITLE.format(city=submission.city.name)}.xlsx", content_type=XLSX)


class SubmissionDynamicOpinionsPdfView(BureauRequiredMixin, View):
    """The city's 动态管理审核意见 (PDF, official-letter style), from its forms of the batch."""

    def get(self, request, pk):
        submission = submission_for(request.user, pk)
        tables = city_opinion_rows(submission.batch, submission.city_id)
        pdf = dynamic_opinions_pdf(submission, tables)
        return download(pdf, filename=f"{opinions_title(submission)}.pdf", content_type=PDF, inline=True)


class SubmissionDynamicOpinionsXlsxView(BureauRequiredMixin, View):
    def get(self, request, pk):
        submission = submission_for(request.user, pk)
        data = dynamic_opinions_xlsx(submission, city_opinion_rows(submission.batch, submission.city_id))
        return download(data, filename=f"{opinions_title(submission)}.xlsx", content_type=XLSX)
