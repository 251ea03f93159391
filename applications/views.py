"""Pages for one application: thin — fetch through the gate, call one service, render."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from .exceptions import DomainError
from .models import Document
from .selectors import application_for, transition_options
from .services import application_transition


class ApplicationDetailView(LoginRequiredMixin, TemplateView):
    template_name = "applications/detail.html"

    def get_context_data(self, **kwargs):
        application = application_for(self.request.user, self.kwargs["pk"])
        return super().get_context_data(
            application=application,
            documents=application.documents.select_related("uploaded_by"),
            history=application.history.select_related("actor"),
            options=transition_options(application, self.request.user),
            **kwargs,
        )


class ApplicationTransitionView(LoginRequiredMixin, View):
    def post(self, request, pk):
        application = application_for(request.user, pk)
        name = request.POST.get("name", "")
        try:
            application_transition(
                application, name=name, by=request.user, comment=request.POST.get("comment", "")
            )
        except DomainError as exc:
            for reason in exc.reasons:
                messages.error(request, reason)
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
        response = FileResponse(
            document.file.open("rb"), content_type="application/pdf", filename=document.original_name
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
