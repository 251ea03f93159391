"""The province's dashboard and the application list behind each of its figures. Only the
province may open them; anyone else gets 404."""

from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.roles import ProvinceRequiredMixin
from applications.states import ApplicationKind
from core.downloads import XLSX, download
from exports.annex2 import province_annex2_title, province_annex2_xlsx
from quotas.models import Batch
from quotas.selectors import current_batch

from . import selectors
from .charts import grouped_bars
from .forms import ApplicationFilterForm

PAGE_SIZE = 50


class BatchFromQueryMixin:
    def get_batch(self) -> Batch:
        batch = current_batch(self.request.GET.get("batch"))
        if batch is None:
            raise Http404
        return batch


def list_url(batch, **filters) -> str:
    return reverse("dashboard-applications") + "?" + urlencode({"batch": batch.year, **filters})


class DashboardView(ProvinceRequiredMixin, BatchFromQueryMixin, TemplateView):
    template_name = "dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        user, batch = self.request.user, self.get_batch()
        cities = selectors.city_figures(user, batch)
        F = ApplicationKind.FACTORY
        chart = grouped_bars(
            [
                (
                    c.city.name,
                    [
                        (
                            "quota",
                            _("推荐名额"),
                            c.quota or 0,
                            reverse("batch-settings", args=[batch.year]) + "#quotas",
                            "bar-quota",
                        ),
                        (
                            "recommended",
                            _("已推荐"),
                            c.recommended,
                            list_url(batch, city=c.city.code, kind=F, stage="recommended"),
                            "bar-recommended",
                        ),
                        (
                            "passed",
                            _("通过"),
                            c.passed,
                            list_url(batch, city=c.city.code, kind=F, stage="passed"),
                            "bar-passed",
                        ),
                    ],
                )
                for c in cities
            ]
        )
        for c in cities:
            c.links = {
                "recommended": list_url(batch, city=c.city.code, kind=F, stage="recommended"),
                "passed": list_url(batch, city=c.city.code, kind=F, stage="passed"),
                "parks_recommended": list_url(
                    batch, city=c.city.code, kind=ApplicationKind.PARK, stage="recommended"
                ),
                "parks_passed": list_url(batch, city=c.city.code, kind=ApplicationKind.PARK, stage="passed"),
            }
        states = [
            (s, label, n, list_url(batch, state=s)) for s, label, n in selectors.state_counts(user, batch)
        ]
        divisions = [
            (code, name, n, list_url(batch, division=code))
            for code, name, n in selectors.division_counts(user, batch)
        ]
        groups = selectors.assessor_group_figures(user, batch)
        for g in groups:
            g.links = {
                "all": list_url(batch, assessor_group=g.group.pk),
                "cap": list_url(batch, assessor_group=g.group.pk, stage="cap"),
            }
        return super().get_context_data(
            batch=batch,
            batches=Batch.objects.values_list("year", flat=True),
            cities=cities,
            chart=chart,
            totals={
                "quota": sum(c.quota or 0 for c in cities),
                "recommended": sum(c.recommended for c in cities),
                "passed": sum(c.passed for c in cities),
                "parks_recommended": sum(c.parks_recommended for c in cities),
                "parks_passed": sum(c.parks_passed for c in cities),
            },
            states=states,
            states_total=sum(row[2] for row in states),
            all_url=list_url(batch),
            annex2_url=reverse("dashboard-annex2") + "?" + urlencode({"batch": batch.year}),
            divisions=divisions,
            groups=groups,
            **kwargs,
        )


class ApplicationListView(ProvinceRequiredMixin, BatchFromQueryMixin, TemplateView):
    """The province's list of a batch's applications, filtered as the dashboard's links ask."""

    template_name = "dashboard/applications.html"

    def get_context_data(self, **kwargs):
        batch = self.get_batch()
        form = ApplicationFilterForm(self.request.GET)
        if form.is_valid():
            qs = selectors.filtered_applications(self.request.user, batch, **form.filters())
        else:
            qs = selectors.batch_applications(self.request.user, batch).none()
        qs = qs.select_related(
            "unit", "city", "county", "assessor__organisation", "assessor__group"
        ).order_by("city__position", "kind", "unit__name", "pk")
        page = Paginator(qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(batch=batch, form=form, page=page, **kwargs)


class ProvinceAnnex2ExportView(ProvinceRequiredMixin, BatchFromQueryMixin, View):
    """The province-wide Annex 2 of a batch (?batch=<year>, default the current batch) as .xlsx:
    a summary sheet and one sheet per city (exports.annex2.province_annex2_xlsx)."""

    def get(self, request):
        batch = self.get_batch()
        data = province_annex2_xlsx(
            batch,
            applications=selectors.recommended_to_province(request.user, batch),
            creator=request.user.organisation.name,
        )
        return download(data, filename=f"{province_annex2_title(batch.year)}.xlsx", content_type=XLSX)
