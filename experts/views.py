"""Pages for expert review: the expert's tasks and opinion form; the province's review board and
decision page. Thin: fetch through the gate, call one service, render or redirect."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.roles import ExpertRequiredMixin, ProvinceRequiredMixin
from applications import indicators
from applications.confirmations import decision_confirmation, publicity_round_confirmation
from applications.models import Application
from applications.selectors import application_for, transition_options
from applications.services import application_transition
from core.confirm import confirmation_page
from core.exceptions import DomainError
from core.messages import show_reasons
from quotas.selectors import current_batch

from . import selectors, services
from .models import ExpertAssignment

# The decisions the province takes on the decision page besides publicity (which opens a round
# for several units at once, publicity.views.PublicityRoundOpenView).
DECISIONS = ("return_to_city", "reject")


class ExpertTaskListView(ExpertRequiredMixin, TemplateView):
    template_name = "experts/tasks.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(tasks=selectors.expert_tasks(self.request.user), **kwargs)


class ExpertOpinionView(ExpertRequiredMixin, TemplateView):
    """通知 二(四): the assigned expert reads the materials and records an opinion."""

    template_name = "experts/opinion.html"

    def get_context_data(self, **kwargs):
        application = application_for(self.request.user, self.kwargs["pk"])
        assignment = (
            application.expert_assignments.filter(expert=self.request.user, ended_at__isnull=True)
            .select_related("opinion")
            .first()
        )
        opinion = getattr(assignment, "opinion", None)
        form = kwargs.pop("form", None) or {
            "passed": {True: "yes", False: "no"}.get(opinion.passed) if opinion else "",
            "score": opinion.score if opinion and opinion.score is not None else "",
            "comments": opinion.comments if opinion else "",
        }
        return super().get_context_data(
            application=application,
            documents=application.documents.all(),
            indicator_rows=indicators.rows(application),
            opinion=opinion,
            form=form,
            **kwargs,
        )

    def post(self, request, pk):
        application = application_for(request.user, pk)
        passed = {"yes": True, "no": False}.get(request.POST.get("passed", ""))
        form = {k: request.POST.get(k, "") for k in ("passed", "score", "comments")}
        try:
            services.expert_opinion_record(
                application=application,
                by=request.user,
                passed=passed,
                score=form["score"],
                comments=form["comments"],
            )
        except DomainError as exc:
            return self.render_to_response(self.get_context_data(form=form, errors=exc.reasons), status=400)
        messages.success(request, _("评审意见已保存。"))
        return redirect("expert-tasks")


class ProvinceReviewBoardView(ProvinceRequiredMixin, TemplateView):
    """The province's board: every application in provincial review with the experts' opinions
    side by side; the passing ones are ticked and sent to publicity together."""

    template_name = "experts/board.html"

    def get_context_data(self, **kwargs):
        batch = current_batch(self.request.GET.get("batch"))
        applications = selectors.review_board(self.request.user, batch) if batch else []
        starts_on = timezone.localdate()
        ends_on = batch.publicity_last_day(starts_on) if batch else starts_on
        # The dialog's summary (the ticked rows and the dates are read from the form when it opens).
        confirmation = publicity_round_confirmation(
            starts_on=starts_on,
            ends_on=ends_on,
            cancel_url=f"{reverse('expert-board')}?batch={batch.year}" if batch else "",
        )
        return super().get_context_data(
            batch=batch,
            applications=applications,
            starts_on=starts_on,
            ends_on=ends_on,
            confirmation=confirmation,
            **kwargs,
        )


class ProvinceDecisionView(ProvinceRequiredMixin, TemplateView):
    """One application: assign experts, read their opinions side by side, decide."""

    template_name = "experts/decision.html"

    def get_context_data(self, **kwargs):
        application = selectors.application_under_review(self.request.user, self.kwargs["pk"])
        return super().get_context_data(
            application=application,
            assignments=selectors.opinion_history(application),
            experts=selectors.expert_users(),
            decisions=DECISIONS,
            confirmations={
                name: _confirmation(application, option)
                for name, option in _decision_options(application, self.request.user).items()
            },
            **kwargs,
        )


class ExpertAssignView(ProvinceRequiredMixin, View):
    def post(self, request, pk):
        application = application_for(request.user, pk)
        raw = request.POST.get("expert", "")
        expert = selectors.expert_users().filter(pk=raw).first() if raw.isdigit() else None
        try:
            services.expert_assign(application=application, expert=expert, by=request.user)
        except DomainError as exc:
            show_reasons(request, exc)
        else:
            messages.success(request, _("已指派专家。"))
        return redirect("expert-decision", pk=application.pk)


class ExpertUnassignView(ProvinceRequiredMixin, View):
    def post(self, request, pk):
        try:
            assignment = ExpertAssignment.objects.get(
                pk=pk, application__in=Application.objects.visible_to(request.user)
            )
        except (ExpertAssignment.DoesNotExist, ValueError):
            raise Http404 from None
        try:
            services.expert_unassign(assignment=assignment, by=request.user)
        except DomainError as exc:
            show_reasons(request, exc)
        else:
            messages.success(request, _("已撤销指派。"))
        return redirect("expert-decision", pk=assignment.application_id)


def _decision_options(application, user) -> dict:
    """The province's decisions on this page (退回设区市, 不予通过) as the workflow offers them."""
    return {o.name: o for o in transition_options(application, user) if o.name in DECISIONS}


def _confirmation(application, option, comment=""):
    return decision_confirmation(
        application, option, comment, cancel_url=reverse("expert-decision", args=[application.pk])
    )


class ProvinceDecideView(ProvinceRequiredMixin, View):
    """Return to the city or reject, with a reason, through application_transition. Both are
    confirmed first (core.confirm) when they could happen now; a missing reason or a refusal is
    answered at once."""

    def post(self, request, pk):
        application = application_for(request.user, pk)
        name = request.POST.get("name", "")
        if name not in DECISIONS:
            messages.error(request, _("请选择处理决定。"))
            return redirect("expert-decision", pk=application.pk)
        comment = request.POST.get("comment", "").strip()
        option = _decision_options(application, request.user).get(name)
        if option is not None and option.reason_required and not comment:
            # The reason is missing: the page again, the message beside the field, nothing changed.
            page = ProvinceDecisionView()
            page.setup(request, pk=application.pk)
            message = _("请填写%(decision)s的原因，申报单位将看到这段文字。") % {"decision": option.label}
            return render(
                request, page.template_name, page.get_context_data(comment_error=message), status=400
            )
        if option is not None and option.allowed and comment:
            if (page := confirmation_page(request, _confirmation(application, option, comment))) is not None:
                return page
        try:
            application_transition(application, name=name, by=request.user, comment=comment)
        except DomainError as exc:
            show_reasons(request, exc)
            return redirect("expert-decision", pk=application.pk)
        messages.success(
            request,
            _("%(unit)s：%(state)s。")
            % {"unit": application.unit.name, "state": application.get_state_display()},
        )
        return redirect("expert-board")
