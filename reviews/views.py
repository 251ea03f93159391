"""Reviewers' pages: thin — parse input, call one service (or selector), render.

Every object is fetched through the visibility gate (`application_for`, `submission_for`), so an
id from another region answers 404; pages for bureaus answer 404 to everyone else too."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts import roles
from accounts.roles import BureauRequiredMixin, ReviewerRequiredMixin
from applications import indicators
from applications.selectors import application_for, assessor_group_usage, quota_for, quota_used
from applications.selectors import transition_options as application_transition_options
from applications.states import ApplicationKind
from core.exceptions import DomainError
from core.messages import show_reasons
from lists.selectors import latest_city_entry
from quotas.selectors import current_batch

from . import selectors
from .forms import BulkForm, QueueFilterForm, TransitionForm
from .services import (
    BULK_TRANSITIONS,
    review_bulk,
    review_transition,
)

PAGE_SIZE = 50


def _city_quota(user):
    """Used / quota of factories for the city bureau's latest batch (通知 三, Annex 1)."""
    if not roles.is_city_bureau(user):
        return None
    batch = current_batch()
    if batch is None:
        return None
    city = user.organisation.city_id
    quota = quota_for(batch, city, ApplicationKind.FACTORY) or 0
    used = quota_used(batch, city, ApplicationKind.FACTORY)
    deadline = batch.submission_deadline_for(city)
    return {
        "batch": batch,
        "deadline": deadline,
        "days_left": (deadline - timezone.localdate()).days,
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
        sort_links = {}
        for key in ("unit", "county", "industry", "assessor", "submitted", "days"):
            q = query.copy()
            q["sort"] = f"-{key}" if filters["sort"] == key else key
            arrow = "↑" if filters["sort"] == key else "↓" if filters["sort"] == f"-{key}" else ""
            sort_links[key] = {"query": q.urlencode(), "arrow": arrow}
        tab_query = query.copy()
        tab_query.pop("tab", None)
        tab_query.pop("state", None)
        first = "city_recommend" if roles.is_city_bureau(user) else "county_pass"
        bulk = [n for n in BULK_TRANSITIONS if n in (first, "return_for_revision")]
        return super().get_context_data(
            form=form,
            filters=filters,
            page=page,
            rows=rows,
            query=query.urlencode(),
            sort_links=sort_links,
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
            show_reasons(request, exc)
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
            city_entry=latest_city_entry(application.unit, application.city_id),
            indicator_rows=indicators.rows(application),
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
                show_reasons(request, exc)
            else:
                messages.success(
                    request, _("操作成功，申报状态：%(state)s。") % {"state": application.get_state_display()}
                )
        return redirect("review-detail", pk=application.pk)
