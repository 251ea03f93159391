"""The province's batch settings page (通知 三 and Annex 1 as data): thin views — parse the form,
call one service, render. Only the province may open them; anyone else gets 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.roles import ProvinceRequiredMixin
from core.downloads import XLSX, download
from reference.models import City

from . import services
from .annex1 import annex1_title, annex1_xlsx
from .exceptions import QuotaImportRefused
from .forms import (
    BatchSettingsForm,
    CityQuotasForm,
    DeadlineExtensionForm,
    ExtensionRemoveForm,
    QuotaImportForm,
)
from .models import Batch
from .selectors import batch_history, current_batch, quota_rows


class BatchPageMixin(ProvinceRequiredMixin):
    template_name = "quotas/settings.html"

    def get_batch(self) -> Batch:
        if not hasattr(self, "_batch"):
            self._batch = get_object_or_404(
                Batch.objects.prefetch_related("extensions__city"), year=self.kwargs["year"]
            )
        return self._batch

    def page_context(self, **bound) -> dict:
        """Everything on the settings page; `bound` replaces a blank form with the submitted one
        (with its errors) or adds the import result."""
        batch = self.get_batch()
        rows = quota_rows(batch)
        quota_form = bound.pop("quota_form", None) or CityQuotasForm(
            cities=[r["city"] for r in rows], initial={r["city"].code: r["quota"] for r in rows}
        )
        for row in rows:
            row["field"] = quota_form[row["city"].code]
        return {
            "batch": batch,
            "quota_form": quota_form,
            "quota_rows": rows,
            "quota_total": sum(r["quota"] or 0 for r in rows),
            "factories_total": sum(r["factories"] for r in rows),
            "settings_form": BatchSettingsForm.for_batch(batch),
            "extension_form": DeadlineExtensionForm(),
            "extensions": sorted(batch.extensions.all(), key=lambda e: e.city.position),
            "import_form": QuotaImportForm(),
            "history": batch_history(batch),
            **bound,
        }

    def _render(self, status, **bound):
        return render(self.request, self.template_name, self.page_context(**bound), status=status)

    def back(self, anchor):
        return redirect(reverse("batch-settings", args=[self.get_batch().year]) + f"#{anchor}")


class BatchCurrentView(ProvinceRequiredMixin, View):
    def get(self, request):
        batch = current_batch()
        if batch is None:
            raise Http404
        return redirect("batch-settings", year=batch.year)


class BatchSettingsView(BatchPageMixin, View):
    def get(self, request, year):
        return self._render(200)


class CityQuotasUpdateView(BatchPageMixin, View):
    def post(self, request, year):
        batch = self.get_batch()
        form = CityQuotasForm(request.POST, cities=City.objects.order_by("position", "code"))
        if form.is_valid():
            try:
                changes = services.city_quotas_set(
                    batch, quotas=form.quotas(), by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("推荐名额已保存（修改%(n)d个设区市），合计%(total)d个。")
                    % {"n": len(changes), "total": sum(form.quotas().values())},
                )
                return self.back("quotas")
        return self._render(400, quota_form=form)


class BatchUpdateView(BatchPageMixin, View):
    def post(self, request, year):
        batch = self.get_batch()
        form = BatchSettingsForm(request.POST)
        if form.is_valid():
            try:
                changes = services.batch_update(
                    batch, by=request.user, reason=form.cleaned_data["reason"], **form.changes()
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("批次设置已保存（修改%(n)d项）。") % {"n": len(changes)})
                return self.back("settings")
        return self._render(400, settings_form=form)


class DeadlineExtensionView(BatchPageMixin, View):
    """Add an extension for a city, or change the one it has (通知 三)."""

    def post(self, request, year):
        batch = self.get_batch()
        form = DeadlineExtensionForm(request.POST)
        if form.is_valid():
            try:
                extension = services.deadline_extend(
                    batch,
                    city=form.cleaned_data["city"],
                    deadline=form.cleaned_data["deadline"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("%(city)s的报送截止日期已延长。") % {"city": extension.city.name})
                return self.back("extensions")
        return self._render(400, extension_form=form)


class DeadlineExtensionRemoveView(BatchPageMixin, View):
    def post(self, request, year, city):
        batch = self.get_batch()
        city_obj = get_object_or_404(City, code=city)
        form = ExtensionRemoveForm(request.POST)
        if form.is_valid():
            try:
                services.deadline_extension_remove(
                    batch, city=city_obj, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("已撤销%(city)s的延期。") % {"city": city_obj.name})
        else:
            for message in form.errors.get("reason", []):
                messages.error(request, f"{city_obj.name}：{message}")
        return self.back("extensions")


class QuotaImportView(BatchPageMixin, View):
    """Import an Annex 1 table from .xlsx: all rows or nothing, bad rows listed on the page."""

    def post(self, request, year):
        batch = self.get_batch()
        form = QuotaImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                quotas = services.quota_table_import(
                    batch,
                    data=form.cleaned_data["file"].read(),
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except QuotaImportRefused as exc:
                return self._render(400, import_form=form, import_errors=exc.errors)
            messages.success(
                request,
                _("名额表已导入：%(n)d个设区市，合计%(total)d个。")
                % {"n": len(quotas), "total": sum(quotas.values())},
            )
            return self.back("quotas")
        return self._render(400, import_form=form)


class Annex1ExportView(BatchPageMixin, View):
    def get(self, request, year):
        batch = self.get_batch()
        return download(annex1_xlsx(batch), filename=f"{annex1_title(batch.year)}.xlsx", content_type=XLSX)
