"""The lists' pages: thin views — check who is asking, parse the form, call one service, render.

- bureaus: the entries of their region (filters, search, counts per city, .xlsx export);
- city bureau: its own city's list — year-end upload with preview and confirmation, one entry
  added or ended, the upload history, its deadline;
- province: the national list import, units under provincial management, the cities' reports;
- anyone: the current provincial list by city (published names only).

Everything starts from ListEntry.objects.visible_to(user) (or public()); a bureau of another
region finds nothing (404)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts import roles
from core.confirm import Confirmation, confirmation_page
from core.downloads import XLSX, download
from core.exceptions import DomainError
from core.messages import show_reasons
from reference.models import City, County

from . import pending, rules, selectors, services
from .exceptions import ListImportRefused
from .forms import (
    CityListUploadForm,
    ConfirmForm,
    EntryAddForm,
    EntryEndForm,
    EntryFilterForm,
    NationalListUploadForm,
)
from .models import EntryChange, ListEntry, ListImport, Tier
from .xlsx import city_list_template_xlsx, entries_xlsx

PAGE_SIZE = 50


class CityBureauPageMixin(roles.CityBureauRequiredMixin):
    """A city bureau's own city's list: the city is the signed-in bureau's, never from the URL."""

    @property
    def city(self) -> City:
        return self.request.user.organisation.city


def _filtered(request):
    user = request.user
    org = user.organisation
    counties = County.objects.order_by("code")
    if org.city_id:
        counties = counties.filter(city_id=org.city_id)
    if org.county_id:
        counties = counties.filter(pk=org.county_id)
    form = EntryFilterForm(request.GET or None, counties=counties)
    params = form.params()
    qs = selectors.entries_filtered(ListEntry.objects.visible_to(user), params)
    return form, params, qs


class EntryListView(roles.BureauRequiredMixin, View):
    """名单查询: every entry of the user's region, filtered and searched, with counts per city."""

    def get(self, request):
        form, _params, qs = _filtered(request)
        page = Paginator(
            qs.select_related("city", "county").order_by("city__position", "tier", "unit_name", "pk"),
            PAGE_SIZE,
        ).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "lists/entries.html",
            {
                "form": form,
                "page": page,
                "query": query.urlencode(),
                "counts": selectors.counts_per_city(qs) if roles.is_province(request.user) else None,
                "total": page.paginator.count,
            },
        )


class EntryExportView(roles.BureauRequiredMixin, View):
    """The filtered entries as .xlsx, in the column order of the matching upload."""

    def get(self, request):
        _form, params, qs = _filtered(request)
        entries = qs.select_related("city", "county").order_by("city__position", "tier", "unit_name", "pk")
        tier = params.get("tier")
        stamp = timezone.localdate().strftime("%Y%m%d")
        return download(
            entries_xlsx(entries, tier=tier), filename=f"绿色制造名单_{stamp}.xlsx", content_type=XLSX
        )


# --- the city bureau's own list ------------------------------------------------------------------


def _city_page(request, city, *, status=200, **bound):
    year = selectors.default_list_year()
    imports = ListImport.objects.filter(tier=Tier.CITY, city=city).select_related("imported_by")[:20]
    active = ListEntry.objects.active().filter(tier=Tier.CITY, city=city)
    counts = dict(active.order_by().values_list("kind").annotate(n=Count("pk")))
    context = {
        "city": city,
        "year": year,
        "deadline": selectors.list_deadline(city.code, year),
        "reported": ListImport.objects.filter(tier=Tier.CITY, city=city, year=year).exists(),
        "imports": imports,
        "counts": counts,
        "upload_form": CityListUploadForm(initial={"year": year}),
        "add_form": EntryAddForm(city=city),
        "today": timezone.localdate(),
        **bound,
    }
    return render(request, "lists/city.html", context, status=status)


class CityListView(CityBureauPageMixin, View):
    def get(self, request):
        return _city_page(request, self.city)


class CityListTemplateView(CityBureauPageMixin, View):
    def get(self, request):
        city = self.city
        return download(
            city_list_template_xlsx(city),
            filename=f"{city.name}市级绿色低碳工业园区及工厂名单（模板）.xlsx",
            content_type=XLSX,
        )


def _valid_upload(request, form) -> bool:
    """The form is valid and the upload handler did not stop the file at the portal's size cap
    (settings.UPLOAD_MAX_BYTES; the handler leaves its reason on the request)."""
    valid = form.is_valid()
    refusal = getattr(request, "upload_refused", {}).get("file")
    if refusal:
        form.errors.pop("file", None)
        form.add_error("file", refusal)
        return False
    return valid


def _preview_page(request, *, preview, token, template_context):
    return render(
        request,
        "lists/preview.html",
        {
            "preview": preview,
            "confirm_form": ConfirmForm(initial={"token": token, **preview.counts}),
            **template_context,
        },
    )


class CityListUploadView(CityBureauPageMixin, View):
    """Step 1: check every row and show what the upload would change. Nothing is saved yet."""

    def post(self, request):
        city = self.city
        form = CityListUploadForm(request.POST, request.FILES)
        if not _valid_upload(request, form):
            return _city_page(request, city, status=400, upload_form=form)
        upload = form.cleaned_data["file"]
        data = upload.read()
        year = form.cleaned_data["year"]
        try:
            preview = services.city_list_import(
                city=city, year=year, data=data, file_name=upload.name, by=request.user, dry_run=True
            )
        except ListImportRefused as exc:
            return _city_page(request, city, status=400, upload_form=form, import_errors=exc.errors)
        except DomainError as exc:
            for reason in exc.reasons:
                form.add_error(None, reason)
            return _city_page(request, city, status=exc.status, upload_form=form)
        token = pending.keep(
            request, data=data, file_name=upload.name, tier=Tier.CITY, city=city.code, year=year
        )
        return _preview_page(
            request,
            preview=preview,
            token=token,
            template_context={
                "title": _("%(city)s%(year)d年度市级名单：预览") % {"city": city.name, "year": year},
                "confirm_url": reverse("lists-city-confirm"),
                "back_url": reverse("lists-city"),
                "file_name": upload.name,
                "ended_reason": services.ended_reason_city(year),
            },
        )


class CityListConfirmView(CityBureauPageMixin, View):
    """Step 2: the bureau confirms what it saw; the upload replaces the city's list."""

    def post(self, request):
        city = self.city
        form = ConfirmForm(request.POST)
        item = pending.peek(request, request.POST.get("token", "")) if form.is_valid() else None
        taken = (
            pending.take(request, form.cleaned_data["token"], tier=Tier.CITY, city=city.code)
            if item
            else None
        )
        if taken is None:
            messages.error(request, _("预览已失效，请重新上传名单。"))
            return redirect("lists-city")
        data, file_name = taken
        try:
            result = services.city_list_import(
                city=city,
                year=item["year"],
                data=data,
                file_name=file_name,
                by=request.user,
                expected=form.expected(),
            )
        except DomainError as exc:
            show_reasons(request, exc)
            return redirect("lists-city")
        messages.success(
            request,
            _("%(year)d年度市级名单已报送：新增%(added)d个，移出%(ended)d个，未变%(unchanged)d个。")
            % {"year": item["year"], **result.counts},
        )
        return redirect("lists-city")


class CityEntryAddView(CityBureauPageMixin, View):
    def post(self, request):
        city = self.city
        form = EntryAddForm(request.POST, city=city)
        if form.is_valid():
            d = form.cleaned_data
            try:
                entry = services.city_list_entry_add(
                    city=city,
                    new=services.NewEntry(
                        unit_name=d["unit_name"].strip(),
                        credit_code=d["credit_code"],
                        kind=d["kind"],
                        county=d["county"],
                        industry_class=d["industry_class"],
                        park_type=d["park_type"],
                        year=d["year"],
                    ),
                    by=request.user,
                )
            except DomainError as exc:
                for reason in exc.reasons:
                    form.add_error(None, reason)
            else:
                messages.success(request, _("已将%(unit)s列入市级名单。") % {"unit": entry.unit_name})
                return redirect("lists-city")
        return _city_page(request, city, status=400, add_form=form)


class EntryDetailView(roles.BureauRequiredMixin, View):
    """One entry and its history."""

    def get(self, request, pk):
        entry = selectors.entry_for(request.user, pk)
        changes = EntryChange.objects.filter(entry=entry).select_related("actor", "list_import")
        return render(
            request,
            "lists/entry.html",
            {
                "entry": entry,
                "changes": changes,
                "can_end": entry.is_active and rules.can_end_entry(request.user, entry),
            },
        )


def end_confirmation(entry, reason: str = "") -> Confirmation:
    """What ending an entry does: the dialog on the end page and the no-script confirmation page."""
    summary = [
        _("将把%(unit)s移出%(tier)s名单。") % {"unit": entry.unit_name, "tier": entry.get_tier_display()},
        _("移出后不能撤销；该单位在审核中的申报将不能被推荐。"),
    ]
    if reason:
        summary.append(_("原因：%(reason)s") % {"reason": reason})
    return Confirmation(
        title=_("确认移出名单"),
        summary=summary,
        action_label=_("确认移出"),
        cancel_url=reverse("lists-entry", args=[entry.pk]),
        danger=True,
    )


class EntryEndView(roles.BureauRequiredMixin, View):
    """End one entry: a page for the reason, then the confirmation (core.confirm: a dialog, or a
    page without JavaScript), then the change. A missing reason is shown beside the field first."""

    def _entry(self, request, pk):
        entry = selectors.entry_for(request.user, pk)
        if not rules.can_end_entry(request.user, entry):
            raise Http404
        return entry

    def _page(self, request, entry, form, status=200):
        context = {"entry": entry, "form": form, "confirmation": end_confirmation(entry)}
        return render(request, "lists/end.html", context, status=status)

    def get(self, request, pk):
        return self._page(request, self._entry(request, pk), EntryEndForm())

    def post(self, request, pk):
        entry = self._entry(request, pk)
        form = EntryEndForm(request.POST)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            if (page := confirmation_page(request, end_confirmation(entry, reason))) is not None:
                return page
            try:
                services.list_entry_end(entry, by=request.user, reason=reason)
            except DomainError as exc:
                for message in exc.reasons:
                    form.add_error(None, message)
            else:
                messages.success(request, _("已将%(unit)s移出名单。") % {"unit": entry.unit_name})
                return redirect("lists-entry", pk=entry.pk)
        return self._page(request, entry, form, status=400)


# --- the province ---------------------------------------------------------------------------------


def _national_page(request, *, status=200, **bound):
    return render(
        request,
        "lists/national.html",
        {
            "managed": selectors.national_under_provincial_management()[:500],
            "managed_count": selectors.national_under_provincial_management().count(),
            "imports": ListImport.objects.filter(tier=Tier.NATIONAL).select_related("imported_by")[:20],
            "upload_form": NationalListUploadForm(initial={"year": timezone.localdate().year}),
            **bound,
        },
        status=status,
    )


class NationalListView(roles.ProvinceRequiredMixin, View):
    def get(self, request):
        return _national_page(request)


class NationalListUploadView(roles.ProvinceRequiredMixin, View):
    def post(self, request):
        form = NationalListUploadForm(request.POST, request.FILES)
        if not _valid_upload(request, form):
            return _national_page(request, status=400, upload_form=form)
        upload = form.cleaned_data["file"]
        data = upload.read()
        kind, year = form.cleaned_data["kind"], form.cleaned_data["year"]
        try:
            preview = services.national_list_import(
                kind=kind, year=year, data=data, file_name=upload.name, by=request.user, dry_run=True
            )
        except ListImportRefused as exc:
            return _national_page(request, status=400, upload_form=form, import_errors=exc.errors)
        except DomainError as exc:
            for reason in exc.reasons:
                form.add_error(None, reason)
            return _national_page(request, status=exc.status, upload_form=form)
        token = pending.keep(
            request, data=data, file_name=upload.name, tier=Tier.NATIONAL, kind=kind, year=year
        )
        return _preview_page(
            request,
            preview=preview,
            token=token,
            template_context={
                "title": _("国家级名单导入：预览"),
                "confirm_url": reverse("lists-national-confirm"),
                "back_url": reverse("lists-national"),
                "file_name": upload.name,
                "ended_reason": services.ended_reason_national(year),
            },
        )


class NationalListConfirmView(roles.ProvinceRequiredMixin, View):
    def post(self, request):
        form = ConfirmForm(request.POST)
        item = pending.peek(request, request.POST.get("token", "")) if form.is_valid() else None
        taken = pending.take(request, form.cleaned_data["token"], tier=Tier.NATIONAL) if item else None
        if taken is None:
            messages.error(request, _("预览已失效，请重新上传名单。"))
            return redirect("lists-national")
        data, file_name = taken
        try:
            result = services.national_list_import(
                kind=item["kind"],
                year=item["year"],
                data=data,
                file_name=file_name,
                by=request.user,
                expected=form.expected(),
            )
        except DomainError as exc:
            show_reasons(request, exc)
            return redirect("lists-national")
        messages.success(
            request,
            _("国家级名单已导入：新增%(added)d个，移出%(ended)d个，未变%(unchanged)d个。") % result.counts,
        )
        return redirect("lists-national")


class CityReportsView(roles.ProvinceRequiredMixin, View):
    """通知 三: which cities have reported their city-level list for the year, and which are late."""

    def get(self, request):
        year_text = request.GET.get("year", "")
        year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
        year = year or selectors.default_list_year()
        reports = selectors.city_list_reports(year)
        today = timezone.localdate()
        return render(
            request,
            "lists/reports.html",
            {
                "year": year,
                "reports": [(r, r.is_late(today)) for r in reports],
                "reported": sum(r.reported for r in reports),
                "late": sum(r.is_late(today) for r in reports),
            },
        )


# --- public ---------------------------------------------------------------------------------------


class PublicListView(View):
    """The current provincial list (省级绿色低碳工业园区和工厂名单) by city: names the joint
    publications made public, searchable, paginated. No sign-in."""

    def get(self, request):
        q = (request.GET.get("q") or "").strip()[:100]
        qs = ListEntry.objects.public().select_related("city", "county")
        if q:
            qs = selectors.entries_filtered(qs, {"q": q})
        page = Paginator(qs.order_by("city__position", "kind", "unit_name", "pk"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        groups = []
        for entry in page.object_list:
            if not groups or groups[-1]["city"] != entry.city:
                groups.append({"city": entry.city, "entries": []})
            groups[-1]["entries"].append(entry)
        return render(
            request,
            "lists/public.html",
            {"page": page, "groups": groups, "q": q, "total": page.paginator.count},
        )
