"""Pages of dynamic management: thin — fetch through the gate, call one service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts import roles
from accounts.roles import ProvinceRequiredMixin
from applications.indicators import dynamic_rows
from applications.uploads import refused
from core.downloads import PDF, download
from core.exceptions import DomainError, InvalidInput
from core.messages import show_reasons
from quotas.selectors import current_batch

from . import rules, selectors, services
from .flags import FLAG_LABELS, form_flags
from .forms import ChangeForm, DocumentForm, FormEditForm, FormFilterForm, TransitionForm
from .models import DynamicForm, FormChange, FormDocument
from .states import Opinion

PAGE_SIZE = 50


def _field_errors(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


class FormListView(LoginRequiredMixin, View):
    """Units: their forms. Bureaus: their region's forms with filters (year, state, kind, city,
    opinion, flag), the overdue ones listed first; the province also opens the year's campaign."""

    def get(self, request):
        if not rules.may_see_forms(request.user):
            raise Http404
        batch = current_batch(request.GET.get("year"))
        params = request.GET.copy()
        if batch is not None and not params.get("year"):
            params["year"] = str(batch.year)
        filters = FormFilterForm(params)
        filters.is_valid()
        qs = selectors.forms_filtered(DynamicForm.objects.visible_to(request.user), filters.cleaned_data)
        flag = filters.cleaned_data.get("flag") or ""
        qs = selectors.with_related(qs).order_by("city__position", "kind", "unit_name", "pk")
        if flag:
            rows = selectors.with_flag(qs, flag)
            page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        else:
            page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        for form in page.object_list:
            form.flags = form_flags(form)
        query = params.copy()
        query.pop("page", None)
        is_bureau = rules.may_review(request.user)
        return render(
            request,
            "dynamic/list.html",
            {
                "batch": batch,
                "filters": filters,
                "page": page,
                "query": query.urlencode(),
                "is_bureau": is_bureau,
                "is_province": roles.is_province(request.user),
                "overdue": selectors.overdue_forms(request.user, batch) if is_bureau and batch else [],
                "counts": selectors.state_counts(
                    DynamicForm.objects.visible_to(request.user).filter(batch=batch)
                )
                if is_bureau and batch
                else None,
            },
        )


class CampaignOpenView(ProvinceRequiredMixin, View):
    def post(self, request):
        batch = current_batch(request.POST.get("year"))
        if batch is None:
            raise Http404
        try:
            created = services.campaign_open(batch=batch, by=request.user)
        except DomainError as exc:
            show_reasons(request, exc)
        else:
            messages.success(
                request,
                _("%(year)d年度动态管理已开启，新生成%(n)d份动态管理表。")
                % {"year": batch.year, "n": created},
            )
        return redirect(f"{_list_url()}?year={batch.year}")


def _list_url():
    from django.urls import reverse

    return reverse("dynamic-forms")


class FormDetailView(LoginRequiredMixin, View):
    """One form: identity against the list entry, declared changes with evidence, compliance,
    indicators, documents, the flags, the history, and the actions the user holds."""

    def get(self, request, pk):
        form = selectors.form_for(request.user, pk)
        return render(request, "dynamic/detail.html", _detail_context(request, form))


def _detail_context(request, form, **extra):
    return {
        "form": form,
        "entry": form.entry,
        "flags": form_flags(form),
        "flag_labels": FLAG_LABELS.items(),
        "opinions": Opinion.choices,
        "changes": form.declared_changes(),
        "documents": list(form.documents.all()),
        "indicator_rows": dynamic_rows(form.kind, form.batch, form.indicators),
        "history": form.history.select_related("actor"),
        "options": selectors.transition_options(form, request.user),
        "can_edit": rules.can_edit(form, request.user),
        "is_city": rules.is_city_bureau_of(form, request.user),
        "unit_label": selectors.unit_label(form),
        "upload_limit": settings.UPLOAD_MAX_BYTES,
        **extra,
    }


class FormEditView(LoginRequiredMixin, View):
    def _form(self, request, pk):
        form = selectors.form_for(request.user, pk)
        if not rules.can_edit(form, request.user):
            messages.error(request, _("动态管理表已提交或您不是该单位，不能修改。"))
            return form, redirect("dynamic-form", pk=form.pk)
        return form, None

    def get(self, request, pk):
        form, refusal = self._form(request, pk)
        if refusal:
            return refusal
        return render(
            request,
            "dynamic/edit.html",
            _detail_context(
                request,
                form,
                edit=FormEditForm(form=form),
                change_form=ChangeForm(),
                document_form=DocumentForm(),
            ),
        )

    def post(self, request, pk):
        form, refusal = self._form(request, pk)
        if refusal:
            return refusal
        edit = FormEditForm(request.POST, form=form)
        if edit.is_valid():
            try:
                services.form_update(form, by=request.user, data=edit.data_for_service())
            except DomainError as exc:
                show_reasons(request, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("dynamic-form-edit", pk=form.pk)
        return render(
            request,
            "dynamic/edit.html",
            _detail_context(request, form, edit=edit, change_form=ChangeForm(), document_form=DocumentForm()),
            status=400,
        )


class ChangeAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        form = selectors.form_for(request.user, pk)
        data = ChangeForm(request.POST, request.FILES)
        if too_large := refused(request).get("evidence"):
            messages.error(request, too_large)
        elif data.is_valid():
            try:
                services.form_change_add(
                    form=form,
                    by=request.user,
                    field=data.cleaned_data["field"],
                    new_value=data.cleaned_data["new_value"],
                    changed_on=data.cleaned_data["changed_on"],
                    upload=data.cleaned_data["evidence"],
                )
            except DomainError as exc:
                show_reasons(request, exc)
            else:
                messages.success(request, _("已添加变更事项。"))
        else:
            _field_errors(request, data)
        return redirect("dynamic-form-edit", pk=form.pk)


class ChangeRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk, change_pk):
        form = selectors.form_for(request.user, pk)
        change = FormChange.objects.filter(form=form, pk=change_pk).first()
        if change is None:
            raise Http404
        try:
            services.form_change_remove(change=change, by=request.user)
        except DomainError as exc:
            show_reasons(request, exc)
        return redirect("dynamic-form-edit", pk=form.pk)


class DocumentUploadView(LoginRequiredMixin, View):
    def post(self, request, pk):
        form = selectors.form_for(request.user, pk)
        data = DocumentForm(request.POST, request.FILES)
        if too_large := refused(request).get("file"):
            messages.error(request, too_large)
        elif data.is_valid():
            try:
                services.form_document_upload(
                    form=form,
                    kind=data.cleaned_data["kind"],
                    upload=data.cleaned_data["file"],
                    by=request.user,
                )
            except DomainError as exc:
                show_reasons(request, exc)
            else:
                messages.success(request, _("已上传。"))
        else:
            _field_errors(request, data)
        back = "dynamic-form-edit" if rules.can_edit(form, request.user) else "dynamic-form"
        return redirect(back, pk=form.pk)


class DocumentDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk, document_pk):
        form = selectors.form_for(request.user, pk)
        document = FormDocument.objects.filter(form=form, pk=document_pk).first()
        if document is None:
            raise Http404
        return download(
            document.file.open("rb"), filename=document.original_name, content_type=PDF, inline=True
        )


class FormTransitionView(LoginRequiredMixin, View):
    def post(self, request, pk):
        form = selectors.form_for(request.user, pk)
        data = TransitionForm(request.POST)
        if not data.is_valid():
            _field_errors(request, data)
            return redirect("dynamic-form", pk=form.pk)
        cd = data.cleaned_data
        try:
            services.form_transition(
                form,
                name=cd["name"],
                by=request.user,
                comment=cd["comment"],
                opinion=cd["opinion"] or None,
                reasons=cd["reasons"],
                evaluation_on=cd["evaluation_on"],
                evaluation_findings=cd["evaluation_findings"]
                if "evaluation_findings" in request.POST
                else None,
                decision=cd["decision"] or None,
            )
        except InvalidInput as exc:
            show_reasons(request, exc)
        except DomainError as exc:
            show_reasons(request, exc)
        else:
            messages.success(request, _("操作成功：%(state)s") % {"state": form.get_state_display()})
        return redirect("dynamic-form", pk=form.pk)
