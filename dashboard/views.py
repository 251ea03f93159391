"""The province's dashboard and the application list behind each of its figures. Only the
province may open them; anyone else gets 404."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from accounts.roles import ProvinceRequiredMixin
from applications.states import ApplicationKind
from core.downloads import XLSX, download, stored_download
from core.pagination import DeferredJoinPaginator
from core.wording import clauses, labelled
from exports import stored
from exports.annex2 import province_annex2_title
from exports.tables import Table, table_xlsx, tables_xlsx
from quotas.models import Batch
from quotas.selectors import current_batch

from . import selectors
from .charts import grouped_bars
from .forms import ApplicationFilterForm

PAGE_SIZE = 50

CAP_NOTE = gettext_lazy("计入上限的为已提交过的申报（退回、未通过、已公布的均计入，已撤回的不计）。")

# The cities' figures after the quota, in the order of the page's table.
CITY_COUNTS = ("recommended", "passed", "parks_recommended", "parks_passed")
CITY_NOTE = gettext_lazy(
    "“已推荐”为计入名额的市级推荐（退回、撤回的不计）；“通过”为已报送省级评估、公示中或已公布的"
    "（不含未通过、已撤回）。"
)


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
        tally = selectors.batch_tally(user, batch)  # one pass over the batch for every figure
        cities = selectors.city_figures(user, batch, tally=tally)
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
            (s, label, n, list_url(batch, state=s))
            for s, label, n in selectors.state_counts(user, batch, tally=tally)
        ]
        divisions = [
            (code, name, n, list_url(batch, division=code))
            for code, name, n in selectors.division_counts(user, batch, tally=tally)
        ]
        groups = selectors.assessor_group_figures(user, batch, tally=tally)
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
            figures_url=reverse("dashboard-xlsx") + "?" + urlencode({"batch": batch.year}),
            divisions=divisions,
            groups=groups,
            **kwargs,
        )


def _filtered(request, batch):
    """The form and the applications its valid filters select (none when a filter is invalid)."""
    form = ApplicationFilterForm(request.GET)
    if form.is_valid():
        qs = selectors.filtered_applications(request.user, batch, **form.filters())
    else:
        qs = selectors.batch_applications(request.user, batch).none()
    qs = qs.select_related("unit", "city", "county", "assessor__organisation", "assessor__group").order_by(
        "city__position", "kind", "unit__name", "pk"
    )
    return form, qs


class ApplicationListView(ProvinceRequiredMixin, BatchFromQueryMixin, TemplateView):
    """The province's list of a batch's applications, filtered as the dashboard's links ask."""

    template_name = "dashboard/applications.html"

    def get_context_data(self, **kwargs):
        batch = self.get_batch()
        form, qs = _filtered(self.request, batch)
        page = DeferredJoinPaginator(qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(batch=batch, form=form, page=page, **kwargs)


class ApplicationListExportView(ProvinceRequiredMixin, BatchFromQueryMixin, View):
    """The same list as .xlsx, every row, the filters named in the title rows."""

    def get(self, request):
        batch = self.get_batch()
        form, qs = _filtered(request, batch)
        shown = []
        if form.is_valid():
            for name, value in form.cleaned_data.items():
                if value:
                    field = form.fields[name]
                    shown.append(labelled(field.label, dict(getattr(field, "choices", ())).get(value, value)))
        rows = [
            [
                a.unit.name,
                str(a.get_kind_display()),
                a.city.name,
                a.county.name if a.county_id else "",
                a.industry_class or "",
                a.assessor.organisation.name if a.assessor_id else "",
                a.assessor.group.name if a.assessor_id else "",
                timezone.localtime(a.submitted_at) if a.submitted_at else "",
                str(a.get_state_display()),
            ]
            for a in qs
        ]
        title = _("%(year)d年度批次申报列表") % {"year": batch.year}
        note = _("导出时间：%(when)s；筛选：%(filters)s；共%(n)d条") % {
            "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "filters": clauses(shown) or _("无"),
            "n": len(rows),
        }
        header = [
            _("单位"),
            _("类别"),
            _("设区市"),
            _("县（市、区）"),
            _("行业代码"),
            _("第三方评价机构"),
            _("所属法人主体"),
            _("提交时间"),
            _("状态"),
        ]
        content = table_xlsx(
            title=title, note=note, header=header, rows=rows, widths=(36, 8, 10, 14, 10, 30, 30, 18, 12)
        )
        return download(content, filename=f"{title}.xlsx", content_type=XLSX)


class DashboardExportView(ProvinceRequiredMixin, BatchFromQueryMixin, View):
    """The dashboard's lists as .xlsx, one sheet each: the cities' quota, recommended and passed;
    the applications by state; the factories by industry division; the assessor groups and their
    cap. The same selectors (and the same visibility gate) as the page, one pass over the batch."""

    def get(self, request):
        user, batch = request.user, self.get_batch()
        tally = selectors.batch_tally(user, batch)
        cities = selectors.city_figures(user, batch, tally=tally)
        states = selectors.state_counts(user, batch, tally=tally)
        divisions = selectors.division_counts(user, batch, tally=tally)
        groups = selectors.assessor_group_figures(user, batch, tally=tally)
        when = _("导出时间：%(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
        year = batch.year

        def titled(text):
            return _("%(year)d年度批次%(list)s") % {"year": year, "list": text}

        city_rows = [
            [c.city.name, c.quota if c.quota is not None else "—", *(getattr(c, k) for k in CITY_COUNTS)]
            for c in cities
        ]
        city_rows.append(
            [
                _("合计"),
                sum(c.quota or 0 for c in cities),
                *(sum(getattr(c, k) for c in cities) for k in CITY_COUNTS),
            ]
        )
        tables = [
            Table(
                sheet=_("各市情况"),
                title=titled(_("各市工厂推荐名额、已推荐与通过情况")),
                note=clauses([when, CITY_NOTE]),
                header=[
                    _("地市"),
                    _("工厂推荐名额"),
                    _("工厂已推荐"),
                    _("工厂通过"),
                    _("园区已推荐"),
                    _("园区通过"),
                ],
                rows=city_rows,
                widths=(12, 14, 12, 12, 12, 12),
            ),
            Table(
                sheet=_("按状态"),
                title=titled(_("申报按状态统计")),
                note=when,
                header=[_("状态"), _("申报数")],
                rows=[*([str(label), n] for _s, label, n in states), [_("合计"), sum(r[2] for r in states)]],
                widths=(20, 10),
            ),
            Table(
                sheet=_("按行业大类"),
                title=titled(_("工厂按行业大类统计")),
                note=clauses([when, _("行业大类为GB/T 4754行业代码的前两位。")]),
                header=[_("行业大类代码"), _("行业大类名称"), _("工厂数")],
                rows=[[code, name, n] for code, name, n in divisions],
                widths=(14, 36, 10),
            ),
            Table(
                sheet=_("按第三方评价机构"),
                title=titled(_("第三方评价机构法人主体（含关联单位）评价项目统计")),
                note=clauses([when, CAP_NOTE]),
                header=[_("法人主体"), _("申报数"), _("计入上限"), _("上限"), _("上限使用（%）")],
                rows=[[g.group.name, g.applications, g.cap_used, g.cap, g.percent] for g in groups],
                widths=(40, 10, 10, 8, 14),
            ),
        ]
        title = _("%(year)d年度批次数据看板") % {"year": year}
        return download(tables_xlsx(tables), filename=f"{title}.xlsx", content_type=XLSX)


class ProvinceAnnex2ExportView(ProvinceRequiredMixin, BatchFromQueryMixin, View):
    """The province-wide Annex 2 of a batch (?batch=<year>, default the current batch) as .xlsx:
    a summary sheet and one sheet per city (exports.annex2.province_annex2_xlsx)."""

    def get(self, request):
        batch = self.get_batch()
        name = stored.province_annex2(
            batch,
            applications=selectors.recommended_to_province(request.user, batch),
            creator=request.user.organisation.name,
            owner=f"batch{batch.pk}-org{request.user.organisation_id}",
        )
        return stored_download(
            name, filename=f"{province_annex2_title(batch.year)}.xlsx", content_type=XLSX, stream=False
        )
