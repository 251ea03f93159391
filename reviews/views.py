"""Reviewers' pages: thin — parse input, call one service (or selector), render.

Every object is fetched through the visibility gate (`application_for`, `submission_for`), so an
id from another region answers 404; pages for bureaus answer 404 to everyone else too."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from applications.exceptions import DomainError
from applications.selectors import application_for, assessor_group_usage, quota_for, quota_used
from applications.selectors import transition_options as application_transition_options
from quotas.models import Batch
from reference.models import City

from . import rules, selectors
from .forms import BulkForm, DocumentNumberForm, QueueFilterForm, SubmissionUploadForm, TransitionForm
from .models import SubmissionDocument
from .services import (
    BULK_TRANSITIONS,
    city_submission_open,
    city_submission_send,
    city_submission_update,
    review_bulk,
    review_transition,
    submission_document_upload,
)

PAGE_SIZE = 50


def _fail(request, exc: DomainError):
    for reason in exc.reasons:
        messages.error(request, reason)


class ReviewerRequiredMixin(LoginRequiredMixin):
    """Queues exist for county and city bureaus; for anyone else the page does not exist."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.is_reviewing_bureau(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class BureauRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.is_bureau(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def _city_quota(user):
    """Used / quota of factories for the city bureau's latest batch (通知 三, Annex 1)."""
    if not rules.is_city_bureau(user):
        return None
    batch = Batch.objects.first()
    if batch is None:
        return None
    city = user.organisation.city_id
    quota = quota_for(batch, city, "factory") or 0
    used = quota_used(batch, city, "factory")
    return {
        "batch": batch,
        "quota": quota,
        "used": used,
        "left": max(quota - used, 0),
        "percent": min(100, round(100 * used / quota)) if quota else 100,
        "full": used >= quota,
    }


class QueueView(ReviewerRequiredMixin, TemplateView):
    """通知 二(二): the bureau's queue, and what it has passed, returned and rejected."""

    template_name = "reviews/queue.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = QueueFilterForm(self.request.GET or None, user=user)
        filters = form.filters()
        page = Paginator(selectors.review_queue(user, **filters), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        names = selectors.industry_names()
        rows = [
            {
                "a": a,
                "industry": names.get((a.industry_class or "")[:2], "")
                if a.kind == "factory"
                else a.unit.park.get_park_type_display(),
                "days": selectors.days_waiting(a.entered_state_at),
                "docs_complete": a.has_report and a.commitment_ok,
            }
            for a in page.object_list
        ]
        query = self.request.GET.copy()
        query.pop("page", None)
        tab_query = query.copy()
        tab_query.pop("tab", None)
        tab_query.pop("state", None)
        first = "city_recommend" if rules.is_city_bureau(user) else "county_pass"
        bulk = [n for n in BULK_TRANSITIONS if n in (first, "return_for_revision")]
        return super().get_context_data(
            form=form,
            filters=filters,
            page=page,
            rows=rows,
            query=query.urlencode(),
            tab_query=tab_query.urlencode(),
            tabs=[
                ("pending", _("待审核")),
                ("passed", _("已通过")),
                ("returned", _("已退回")),
                ("rejected", _("未通过")),
            ],
            bulk_actions=[(n, dict(BulkForm.base_fields["name"].choices)[n]) for n in bulk],
            quota=_city_quota(user),
            **kwargs,
        )


class QueueBulkView(ReviewerRequiredMixin, View):
    """Several applications passed or returned at once; each checked on its own, one result per row."""

    def post(self, request):
        form = BulkForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(request.POST.get("back") or reverse("review-queue"))
        try:
            results = review_bulk(
                pks=form.cleaned_data["ids"],
                name=form.cleaned_data["name"],
                by=request.user,
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            _fail(request, exc)
            return redirect(request.POST.get("back") or reverse("review-queue"))
        return render(
            request,
            "reviews/bulk_result.html",
            {
                "results": results,
                "action": dict(form.fields["name"].choices)[form.cleaned_data["name"]],
                "ok": sum(r.ok for r in results),
                "failed": sum(not r.ok for r in results),
            },
        )


class ReviewDetailView(BureauRequiredMixin, TemplateView):
    """One application as the reviewer sees it: profile, indicators with benchmarks, documents,
    the assessor and its cap usage, the timeline and the decisions this reviewer may take."""

    template_name = "reviews/detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        application = application_for(user, self.kwargs["pk"])
        assessor_usage = None
        if application.assessor_id:
            group = application.assessor.group
            assessor_usage = {
                "group": group,
                "used": assessor_group_usage(application.batch, group),
                "cap": application.batch.assessor_cap,
            }
        return super().get_context_data(
            application=application,
            profile=getattr(application.unit, "enterprise", None)
            if application.kind == "factory"
            else getattr(application.unit, "park", None),
            indicators=selectors.indicator_rows(application.indicators),
            documents=application.documents.select_related("uploaded_by"),
            history=application.history.select_related("actor"),
            options=sorted(
                application_transition_options(application, user),
                key=lambda o: (o.name in ("return_for_revision", "reject"), o.name == "reject"),
            ),
            industry=selectors.industry_names().get((application.industry_class or "")[:2], ""),
            assessor_usage=assessor_usage,
            quota=_city_quota(user) if application.kind == "factory" else None,
            back=self.request.GET.get("back", ""),
            **kwargs,
        )


class ReviewTransitionView(BureauRequiredMixin, View):
    def post(self, request, pk):
        application = application_for(request.user, pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请求不完整，请重试。"))
        else:
            try:
                review_transition(application, by=request.user, **form.cleaned_data)
            except DomainError as exc:
                _fail(request, exc)
            else:
                messages.success(
                    request, _("操作成功，申报状态：%(state)s。") % {"state": application.get_state_display()}
                )
        return redirect("review-detail", pk=application.pk)


# --- the city's submission -------------------------------------------------------------------


class SubmissionCurrentView(LoginRequiredMixin, View):
    """The city's draft submission for the latest batch, started on first visit."""

    def get(self, request):
        if not rules.is_city_bureau(request.user):
            raise Http404
        batch = Batch.objects.first()
        if batch is None:
            raise Http404
        submission = city_submission_open(batch=batch, by=request.user)
        return redirect("submission-detail", pk=submission.pk)


class SubmissionListView(BureauRequiredMixin, TemplateView):
    """The province sees every city's submissions with their documents; a city its own."""

    template_name = "reviews/submission_list.html"

    def get_context_data(self, **kwargs):
        if not (rules.is_city_bureau(self.request.user) or self.request.user.organisation.kind == "province"):
            raise Http404
        submissions = list(selectors.submissions_visible(self.request.user))
        missing = []
        batch = Batch.objects.first()
        if batch is not None and self.request.user.organisation.kind == "province":
            sent = {s.city_id for s in submissions if s.batch_id == batch.pk and s.state == "sent"}
            missing = [c for c in City.objects.order_by("position") if c.code not in sent]
        return super().get_context_data(submissions=submissions, batch=batch, missing=missing, **kwargs)


class SubmissionDetailView(BureauRequiredMixin, TemplateView):
    template_name = "reviews/submission_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        submission = selectors.submission_for(user, self.kwargs["pk"])
        units = selectors.submission_applications(submission)
        can_edit = rules.is_city_bureau_of_submission(submission, user) and submission.state == "draft"
        quota = quota_for(submission.batch, submission.city_id, "factory") or 0
        counts = selectors.submission_counts(submission)
        return super().get_context_data(
            submission=submission,
            parks=[a for a in units if a.kind == "park"],
            factories=[a for a in units if a.kind == "factory"],
            counts=counts,
            quota=quota,
            deadline=submission.batch.submission_deadline_for(submission.city_id),
            problems=selectors.submission_problems(submission),
            waiting=selectors.still_in_city_review(submission) if can_edit else 0,
            documents=submission.documents.select_related("uploaded_by"),
            history=submission.history.select_related("actor"),
            can_edit=can_edit,
            number_form=DocumentNumberForm(initial={"document_number": submission.document_number}),
            upload_form=SubmissionUploadForm(),
            **kwargs,
        )


class SubmissionEditView(BureauRequiredMixin, View):
    def post(self, request, pk):
        submission = selectors.submission_for(request.user, pk)
        form = DocumentNumberForm(request.POST)
        if form.is_valid():
            try:
                city_submission_update(
                    submission=submission,
                    document_number=form.cleaned_data["document_number"],
                    by=request.user,
                )
            except DomainError as exc:
                _fail(request, exc)
            else:
                messages.success(request, _("文号已保存。"))
        else:
            messages.error(request, _("文号不能超过60个字符。"))
        return redirect("submission-detail", pk=submission.pk)


class SubmissionUploadView(BureauRequiredMixin, View):
    def post(self, request, pk):
        submission = selectors.submission_for(request.user, pk)
        form = SubmissionUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("submission-detail", pk=submission.pk)
        try:
            document = submission_document_upload(
                submission=submission,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                by=request.user,
            )
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(
                request,
                _("已上传：%(kind)s（第%(v)d版）。")
                % {"kind": document.get_kind_display(), "v": document.version},
            )
        return redirect("submission-detail", pk=submission.pk)


class SubmissionSendView(BureauRequiredMixin, View):
    def post(self, request, pk):
        submission = selectors.submission_for(request.user, pk)
        try:
            city_submission_send(submission=submission, by=request.user)
        except DomainError as exc:
            _fail(request, exc)
        else:
            counts = selectors.submission_counts(submission)
            messages.success(
                request,
                _("已报送省经信厅：园区%(parks)d个、工厂%(factories)d个。")
                % {"parks": counts["parks"], "factories": counts["factories"]},
            )
        return redirect("submission-detail", pk=submission.pk)


class SubmissionLetterView(BureauRequiredMixin, View):
    """The recommendation letter (推荐函), generated from the submission, opened in the browser."""

    def get(self, request, pk):
        from exports.letter import recommendation_letter_pdf

        submission = selectors.submission_for(request.user, pk)
        response = HttpResponse(recommendation_letter_pdf(submission), content_type="application/pdf")
        name = f"{submission.city.name}推荐函.pdf"
        response["Content-Disposition"] = _disposition("inline", name)
        return response


class SubmissionAnnex2View(BureauRequiredMixin, View):
    def get(self, request, pk):
        from exports.annex2 import annex2_xlsx

        submission = selectors.submission_for(request.user, pk)
        response = HttpResponse(
            annex2_xlsx(submission),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = _disposition(
            "attachment", f"{submission.city.name}省级绿色制造推荐名单汇总表.xlsx"
        )
        return response


class SubmissionDocumentView(BureauRequiredMixin, View):
    """Sealed scans, served only through the submission's visibility gate, opened in the browser."""

    def get(self, request, pk, document_pk):
        submission = selectors.submission_for(request.user, pk)
        try:
            document = submission.documents.get(pk=document_pk)
        except (SubmissionDocument.DoesNotExist, ValueError):
            raise Http404 from None
        response = FileResponse(
            document.file.open("rb"), content_type="application/pdf", filename=document.original_name
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


def _disposition(kind, filename):
    from urllib.parse import quote

    return f"{kind}; filename=\"{quote(filename)}\"; filename*=UTF-8''{quote(filename)}"
