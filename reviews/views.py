"""Reviewers' pages: thin — parse input, call one service (or selector), render.

Every object is fetched through the visibility gate (`application_for`, `submission_for`), so an
id from another region answers 404; pages for bureaus answer 404 to everyone else too."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from accounts import roles
from accounts.roles import BureauRequiredMixin, ReviewerRequiredMixin
from applications import indicators
from applications.confirmations import RETURN_OUTCOME, decision_confirmation
from applications.selectors import application_for, assessor_group_usage, quota_for, quota_used
from applications.selectors import transition_options as application_transition_options
from applications.states import ApplicationKind
from core.confirm import Confirmation, confirmation_page
from core.exceptions import DomainError
from core.messages import show_reasons
from core.pagination import DeferredJoinPaginator
from core.redirects import safe_next
from lists.selectors import latest_city_entry
from quotas.selectors import current_batch

from . import selectors
from .forms import BulkForm, DecisionForm, QueueFilterForm, comment_label
from .services import (
    BULK_RETURNS,
    BULK_TRANSITIONS,
    review_bulk,
    review_bulk_check,
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


def _queue_page_rows(applications, names) -> list[dict]:
    """The queue's rows as the page shows them, every label, link and date made here once per
    row: the template only places strings (a `{% url %}`, a `blocktranslate` and a date filter
    per row cost more than the page's queries — bench/README.md)."""
    # One reverse() for the page: the detail URL with a placeholder for the id.
    detail = reverse("review-detail", args=[918273645]).replace("918273645", "{}")
    today = timezone.localdate()
    out = []
    for a in applications:
        row = selectors.queue_row(a, names, today=today)
        enterprise = getattr(a.unit, "enterprise", None)
        days = row["days"]
        decided = getattr(a, "decided_at", None)
        row.update(
            pk=a.pk,
            url=detail.format(a.pk),
            unit=a.unit.name,
            choose=_("选择%(name)s") % {"name": a.unit.name},
            kind=a.get_kind_display(),
            credit_code=enterprise.credit_code if enterprise is not None else "",
            county=str(a.county) if a.county_id else "",
            assessor=a.assessor.organisation.name if a.assessor_id else "",
            submitted=_local_date(a.submitted_at),
            days_label="" if days is None else ngettext("%(days)s天", "%(days)s天", days) % {"days": days},
            late=days is not None and days >= 7,
            decided=_local_date(decided),
            state=a.state,
            state_label=a.get_state_display(),
        )
        out.append(row)
    return out


def _local_date(moment) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT") if moment else ""


class QueueView(ReviewerRequiredMixin, TemplateView):
    """通知 二(二): the bureau's queue, and what it has passed, returned and rejected."""

    template_name = "reviews/queue.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = QueueFilterForm(self.request.GET or None, user=user)
        filters = form.filters()
        page = DeferredJoinPaginator(
            selectors.review_queue(user, **filters),
            PAGE_SIZE,
            rows=lambda ids: selectors.review_queue_rows(user, tab=filters["tab"], ids=ids),
        ).get_page(self.request.GET.get("page"))
        rows = _queue_page_rows(page.object_list, form.industry_names)
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
        bulk = [n for n in BULK_TRANSITIONS if n in (first, *BULK_RETURNS)]
        labels = dict(BulkForm.base_fields["name"].choices)
        return super().get_context_data(
            form=form,
            filters=filters,
            page=page,
            rows=rows,
            query=query.urlencode(),
            sort_links=sort_links,
            tab_query=tab_query.urlencode(),
            tabs=list(selectors.QUEUE_TABS.items()),
            bulk_actions=[
                {
                    "name": n,
                    "label": labels[n],
                    "confirmation": bulk_return_confirmation(label=labels[n], units=None)
                    if n in BULK_RETURNS
                    else None,
                }
                for n in bulk
            ],
            quota=_city_quota(user),
            **kwargs,
        )


def bulk_return_confirmation(
    *, label: str, units: list[str] | None, comment: str = "", cancel_url: str = ""
) -> Confirmation:
    """What a bulk return does: the dialog's text in the queue (the units named by the script from
    the ticked rows) and the no-script confirmation page (the units named here)."""
    if units is None:  # the queue page: the script lists the ticked rows under this line
        summary = [_("将把下列所选申报%(action)s：") % {"action": label}]
    else:
        summary = [_("将把下列%(n)d件申报%(action)s：") % {"n": len(units), "action": label}]
    summary.append(RETURN_OUTCOME)
    if comment:
        summary.append(_("原因：%(comment)s") % {"comment": comment})
    return Confirmation(
        title=_("确认批量%(action)s") % {"action": label},
        summary=summary,
        items=units or [],
        action_label=_("确认批量%(action)s") % {"action": label},
        cancel_url=cancel_url,
        danger=True,
    )


class QueueBulkView(ReviewerRequiredMixin, View):
    """Several applications passed or returned at once; each checked on its own, one result per row.
    A return is confirmed first (core.confirm), naming the units; what would be refused whatever
    the rows are (no reason, nothing ticked) is refused before that."""

    def post(self, request):
        back = safe_next(request, request.POST.get("back"), reverse("review-queue"))
        form = BulkForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(back)
        name, pks, comment = (form.cleaned_data[k] for k in ("name", "ids", "comment"))
        label = dict(form.fields["name"].choices)[name]
        try:
            review_bulk_check(pks=pks, name=name, comment=comment)
        except DomainError as exc:
            show_reasons(request, exc)
            return redirect(back)
        if name in BULK_RETURNS:
            confirmation = bulk_return_confirmation(
                label=label,
                units=selectors.selected_unit_names(request.user, pks),
                comment=comment.strip(),
                cancel_url=back,
            )
            if (page := confirmation_page(request, confirmation)) is not None:
                return page
        try:
            results = review_bulk(pks=pks, name=name, by=request.user, comment=comment)
        except DomainError as exc:
            show_reasons(request, exc)
            return redirect(back)
        return render(
            request,
            "reviews/bulk_result.html",
            {
                "results": results,
                "action": label,
                "ok": sum(r.ok for r in results),
                "failed": sum(not r.ok for r in results),
            },
        )


def _decision_options(application, user):
    """The reviewer's decisions: the ones that move the application on first, then the ones
    that send it back or end it (shown apart, in the danger style, and confirmed)."""
    return sorted(
        application_transition_options(application, user),
        key=lambda o: (o.reason_required, o.name == "reject"),
    )


def _confirmation(application, option, comment: str = "") -> Confirmation:
    return decision_confirmation(
        application, option, comment, cancel_url=reverse("review-detail", args=[application.pk])
    )


class ReviewDetailView(BureauRequiredMixin, TemplateView):
    """One application as the reviewer sees it: profile, indicators with benchmarks, documents,
    the assessor and its cap usage, the timeline and the decisions this reviewer may take."""

    template_name = "reviews/detail.html"

    def get_context_data(self, form=None, **kwargs):
        user = self.request.user
        application = kwargs.pop("application", None) or application_for(user, self.kwargs["pk"])
        options = _decision_options(application, user)
        form = form or DecisionForm(options=options)
        decisions = [
            {
                "option": o,
                "comment_label": comment_label(o),
                "confirmation": _confirmation(application, o) if o.reason_required else None,
            }
            for o in options
        ]
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
            documents=application.documents.select_related("uploaded_by__organisation"),
            history=application.history.select_related("actor"),
            form=form,
            comment_label=form.comment_label(),
            decisions=[d for d in decisions if not d["option"].reason_required],
            decisions_back=[d for d in decisions if d["option"].reason_required],
            industry=selectors.industry_names().get((application.industry_class or "")[:2], ""),
            assessor_usage=assessor_usage,
            quota=_city_quota(user) if application.kind == "factory" else None,
            back=safe_next(self.request, self.request.GET.get("back"), ""),
            **kwargs,
        )


class ReviewTransitionView(BureauRequiredMixin, View):
    """The decision panel's post: a missing reason is shown beside the comment field (and nothing
    changes); a destructive decision is confirmed first (core.confirm)."""

    def post(self, request, pk):
        application = application_for(request.user, pk)
        form = DecisionForm(request.POST, options=_decision_options(application, request.user))
        if not form.is_valid():
            page = ReviewDetailView(request=request, kwargs={"pk": pk})
            context = page.get_context_data(form=form, application=application)
            return render(request, ReviewDetailView.template_name, context, status=400)
        name = form.cleaned_data["name"]
        option = form.options.get(name)
        comment = form.cleaned_data["comment"].strip()
        if option is not None and option.allowed and option.reason_required:
            confirmation = _confirmation(application, option, comment)
            if (page := confirmation_page(request, confirmation)) is not None:
                return page
        try:
            review_transition(
                application,
                by=request.user,
                name=name,
                comment=comment,
                seen_state=form.cleaned_data["seen_state"],
            )
        except DomainError as exc:
            show_reasons(request, exc)
        else:
            messages.success(
                request, _("操作成功，申报状态：%(state)s。") % {"state": application.get_state_display()}
            )
        return redirect("review-detail", pk=application.pk)
