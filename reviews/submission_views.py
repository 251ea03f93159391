"""The city's submission to the province (通知 三): its page, the generated letter and Annex 2,
the sealed scans, sending; and the province's list of every city's submissions. Thin views: fetch
through `submission_for` (404 outside the city / province), call one service, render."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts import roles
from accounts.roles import BureauRequiredMixin
from applications.selectors import quota_for
from applications.states import ApplicationKind
from core.downloads import PDF, download
from core.exceptions import DomainError
from core.messages import show_reasons
from quotas.selectors import current_batch
from reference.models import City

from . import rules, selectors
from .forms import DocumentNumberForm, SubmissionUploadForm
from .models import SubmissionDocument, SubmissionState
from .services import (
    city_submission_open,
    city_submission_send,
    city_submission_update,
    submission_document_upload,
)


class SubmissionCurrentView(LoginRequiredMixin, View):
    """The city's draft submission for the latest batch. Looking never writes: without a draft the
    page offers to start one, and starting is a POST."""

    def _batch(self, request):
        if not roles.is_city_bureau(request.user):
            raise Http404
        batch = current_batch()
        if batch is None:
            raise Http404
        return batch

    def get(self, request):
        batch = self._batch(request)
        draft = selectors.draft_submission(batch, request.user.organisation)
        if draft is not None:
            return redirect("submission-detail", pk=draft.pk)
        return render(
            request,
            "reviews/submission_start.html",
            {"batch": batch, "sent": selectors.submissions_visible(request.user).filter(batch=batch)},
        )

    def post(self, request):
        submission = city_submission_open(batch=self._batch(request), by=request.user)
        return redirect("submission-detail", pk=submission.pk)


class SubmissionListView(BureauRequiredMixin, TemplateView):
    """The province sees every city's submissions with their documents; a city its own."""

    template_name = "reviews/submission_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not (roles.is_city_bureau(user) or roles.is_province(user)):
            raise Http404
        submissions = list(selectors.submissions_visible(self.request.user))
        missing = []
        batch = current_batch()
        if batch is not None and roles.is_province(user):
            sent = {
                s.city_id for s in submissions if s.batch_id == batch.pk and s.state == SubmissionState.SENT
            }
            missing = [c for c in City.objects.order_by("position") if c.code not in sent]
        return super().get_context_data(submissions=submissions, batch=batch, missing=missing, **kwargs)


class SubmissionDetailView(BureauRequiredMixin, TemplateView):
    template_name = "reviews/submission_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        submission = selectors.submission_for(user, self.kwargs["pk"])
        units = selectors.submission_applications(submission)
        can_edit = (
            rules.is_city_bureau_of_submission(submission, user) and submission.state == SubmissionState.DRAFT
        )
        quota = quota_for(submission.batch, submission.city_id, ApplicationKind.FACTORY) or 0
        counts = selectors.submission_counts(submission)
        return super().get_context_data(
            submission=submission,
            parks=[a for a in units if a.kind == ApplicationKind.PARK],
            factories=[a for a in units if a.kind == ApplicationKind.FACTORY],
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
                show_reasons(request, exc)
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
            show_reasons(request, exc)
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
            show_reasons(request, exc)
        else:
            counts = selectors.submission_counts(submission)
            messages.success(
                request,
                _("已报送省经信厅：园区%(parks)d个、工厂%(factories)d个。")
                % {"parks": counts["parks"], "factories": counts["factories"]},
            )
        return redirect("submission-detail", pk=submission.pk)


class SubmissionDocumentView(BureauRequiredMixin, View):
    """Sealed scans, served only through the submission's visibility gate, opened in the browser."""

    def get(self, request, pk, document_pk):
        submission = selectors.submission_for(request.user, pk)
        try:
            document = submission.documents.get(pk=document_pk)
        except (SubmissionDocument.DoesNotExist, ValueError):
            raise Http404 from None
        return download(
            document.file.open("rb"), filename=document.original_name, content_type=PDF, inline=True
        )
