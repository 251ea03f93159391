"""Downloads of the city's submission documents (推荐函, 附件2): the view fetches the rows through
the submission's visibility gate and hands them to the pure export functions, whose output is
kept in storage until the data changes (exports/stored.py)."""

from django.views import View

from accounts.roles import BureauRequiredMixin
from core.downloads import PDF, XLSX, stored_download
from reviews.selectors import submission_applications, submission_counts, submission_for

from . import stored
from .annex2 import TITLE


class SubmissionLetterView(BureauRequiredMixin, View):
    """The recommendation letter (推荐函), generated from the submission, opened in the browser."""

    def get(self, request, pk):
        submission = submission_for(request.user, pk)
        name = stored.letter(
            submission, units=submission_applications(submission), counts=submission_counts(submission)
        )
        return stored_download(
            name, filename=f"{submission.city.name}推荐函.pdf", content_type=PDF, inline=True, stream=False
        )


class SubmissionAnnex2View(BureauRequiredMixin, View):
    def get(self, request, pk):
        submission = submission_for(request.user, pk)
        name = stored.annex2(submission, submission_applications(submission))
        return stored_download(
            name, filename=f"{TITLE.format(city=submission.city.name)}.xlsx", content_type=XLSX, stream=False
        )
