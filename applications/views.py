"""Pages for one application: thin — fetch through the gate, call one service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts import roles
from core.downloads import PDF, download
from core.exceptions import DomainError, InvalidInput
from core.messages import show_reasons
from lists.selectors import latest_city_entry
from quotas.selectors import open_batch

from . import indicators, rules
from .documents import document_upload
from .forms import AssessorForm, DocumentUploadForm, IndicatorsForm
from .models import Document, DocumentKind
from .selectors import (
    application_for,
    assessor_choices,
    latest_documents,
    returned_reason,
    transition_options,
)
from .services import (
    application_assessor_set,
    application_create,
    application_transition,
    application_update,
    editable_application,
)
from .states import ApplicationKind
from .uploads import refused, size_message


def _context(request, application, **extra):
    """What every page of one application shows at the top."""
    return {
        "application": application,
        "can_edit": rules.can_edit(application, request.user),
        "can_upload": rules.can_upload(application, request.user),
        "returned_reason": returned_reason(application),
        "upload_limit": settings.UPLOAD_MAX_BYTES,
        **extra,
    }


def _refuse_edit(request, application):
    """None when the user may edit; otherwise a redirect to the read-only page with the reason."""
    try:
        editable_application(application, request.user)
    except DomainError as exc:
        show_reasons(request, exc)
        return redirect("application-detail", pk=application.pk)
    return None


class ApplicationDetailView(LoginRequiredMixin, TemplateView):
    template_name = "applications/detail.html"

    def get(self, request, *args, **kwargs):
        # Bureaus work on the reviewer's page of the same application (after the same gate).
        if roles.is_bureau(request.user):
            application = application_for(request.user, kwargs["pk"])
            return redirect("review-detail", pk=application.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        application = application_for(self.request.user, self.kwargs["pk"])
        return super().get_context_data(
            **_context(
                self.request,
                application,
                documents=application.documents.select_related("uploaded_by"),
                history=application.history.select_related("actor"),
                options=transition_options(application, self.request.user),
                indicator_rows=indicators.rows(application),
            ),
            **kwargs,
        )


class ApplicationStartView(LoginRequiredMixin, View):
    """通知 二(一): the unit starts its application for the open batch (one per unit per batch)."""

    def post(self, request):
        batch = open_batch()
        if batch is None:
            messages.error(request, _("目前没有正在受理的批次。"))
            return redirect("home")
        if not request.user.organisation_id:
            raise Http404
        try:
            application = application_create(unit=request.user.organisation, batch=batch, by=request.user)
        except DomainError as exc:
            show_reasons(request, exc)
            return redirect("home")
        messages.success(request, _("已创建申报，请填写主要指标并上传材料。"))
        return redirect("application-edit", pk=application.pk)


class ApplicationEditView(LoginRequiredMixin, View):
    """The key indicators of the self-evaluation; saved as a draft as often as the unit likes."""

    template_name = "applications/edit.html"

    def get(self, request, pk):
        application = application_for(request.user, pk)
        if refusal := _refuse_edit(request, application):
            return refusal
        form = IndicatorsForm(application=application)
        return render(request, self.template_name, _context(request, application, form=form))

    def post(self, request, pk):
        application = application_for(request.user, pk)
        if refusal := _refuse_edit(request, application):
            return refusal
        form = IndicatorsForm(request.POST, application=application)
        if not form.is_valid():
            messages.error(request, _("草稿未保存，请按提示修改标红的项目。"))
            return render(request, self.template_name, _context(request, application, form=form))
        try:
            application_update(
                application,
                by=request.user,
                indicators=form.indicators(),
                industry_class=form.cleaned_data.get("industry_class"),
            )
        except DomainError as exc:
            show_reasons(request, exc)
            return redirect("application-detail", pk=application.pk)
        messages.success(request, _("草稿已保存。"))
        if "next" in request.POST:
            return redirect("application-assessor", pk=application.pk)
        return redirect("application-edit", pk=application.pk)


class ApplicationAssessorView(LoginRequiredMixin, View):
    """Name a third-party assessor (通知 二(一)), showing each group's use of the batch's cap."""

    template_name = "applications/assessor.html"

    def _render(self, request, application, form):
        return render(
            request,
            self.template_name,
            _context(request, application, form=form, choices=assessor_choices(application.batch)),
        )

    def get(self, request, pk):
        application = application_for(request.user, pk)
        if refusal := _refuse_edit(request, application):
            return refusal
        form = AssessorForm(
            batch=application.batch,
            initial={
                "assessor": application.assessor_id,
                "assessor_may_upload": application.assessor_may_upload,
            },
        )
        return self._render(request, application, form)

    def post(self, request, pk):
        application = application_for(request.user, pk)
        if refusal := _refuse_edit(request, application):
            return refusal
        form = AssessorForm(request.POST, batch=application.batch)
        if form.is_valid():
            try:
                application_assessor_set(
                    application,
                    by=request.user,
                    assessor=form.cleaned_data["assessor"],
                    may_upload=form.cleaned_data["assessor_may_upload"],
                )
            except DomainError as exc:
                form.add_error("assessor", exc.reasons)
            else:
                messages.success(request, _("第三方评价机构已保存。"))
                if application.assessor_id and not application.has_document(DocumentKind.COMMITMENT_LETTER):
                    messages.warning(request, _("请上传评价机构签署的承诺书（PDF）。"))
                    upload = reverse("application-upload", args=[application.pk])
                    return redirect(f"{upload}?kind={DocumentKind.COMMITMENT_LETTER}")
                return redirect("application-assessor", pk=application.pk)
        return self._render(request, application, form)


class DocumentUploadView(LoginRequiredMixin, View):
    """Upload a PDF (a new version; earlier ones stay). The bytes were streamed to a temporary
    file by uploads.CappedHashingUploadHandler, which also refused anything over the cap."""

    template_name = "applications/upload.html"

    def _render(self, request, application, form, status=200):
        return render(
            request,
            self.template_name,
            _context(
                request,
                application,
                form=form,
                documents=application.documents.select_related("uploaded_by"),
                too_large_message=size_message(settings.UPLOAD_MAX_BYTES),
            ),
            status=status,
        )

    def _guard(self, request, pk):
        application = application_for(request.user, pk)
        if not rules.can_upload(application, request.user):
            if application.is_editable:
                messages.error(request, _("您没有权限为该申报上传材料。"))
            else:
                messages.error(request, _("申报已提交，不能再上传材料。"))
            return application, redirect("application-detail", pk=application.pk)
        return application, None

    def get(self, request, pk):
        application, refusal = self._guard(request, pk)
        if refusal:
            return refusal
        kind = request.GET.get("kind")
        initial = {"kind": kind if kind in DocumentKind.values else DocumentKind.SELF_EVALUATION_REPORT}
        return self._render(request, application, DocumentUploadForm(initial=initial))

    def post(self, request, pk):
        application, refusal = self._guard(request, pk)
        if refusal:
            return refusal
        form = DocumentUploadForm(request.POST, request.FILES, refused=refused(request))
        if form.is_valid():
            try:
                document = document_upload(
                    application=application,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    by=request.user,
                )
            except InvalidInput as exc:
                form.add_error("file", exc.reasons)
            except DomainError as exc:
                form.add_error(None, exc.reasons)
            else:
                messages.success(
                    request,
                    _("已上传%(kind)s第%(version)d版（%(pages)d页）。")
                    % {
                        "kind": document.get_kind_display(),
                        "version": document.version,
                        "pages": document.page_count,
                    },
                )
                return redirect("application-upload", pk=application.pk)
        return self._render(request, application, form, status=400)


class ApplicationSubmitView(LoginRequiredMixin, View):
    """The summary before submission: what will be sent and what is missing (通知 二(三))."""

    template_name = "applications/submit.html"

    def get(self, request, pk):
        application = application_for(request.user, pk)
        if refusal := _refuse_edit(request, application):
            return refusal
        option = next((o for o in transition_options(application, request.user) if o.name == "submit"), None)
        return render(
            request,
            self.template_name,
            _context(
                request,
                application,
                option=option,
                latest=latest_documents(application).values(),
                city_entry=latest_city_entry(application.unit, application.city_id),
                indicator_rows=indicators.rows(application),
                profile=getattr(application.unit, "enterprise", None)
                if application.kind == ApplicationKind.FACTORY
                else getattr(application.unit, "park", None),
            ),
        )

    def post(self, request, pk):
        application = application_for(request.user, pk)
        try:
            application_transition(application, name="submit", by=request.user)
        except DomainError as exc:
            show_reasons(request, exc)
            return redirect("application-submit", pk=application.pk)
        messages.success(
            request,
            _("申报已提交，当前状态：%(state)s。") % {"state": application.get_state_display()},
        )
        return redirect("application-detail", pk=application.pk)


class ApplicationTransitionView(LoginRequiredMixin, View):
    def post(self, request, pk):
        application = application_for(request.user, pk)
        name = request.POST.get("name", "")
        try:
            application_transition(
                application, name=name, by=request.user, comment=request.POST.get("comment", "")
            )
        except DomainError as exc:
            show_reasons(request, exc)
        else:
            messages.success(
                request, _("操作成功，申报状态：%(state)s。") % {"state": application.get_state_display()}
            )
        return redirect("application-detail", pk=application.pk)


class DocumentDownloadView(LoginRequiredMixin, View):
    """Documents are served only through the visibility gate, never from a public URL."""

    def get(self, request, pk, document_pk):
        application = application_for(request.user, pk)
        try:
            document = application.documents.get(pk=document_pk)
        except (Document.DoesNotExist, ValueError):
            raise Http404 from None
        return download(
            document.file.open("rb"), filename=document.original_name, content_type=PDF, inline=True
        )
