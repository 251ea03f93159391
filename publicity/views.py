"""Public pages (no sign-in) and the province's publicity pages. Thin: parse, call one service,
render. Public pages read only through `Application.objects.public()` (publicity/selectors.py)."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.roles import ProvinceRequiredMixin
from applications.confirmations import publicity_round_confirmation
from applications.models import Application
from core.addresses import client_address
from core.confirm import Confirmation, confirmation_page
from core.downloads import PDF, download
from core.exceptions import DomainError
from core.messages import show_reasons
from quotas.selectors import current_batch

from . import public_cache, selectors, services
from .models import ObjectionOutcome

# --- public -----------------------------------------------------------------------------------


def _public_rows(units, *, objection: bool = False) -> list[dict]:
    """A public list's rows as the page shows them, each label made here once per row: the
    template only places strings (a page of 100 rows is most of what these pages cost)."""
    rows = []
    for a in units:
        row = {
            "number": a.row_number,
            "unit": a.unit.name,
            "city": str(a.city),
            "kind": a.get_kind_display(),
            "category": a.public_category,
        }
        if objection:
            row["pk"] = a.pk
            row["object_label"] = _("对%(unit)s提出异议") % {"unit": a.unit.name}
        rows.append(row)
    return rows


class PublicityPublicView(TemplateView):
    """通知 二(四): the department's website lists the units in publicity, with the period, the
    contact for objections and how to object; anyone may file an objection here."""

    template_name = "publicity/public_publicity.html"

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or {}
        q = self.request.GET.get("q", "").strip()[:50]
        number = public_cache.page_number(self.request.GET.get("page"))
        listing = public_cache.cached(
            "publicity", lambda today: _publicity_listing(q, number, today), q=q, page=number
        )
        # The objection names the unit whose row the objector clicked (?unit=<pk>), or the one the
        # form was posted with; only a unit in publicity today can be chosen.
        chosen = form.get("unit") or self.request.GET.get("unit", "")
        unit = selectors.objectionable_units().filter(pk=chosen).first() if chosen.isdigit() else None
        return super().get_context_data(
            listing=mark_safe(listing["html"]),  # drawn by our template, escaped there
            in_publicity=listing["any"],
            q=q,
            unit=unit,
            form=form,
            field_errors=kwargs.pop("field_errors", {}),
            **kwargs,
        )

    def post(self, request):
        form = {k: request.POST.get(k, "") for k in ("unit", "name", "contact", "facts")}
        try:
            objection = services.objection_file(
                application_pk=form["unit"] or None,
                name=form["name"],
                contact=form["contact"],
                facts=form["facts"],
                evidence=request.FILES.get("evidence"),
                ip_address=client_address(request),
            )
        except services.FieldError as exc:
            context = self.get_context_data(form=form, field_errors=exc.fields)
            return self.render_to_response(context, status=400)
        except DomainError as exc:
            context = self.get_context_data(form=form, errors=exc.reasons)
            return self.render_to_response(context, status=exc.status if exc.status == 429 else 400)
        messages.success(
            request,
            _("您的异议已提交（编号%(number)d），省经信厅将依法依规核查处理。") % {"number": objection.pk},
        )
        return redirect("public-publicity")


def _publicity_listing(q: str, number: int, today) -> dict:
    """One page of the units in publicity `today` as the page shows them (public_cache keeps it):
    the search form, the notices with their rows, the pages; and whether any unit is listed."""
    page, notices = selectors.public_publicity_page(q=q, page=number, today=today)
    for notice in notices:
        notice.rows = _public_rows(notice.units, objection=True)
    html = render_to_string(
        "publicity/_public_publicity_list.html",
        {"notices": notices, "page": page, "q": q, "query": urlencode({"q": q}) if q else ""},
    )
    return {"html": html, "any": bool(notices)}


class PublishedIndexView(TemplateView):
    template_name = "publicity/public_published_index.html"

    def get_context_data(self, **kwargs):
        listing = public_cache.cached(
            "published-index",
            lambda today: render_to_string(
                "publicity/_public_published_index_list.html",
                {"publications": list(selectors.public_publications())},
            ),
        )
        return super().get_context_data(listing=mark_safe(listing), **kwargs)  # escaped by its template


class PublishedListView(TemplateView):
    """The final list of one joint publication, by city."""

    template_name = "publicity/public_published.html"

    def get_context_data(self, **kwargs):
        pk = self.kwargs["pk"]
        q = self.request.GET.get("q", "").strip()[:50]
        number = public_cache.page_number(self.request.GET.get("page"))
        listing = public_cache.cached(
            "published", lambda today: _published_listing(pk, q, number), pk=pk, q=q, page=number
        )
        return super().get_context_data(
            listing=mark_safe(listing["html"]),  # drawn by our template, escaped there
            title=listing["title"],
            **kwargs,
        )


def _published_listing(pk, q: str, number: int) -> dict:
    """One page of a publication's list as the page shows it (public_cache keeps it): the
    publication (a 404 when there is none: nothing cached), its units, its adjustment list."""
    publication = selectors.public_publication(pk)
    page, groups = selectors.published_page(publication, q=q, page=number)
    for group in groups:
        group.rows = _public_rows(group.units)
    html = render_to_string(
        "publicity/_public_published_list.html",
        {
            "publication": publication,
            "groups": groups,
            "page": page,
            "q": q,
            "query": urlencode({"q": q}) if q else "",
            "total": page.paginator.count,
            "adjustments": selectors.published_adjustments(publication),
        },
    )
    return {
        "html": html,
        "title": _("%(year)s年度名单") % {"year": publication.batch.year},
    }


class PublicationNoticeView(View):
    def get(self, request, pk):
        publication = selectors.public_publication(pk)
        if not publication.notice:
            publication = services.publication_notice_store(publication.pk)
        return download(
            publication.notice.open("rb"),
            filename=f"notice-{publication.batch.year}-{publication.pk}.pdf",
            content_type=PDF,
            inline=True,
        )


# --- the province ------------------------------------------------------------------------------


def _parse_date(raw):
    try:
        return datetime.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def publish_confirmation(batch, ready) -> Confirmation:
    """What publishing does (通知 四): the units ready go on the joint notice, no way back."""
    return Confirmation(
        title=_("确认联合发文公布"),
        summary=[
            _("将与%(departments)s联合发文，公布以下%(n)d家单位。公布后不能撤回。")
            % {"departments": "、".join(batch.joint_departments), "n": len(ready)}
        ],
        items=[a.unit.name for a in ready],
        action_label=_("确认公布"),
        cancel_url=f"{reverse('publicity-manage')}?batch={batch.year}",
        danger=True,
    )


class PublicityManageView(ProvinceRequiredMixin, TemplateView):
    """The province's publicity desk: rounds, objections, and publication when ready."""

    template_name = "publicity/manage.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        batch = current_batch(self.request.GET.get("batch"))
        if batch is None:
            return super().get_context_data(batch=None, **kwargs)
        readiness = selectors.publication_readiness(user, batch)
        return super().get_context_data(
            batch=batch,
            rounds=selectors.rounds_of(user, batch),
            objections=selectors.objections_of(user, batch),
            readiness=readiness,
            publications=batch.publications.all(),
            confirmation=publish_confirmation(batch, readiness.ready),
            today=timezone.localdate(),
            **kwargs,
        )


class PublicityRoundOpenView(ProvinceRequiredMixin, View):
    """From the review board: the ticked units go to publicity over one period, confirmed first
    (core.confirm) with the units and the dates when the round could open; what would be refused
    is refused at once, with its reasons."""

    def post(self, request):
        batch = current_batch(request.POST.get("batch"))
        if batch is None:
            raise Http404
        ids = [pk for pk in request.POST.getlist("application") if pk.isdigit()]
        applications = Application.objects.visible_to(request.user).filter(pk__in=ids)
        starts_on = _parse_date(request.POST.get("starts_on"))
        ends_on = _parse_date(request.POST.get("ends_on")) if request.POST.get("ends_on") else None
        back = f"{reverse('expert-board')}?batch={batch.year}"
        if starts_on is None:
            messages.error(request, _("请填写有效的公示开始日期。"))
            return redirect(back)
        comment = request.POST.get("comment", "")
        try:
            units, last_day = services.publicity_round_check(
                batch=batch, applications=applications, starts_on=starts_on, ends_on=ends_on, by=request.user
            )
            confirmation = publicity_round_confirmation(
                units, starts_on=starts_on, ends_on=last_day, comment=comment, cancel_url=back
            )
            if page := confirmation_page(request, confirmation):
                return page
            publicity_round = services.publicity_round_open(
                batch=batch,
                applications=applications,
                starts_on=starts_on,
                ends_on=ends_on,
                by=request.user,
                comment=comment,
            )
        except DomainError as exc:
            show_reasons(request, exc)
            return redirect(back)
        messages.success(
            request,
            _("已将%(n)d家单位列入公示，公示期自%(starts)s至%(ends)s。")
            % {
                "n": len(units),
                "starts": date_format(publicity_round.starts_on, "DATE_FORMAT"),
                "ends": date_format(publicity_round.ends_on, "DATE_FORMAT"),
            },
        )
        return redirect(f"{reverse('publicity-manage')}?batch={batch.year}")


class ObjectionDetailView(ProvinceRequiredMixin, TemplateView):
    template_name = "publicity/objection.html"

    def get_context_data(self, **kwargs):
        objection = selectors.objection_for(self.request.user, self.kwargs["pk"])
        return super().get_context_data(
            objection=objection,
            history=objection.history.select_related("actor__organisation"),
            outcomes=ObjectionOutcome.choices,
            **kwargs,
        )

    def post(self, request, pk):
        objection = selectors.objection_for(request.user, pk)
        try:
            services.objection_decide(
                objection=objection,
                decision=request.POST.get("decision", ""),
                outcome=request.POST.get("outcome", ObjectionOutcome.REVIEW),
                reason=request.POST.get("reason", ""),
                by=request.user,
            )
        except DomainError as exc:
            show_reasons(request, exc)
            return redirect("publicity-objection", pk=objection.pk)
        messages.success(request, _("异议已处理：%(state)s。") % {"state": objection.get_state_display()})
        return redirect(f"{reverse('publicity-manage')}?batch={objection.entry.publicity_round.batch.year}")


class ObjectionEvidenceView(ProvinceRequiredMixin, View):
    """Evidence is served only to the province, through the gate, never from a public URL."""

    def get(self, request, pk):
        objection = selectors.objection_for(request.user, pk)
        evidence = objection.evidence
        if evidence is None:
            raise Http404
        return download(
            evidence.file.open("rb"),
            filename=evidence.original_name,
            content_type=PDF,
            inline=True,
        )


class PublicationPublishView(ProvinceRequiredMixin, View):
    def post(self, request):
        batch = current_batch(request.POST.get("batch"))
        if batch is None:
            raise Http404
        published_on = _parse_date(request.POST.get("published_on")) or timezone.localdate()
        # Confirmed only when it could happen: otherwise the service says why not, at once.
        readiness = selectors.publication_readiness(request.user, batch)
        if readiness.ready and not readiness.blocked:
            if page := confirmation_page(request, publish_confirmation(batch, readiness.ready)):
                return page
        try:
            publication = services.publication_publish(
                batch=batch,
                by=request.user,
                document_number=request.POST.get("document_number", ""),
                published_on=published_on,
            )
        except DomainError as exc:
            show_reasons(request, exc)
            return redirect(f"{reverse('publicity-manage')}?batch={batch.year}")
        messages.success(request, _("已联合发文公布%(n)d家单位。") % {"n": publication.entries.count()})
        return redirect("public-published", pk=publication.pk)
