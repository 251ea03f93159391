"""Pages of dynamic management: thin — fetch through the gate, call one service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts import roles
from accounts.roles import ProvinceRequiredMixin
from applications.indicators import dynamic_rows
from applications.uploads import refused
from core.confirm import confirmation_page
from core.downloads import PDF, download
from core.exceptions import DomainError
from core.messages import show_reasons
from core.redirects import safe_next
from quotas.selectors import current_batch

from . import rules, selectors, services
from .confirmations import campaign_confirmation, choice_confirmations, form_confirmation
from .flags import FLAG_LABELS, form_flags
from .forms import (
    AssessorForm,
    ChangeForm,
    DocumentForm,
    FormEditForm,
    FormFilterForm,
    OpinionFilterForm,
    TransitionForm,
)
from .models import DynamicForm, FormChange, FormDocument
from .states import Decision, Opinion

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
        qs = selectors.with_related(qs).order_by("city__position", "kind", "unit_name", "pk")
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        for form in page.object_list:
            form.flags = form_flags(form)
        query = params.copy()
        query.pop("page", None)
        is_bureau = rules.may_review(request.user)
        is_province = roles.is_province(request.user)
        return render(
            request,
            "dynamic/list.html",
            {
                "batch": batch,
                "filters": filters,
                "page": page,
                "query": query.urlencode(),
                "is_bureau": is_bureau,
                "is_province": is_province,
                # The dialog's summary before the campaign is opened or updated.
                "campaign": campaign_confirmation(
                    batch, selectors.campaign_preview(batch), cancel_url=f"{_list_url()}?year={batch.year}"
                )
                if is_province and batch
                else None,
                "overdue": selectors.overdue_forms(request.user, batch) if is_bureau and batch else [],
                "counts": selectors.state_counts(
                    DynamicForm.objects.visible_to(request.user).filter(batch=batch)
                )
                if is_bureau and batch
                else None,
            },
        )


class OpinionListView(ProvinceRequiredMixin, View):
    """通知 一(三): every city's opinions for the province, with filters (year, city, kind, opinion,
    flag, decided or not); beside each opinion its reasons, the on-site evaluation, the signed form
    and the changes' evidence; and the province's decision per unit, which comes back to the same
    filtered page."""

    def get(self, request):
        batch = current_batch(request.GET.get("year"))
        params = request.GET.copy()
        if batch is not None and not params.get("year"):
            params["year"] = str(batch.year)
        params.setdefault("decided", "no")
        filters = OpinionFilterForm(params)
        filters.is_valid()
        qs = selectors.opinions_for(request.user, filters.cleaned_data)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        query = params.copy()
        query.pop("page", None)
        here = query.copy()
        if page.number > 1:
            here["page"] = str(page.number)
        counts_qs = DynamicForm.objects.visible_to(request.user).filter(
            batch=batch, state__in=selectors.WITH_OPINION
        )
        return render(
            request,
            "dynamic/opinions.html",
            {
                "batch": batch,
                "filters": filters,
                "page": page,
                "cards": [
                    (card, *_opinion_actions(card.form, f"{request.path}?{here.urlencode()}"))
                    for card in selectors.opinion_cards(page.object_list)
                ],
                "query": query.urlencode(),
                "next": f"{request.path}?{here.urlencode()}",
                "counts": selectors.opinion_counts(counts_qs) if batch else None,
                "flag_labels": FLAG_LABELS.items(),
            },
        )


def _back_url(request, form) -> str:
    """Where a transition returns (and its confirmation's "cancel" leads): the form's page, or
    the province's opinions page with its filters when the decision was taken there (a path of
    ours only)."""
    nxt = request.POST.get("next", "")
    opinions = reverse("dynamic-opinions")
    if (nxt.startswith(f"{opinions}?") or nxt == opinions) and safe_next(request, nxt, ""):
        return f"{nxt}#form-{form.pk}"
    return reverse("dynamic-form", args=[form.pk])


def _back(request, form):
    return redirect(_back_url(request, form))


def _choices(form, name, choices, *, cancel_url):
    """A form of choices (the city's opinion, the province's decision): each choice as (value,
    label, the id of its confirmation's summary or "" when it is not confirmed), and the
    summaries as (id, Confirmation) for confirm/_step.html."""
    confirms = choice_confirmations(form, name, cancel_url=cancel_url)
    ids = {value: f"confirm-{form.pk}-{name}-{value}" for value in confirms}
    rows = [(value, label, ids.get(value, "")) for value, label in choices]
    return rows, [(ids[value], c) for value, c in confirms.items()]


def _actions(form, options):
    """The form's page: each action the user holds with its confirmation (a destructive one) or,
    for a form of choices, its choices and their summaries."""
    cancel_url = reverse("dynamic-form", args=[form.pk])
    actions = []
    for o in options:
        choices = Opinion.choices if o.opinion else [("", "—"), *Decision.choices] if o.decision else []
        rows, summaries = _choices(form, o.name, choices, cancel_url=cancel_url)
        confirmation = None if summaries else form_confirmation(form, o.name, o.label, cancel_url=cancel_url)
        actions.append((o, confirmation, rows, summaries))
    return actions


def _opinion_actions(form, here):
    """The province's two forms on the opinions page: the decision's choices with 撤销's
    confirmation, and 退回设区市's confirmation."""
    cancel_url = f"{here}#form-{form.pk}"
    rows, summaries = _choices(form, "decide", Decision.choices, cancel_url=cancel_url)
    return rows, summaries, form_confirmation(form, "return_to_city", _("退回设区市"), cancel_url=cancel_url)


class CampaignOpenView(ProvinceRequiredMixin, View):
    """Open or update the year's dynamic management: confirmed first (core.confirm) with the year
    and how many forms it creates, by city; nothing to create is said at once."""

    def post(self, request):
        batch = current_batch(request.POST.get("year"))
        if batch is None:
            raise Http404
        preview = selectors.campaign_preview(batch)
        confirmation = campaign_confirmation(batch, preview, cancel_url=f"{_list_url()}?year={batch.year}")
        if preview.new and (page := confirmation_page(request, confirmation)):
            return page
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
        "options": (options := selectors.transition_options(form, request.user)),
        "actions": _actions(form, options),
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

    def _render(self, request, form, edit, status=200):
        is_unit = rules.is_unit_of(form, request.user)
        assessor_form = (
            AssessorForm(initial={"assessor": form.assessor_id, "assessor_may_fill": form.assessor_may_fill})
            if rules.can_name_assessor(form, request.user)
            else None
        )
        return render(
            request,
            "dynamic/edit.html",
            _detail_context(
                request,
                form,
                edit=edit,
                is_unit=is_unit,
                assessor_form=assessor_form,
                change_form=ChangeForm(),
                document_form=DocumentForm(),
            ),
            status=status,
        )

    def get(self, request, pk):
        form, refusal = self._form(request, pk)
        if refusal:
            return refusal
        return self._render(
            request, form, FormEditForm(form=form, may_pledge=rules.is_unit_of(form, request.user))
        )

    def post(self, request, pk):
        form, refusal = self._form(request, pk)
        if refusal:
            return refusal
        edit = FormEditForm(request.POST, form=form, may_pledge=rules.is_unit_of(form, request.user))
        if edit.is_valid():
            try:
                services.form_update(form, by=request.user, data=edit.data_for_service())
            except DomainError as exc:
                show_reasons(request, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("dynamic-form-edit", pk=form.pk)
        return self._render(request, form, edit, status=400)


class FormAssessorView(LoginRequiredMixin, View):
    """The unit names a third-party assessor and lets it fill the form on its behalf."""

    def post(self, request, pk):
        form = selectors.form_for(request.user, pk)
        data = AssessorForm(request.POST)
        if not data.is_valid():
            _field_errors(request, data)
        else:
            try:
                services.form_assessor_set(
                    form,
                    by=request.user,
                    assessor=data.cleaned_data["assessor"],
                    may_fill=data.cleaned_data["assessor_may_fill"],
                )
            except DomainError as exc:
                show_reasons(request, exc)
            else:
                messages.success(request, _("第三方评价机构已保存。"))
        back = "dynamic-form-edit" if rules.can_edit(form, request.user) else "dynamic-form"
        return redirect(back, pk=form.pk)


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


def _confirmation_step(request, form, cd):
    """A destructive decision (dynamic/confirmations.py) is confirmed first when it could happen
    now (core.confirm: the page without JavaScript, the dialog with it); None: act now (not
    destructive, confirmed, or refused at once by form_transition with its reasons)."""
    option = next((o for o in selectors.transition_options(form, request.user) if o.name == cd["name"]), None)
    if option is None:
        return None
    choice = cd["opinion"] if option.opinion else cd["decision"] if option.decision else ""
    comment = cd["comment"].strip()
    confirmation = form_confirmation(
        form, option.name, option.label, choice=choice, comment=comment, cancel_url=_back_url(request, form)
    )
    if confirmation is None:
        return None
    try:
        services.form_transition_check(
            form,
            name=option.name,
            by=request.user,
            comment=comment,
            opinion=cd["opinion"] or None,
            reasons=cd["reasons"],
            decision=cd["decision"] or None,
        )
    except DomainError:
        return None
    return confirmation_page(request, confirmation)


class FormTransitionView(LoginRequiredMixin, View):
    def post(self, request, pk):
        form = selectors.form_for(request.user, pk)
        data = TransitionForm(request.POST)
        if not data.is_valid():
            _field_errors(request, data)
            return _back(request, form)
        cd = data.cleaned_data
        if (page := _confirmation_step(request, form, cd)) is not None:
            return page
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
        except DomainError as exc:
            if request.POST.get("next"):  # on the opinions page: say which unit it was about
                for reason in exc.reasons:
                    messages.error(request, f"{form.unit_name}：{reason}")
            else:
                show_reasons(request, exc)
        else:
            messages.success(
                request,
                _("%(unit)s：操作成功，当前状态为“%(state)s”。")
                % {"unit": form.unit_name, "state": form.get_state_display()},
            )
        return _back(request, form)
