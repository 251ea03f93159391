"""Reviewers' pages: thin — parse input, call one service (or selector), render.

Every object is fetched through the visibility gate (`application_for`, `submission_for`), so an
id from another region answers 404; pages for bureaus answer 404 to everyone else too."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from applications import indicators
from applications.exceptions import DomainError
from applications.selectors import application_for, assessor_group_usage, quota_for, quota_used
from applications.selectors import transition_options as application_transition_options
from exports.tables import table_xlsx
from greenmfg.confirm import Confirmation, confirmation_page
from greenmfg.downloads import XLSX, download
from quotas.models import Batch

from . import rules, selectors
from .forms import BulkForm, DecisionForm, QueueFilterForm, comment_label
from .services import (
    BULK_TRANSITIONS,
    review_bulk,
    review_transition,
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


def _queue_row(a, names) -> dict:
    return {
        "a": a,
        "industry": names.get((a.industry_class or "")[:2], "")
        if a.kind == "factory"
        else a.unit.park.get_park_type_display(),
        "days": selectors.days_waiting(a.entered_state_at),
        "docs_complete": a.has_report and a.commitment_ok,
    }


QUEUE_TABS = {
    "pending": gettext_lazy("待审核"),
    "passed": gettext_lazy("已通过"),
    "returned": gettext_lazy("已退回"),
    "rejected": gettext_lazy("未通过"),
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
        rows = [_queue_row(a, names) for a in page.object_list]
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
        first = "city_recommend" if rules.is_city_bureau(user) else "county_pass"
        bulk = [n for n in BULK_TRANSITIONS if n in (first, "return_for_revision")]
        return super().get_context_data(
            form=form,
            filters=filters,
            page=page,
            rows=rows,
            query=query.urlencode(),
            sort_links=sort_links,
            tab_query=tab_query.urlencode(),
            tabs=list(QUEUE_TABS.items()),
            bulk_actions=[(n, dict(BulkForm.base_fields["name"].choices)[n]) for n in bulk],
            quota=_city_quota(user),
            **kwargs,
        )


def _filters_described(form, filters) -> list[str]:
    """The filters in force, as "label：value" the way the page's selects show them."""
    described = []
    for key in ("q", "state", "county", "kind", "industry", "assessor"):
        value = filters.get(key)
        if value:
            field = form.fields[key]
            described.append(f"{field.label}：{dict(getattr(field, 'choices', ())).get(value, value)}")
    return described


class QueueExportView(ReviewerRequiredMixin, View):
    """The queue as .xlsx, with the filters the page shows (for a meeting's printout): every row,
    not one page; the title row names the bureau, the tab and the filters."""

    def get(self, request):
        user = request.user
        form = QueueFilterForm(request.GET or None, user=user)
        filters = form.filters()
        names = selectors.industry_names()
        pending = filters["tab"] == "pending"
        rows = []
        for a in selectors.review_queue(user, **filters):
            row = _queue_row(a, names)
            waited = row["days"] if pending else None
            rows.append(
                [
                    a.unit.name,
                    str(a.get_kind_display()),
                    getattr(getattr(a.unit, "enterprise", None), "credit_code", ""),
                    a.county.name if a.county_id else "",
                    row["industry"],
                    a.assessor.organisation.name if a.assessor_id else "",
                    timezone.localtime(a.submitted_at) if a.submitted_at else "",
                    waited if pending else (timezone.localtime(a.decided_at) if a.decided_at else ""),
                    _("齐全") if row["docs_complete"] else _("缺材料"),
                    str(a.get_state_display()),
                ]
            )
        shown = _filters_described(form, filters)
        title = _("%(org)s审核队列（%(tab)s）") % {
            "org": user.organisation.name,
            "tab": QUEUE_TABS[filters["tab"]],
        }
        note = _("导出时间：%(when)s；筛选：%(filters)s；共%(n)d条") % {
            "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "filters": "；".join(shown) or _("无"),
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


def _decision_options(application, user):
    """The reviewer's decisions: the ones that move the application on first, then the ones
    that send it back or end it (shown apart, in the danger style, and confirmed)."""
    return sorted(
        application_transition_options(application, user),
        key=lambda o: (o.reason_required, o.name == "reject"),
    )


def decision_confirmation(application, option, comment: str = "") -> Confirmation:
    """What a destructive decision does, in the dialog and on the no-script confirmation page."""
    outcome = {
        "reject": _("不予通过后，本批次申报即告结束，不能恢复。"),
        "return_for_revision": _("申报单位将收到通知，修改后可重新提交。"),
        "return_to_city": _("申报退回设区市重新审核，该市的推荐名额随之释放。"),
    }.get(option.name, "")
    decided = _("将对“%(unit)s”作出决定：%(decision)s。")
    summary = [decided % {"unit": application.unit.name, "decision": option.label}]
    if outcome:
        summary.append(outcome)
    if comment:
        summary.append(_("原因：%(comment)s") % {"comment": comment})
    return Confirmation(
        title=_("确认%(decision)s") % {"decision": option.label},
        summary=summary,
        action_label=_("确认%(decision)s") % {"decision": option.label},
        cancel_url=reverse("review-detail", args=[application.pk]),
        danger=True,
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
                "confirmation": decision_confirmation(application, o) if o.reason_required else None,
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
            indicator_rows=indicators.rows(application),
            documents=application.documents.select_related("uploaded_by"),
            history=application.history.select_related("actor"),
            form=form,
            comment_label=form.comment_label(),
            decisions=[d for d in decisions if not d["option"].reason_required],
            decisions_back=[d for d in decisions if d["option"].reason_required],
            industry=selectors.industry_names().get((application.industry_class or "")[:2], ""),
            assessor_usage=assessor_usage,
            quota=_city_quota(user) if application.kind == "factory" else None,
            back=self.request.GET.get("back", ""),
            **kwargs,
        )


class ReviewTransitionView(BureauRequiredMixin, View):
    """The decision panel's post: a missing reason is shown beside the comment field (and nothing
    changes); a destructive decision is confirmed first (greenmfg.confirm)."""

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
            confirmation = decision_confirmation(application, option, comment)
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
            _fail(request, exc)
        else:
            messages.success(
                request, _("操作成功，申报状态：%(state)s。") % {"state": application.get_state_display()}
            )
        return redirect("review-detail", pk=application.pk)
