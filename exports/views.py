"""Downloads of the city's submission documents (推荐函, 附件2) and of the review queue: the views
fetch the rows through the visibility gate and hand them to the pure export functions; the
submission's documents are kept in storage until their data changes (exports/stored.py)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.roles import BureauRequiredMixin, ReviewerRequiredMixin
from core.downloads import PDF, XLSX, download, stored_download
from dynamic.selectors import city_opinion_rows
from reviews import selectors
from reviews.forms import QueueFilterForm
from reviews.selectors import submission_applications, submission_counts, submission_for

from . import stored
from .annex2 import TITLE
from .dynamic_opinions import dynamic_opinions_pdf, dynamic_opinions_xlsx, opinions_title
from .tables import table_xlsx


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


class QueueExportView(ReviewerRequiredMixin, View):
    """The review queue as .xlsx, with the tab and filters the page shows (for a meeting's
    printout): every row, not one page, through the same selector (the bureau's region only)."""

    def get(self, request):
        user = request.user
        form = QueueFilterForm(request.GET or None, user=user)
        filters = form.filters()
        names = selectors.industry_names()
        pending = filters["tab"] == "pending"
        rows = []
        for a in selectors.review_queue(user, **filters):
            row = selectors.queue_row(a, names)
            decided = getattr(a, "decided_at", None)
            rows.append(
                [
                    a.unit.name,
                    str(a.get_kind_display()),
                    getattr(getattr(a.unit, "enterprise", None), "credit_code", ""),
                    a.county.name if a.county_id else "",
                    row["industry"],
                    a.assessor.organisation.name if a.assessor_id else "",
                    timezone.localtime(a.submitted_at) if a.submitted_at else "",
                    row["days"] if pending else (timezone.localtime(decided) if decided else ""),
                    _("齐全") if row["docs_complete"] else _("缺材料"),
                    str(a.get_state_display()),
                ]
            )
        tab = selectors.QUEUE_TABS[filters["tab"]]
        title = _("%(org)s审核队列（%(tab)s）") % {"org": user.organisation.name, "tab": tab}
        note = _("导出时间：%(when)s；筛选：%(filters)s；共%(n)d条") % {
            "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "filters": "；".join(form.described(filters)) or _("无"),
            "n": len(rows),
        }
        header = [
            _("单位"),
            _("类别"),
            _("统一社会信用代码"),
            _("县（市、区）"),
            _("行业 / 园区类型"),
            _("第三方评价机构"),
            _("提交时间"),
            _("在队列天数") if pending else _("处理时间"),
            _("材料齐全"),
            _("状态"),
        ]
        content = table_xlsx(
            title=title, note=note, header=header, rows=rows, widths=(36, 8, 22, 14, 22, 30, 18, 12, 10, 12)
        )
        return download(content, filename=f"{title}.xlsx", content_type=XLSX)


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
