"""Registration (anonymous) and the bureaus' verification queue: thin views over services."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts import roles
from accounts.models import Verification
from accounts.people import AccountError
from applications.confirmations import unit_decision_confirmation
from applications.uploads import refused
from core.addresses import client_address
from core.confirm import Confirmation, ConfirmValue, confirmation_page
from core.exceptions import DomainError
from lists import selectors as lists_selectors

from . import identity, selectors, services
from .forms import FORMS, DecisionForm, IdentityChangeForm, JoinRequestForm

KIND_TITLES = {
    "enterprise": _("企业注册"),
    "park": _("园区管理机构注册"),
    "assessor": _("第三方评价机构注册"),
}


class RegisterChooseView(TemplateView):
    template_name = "onboarding/choose.html"


class RegisterView(View):
    template_name = "onboarding/register.html"

    def _form_class(self, kind):
        if kind not in FORMS:
            raise Http404
        return FORMS[kind]

    def _render(self, request, kind, form, status=200):
        return render(
            request,
            self.template_name,
            {"form": form, "kind": kind, "title": KIND_TITLES[kind]},
            status=status,
        )

    def get(self, request, kind):
        return self._render(request, kind, self._form_class(kind)())

    def post(self, request, kind):
        form = self._form_class(kind)(request.POST, request.FILES)
        for field, reason in refused(request).items():
            form.add_error(field if field in form.fields else None, reason)
        if not form.is_valid():
            return self._render(request, kind, form)
        try:
            user = services.registration_submit(
                kind=kind, data=form.cleaned_data, document=form.cleaned_data["document"]
            )
        except DomainError as exc:
            form.add_error("document", str(exc))
            return self._render(request, kind, form)
        except AccountError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            return self._render(request, kind, form)
        return render(request, "onboarding/registered.html", {"email": user.email, "org": user.organisation})


class JoinRequestView(View):
    template_name = "onboarding/join.html"

    def get(self, request):
        return render(
            request,
            self.template_name,
            {"form": JoinRequestForm(initial={"code": request.GET.get("code", "")})},
        )

    def post(self, request):
        form = JoinRequestForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        try:
            services.join_request(**form.cleaned_data, ip_address=client_address(request))
        except services.TooManyJoinRequests as exc:
            form.add_error(exc.field, str(exc))
            return render(request, self.template_name, {"form": form}, status=exc.status)
        # The same answer whether or not the code is registered: the page does not confirm who is.
        return render(request, self.template_name, {"sent": True})


class VerificationQueueView(roles.VerifierRequiredMixin, View):
    """注册核验: the registrations of the bureau's region, pending first."""

    template_name = "onboarding/queue.html"

    def get(self, request):
        state = request.GET.get("state", Verification.PENDING)
        if state not in Verification.values:
            state = Verification.PENDING
        rows = list(selectors.queue(request.user, state)[:500])
        listings = lists_selectors.unit_entries_of(rows)
        for row in rows:
            row.listing = listings[row.pk]
        tabs = [(value, label) for value, label in Verification.choices]
        changes = identity.changes_to_decide(request.user).select_related("organisation", "county", "city")
        return render(
            request,
            self.template_name,
            {"rows": rows, "state": state, "tabs": tabs, "changes": list(changes)},
        )


def refusal_confirmation(org, comment: str = "") -> Confirmation:
    """不予通过 a registration, in words (core.confirm): the unit, what follows for it, and the
    reason it will read (on the page the one posted; in the dialog what is typed in the field)."""
    confirmation = unit_decision_confirmation(
        org.name,
        _("不予通过"),
        _(
            "该单位的管理员将收到通知和理由；核验通过前该单位不能提交申报，按理由修改单位信息后可重新提交核验。"
        ),
        cancel_url=reverse("verification-detail", args=[org.pk]),
    )
    confirmation.values.append(ConfirmValue(_("理由："), "comment", comment.strip()))
    return confirmation


class VerificationDetailView(roles.VerifierRequiredMixin, View):
    """One registration: the unit, its people and documents; 核验通过 at once, 不予通过 confirmed
    first (with the reason) when it could happen, and refused at once with its reason otherwise."""

    template_name = "onboarding/detail.html"

    def _render(self, request, org, form):
        return render(
            request,
            self.template_name,
            {
                "org": org,
                "form": form,
                "confirmation": refusal_confirmation(org),
                "documents": org.registration_documents.select_related("uploaded_by__organisation"),
                "people": org.users.all(),
                "logs": org.verification_logs.select_related("actor"),
                "listing": lists_selectors.unit_entries_of([org])[org.pk],
            },
        )

    def get(self, request, pk):
        return self._render(request, selectors.registration_for(request.user, pk), DecisionForm())

    def post(self, request, pk):
        org = selectors.registration_for(request.user, pk)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self._render(request, org, form)
        try:
            if request.POST.get("decision") == "verify":
                services.organisation_verify(org, by=request.user, comment=form.cleaned_data["comment"])
                messages.success(request, _("已核验通过%(org)s。") % {"org": org.name})
            else:
                comment = services.organisation_refuse_check(
                    org, by=request.user, comment=form.cleaned_data["comment"]
                )
                if page := confirmation_page(request, refusal_confirmation(org, comment)):
                    return page
                services.organisation_refuse(org, by=request.user, comment=comment)
                messages.success(request, _("已退回%(org)s的注册。") % {"org": org.name})
        except AccountError as exc:
            if exc.field:  # the reason is missing: said beside the field
                form.add_error(exc.field, str(exc))
                return self._render(request, org, form)
            # Decided meanwhile (the form is gone from the page): the page says so.
            messages.error(request, str(exc))
            return redirect("verification-detail", pk=org.pk)
        return redirect("verification-queue")


class RegistrationDocumentView(LoginRequiredMixin, View):
    def get(self, request, pk, document_pk):
        document = selectors.document_for(request.user, pk, document_pk)
        response = FileResponse(
            document.file.open("rb"), content_type="application/pdf", filename=document.original_name
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ResubmitView(LoginRequiredMixin, View):
    def post(self, request):
        try:
            services.organisation_resubmit(by=request.user)
        except AccountError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已重新提交核验。"))
        return redirect("home")


class IdentityChangeRequestView(roles.IdentityChangeRequiredMixin, View):
    """单位信息变更申请: a verified unit's administrator asks to change name, code or region."""

    template_name = "onboarding/identity_request.html"

    def _render(self, request, form):
        org = request.user.organisation
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "changes": org.identity_changes.select_related("county", "city").order_by("-requested_at"),
            },
        )

    def get(self, request):
        return self._render(request, IdentityChangeForm(organisation=request.user.organisation))

    def post(self, request):
        form = IdentityChangeForm(request.POST, organisation=request.user.organisation)
        if not form.is_valid():
            return self._render(request, form)
        try:
            identity.identity_change_request(by=request.user, **form.cleaned_data)
        except AccountError as exc:
            form.add_error(None, str(exc))
            return self._render(request, form)
        messages.success(request, _("变更申请已提交，审核同意后生效。"))
        return redirect("identity-change")


def requested_change(change) -> list[str]:
    """The change a unit asks for, one line per fact (name, code, region): old → new."""
    org = change.organisation
    lines = [_("名称：%(old)s → %(new)s") % {"old": change.old_name, "new": change.name}]
    if change.credit_code:
        lines.append(
            _("统一社会信用代码：%(old)s → %(new)s")
            % {"old": change.old_credit_code, "new": change.credit_code}
        )
    if change.county_id:
        old, new = f"{org.city}{org.county or ''}", f"{change.county.city}{change.county}"
    elif change.city_id:
        old, new = str(org.city), str(change.city)
    else:
        return lines
    lines.append(_("所在地区：%(old)s → %(new)s") % {"old": old, "new": new})
    return lines


def identity_refusal_confirmation(change, comment: str = "") -> Confirmation:
    """不同意 a unit's identity change, in words (core.confirm), as a registration's 不予通过: the
    unit, the change it asked for, what follows for it, and the reason it will read."""
    confirmation = unit_decision_confirmation(
        change.organisation.name,
        _("不同意"),
        _("以下变更不会生效，单位信息保持不变；该单位的管理员将收到通知和理由，可按理由重新提交变更申请。"),
        cancel_url=reverse("identity-change-detail", args=[change.pk]),
    )
    confirmation.items = requested_change(change)
    confirmation.values.append(ConfirmValue(_("理由："), "comment", comment.strip()))
    return confirmation


class IdentityChangeDetailView(LoginRequiredMixin, View):
    """One identity change to decide (only its deciders find it): 同意变更 at once, 不同意
    confirmed first (with the reason) when it could happen, refused at once with its reason
    otherwise — as a registration's 不予通过."""

    template_name = "onboarding/identity_detail.html"

    def _render(self, request, change, form):
        return render(
            request,
            self.template_name,
            {"change": change, "form": form, "confirmation": identity_refusal_confirmation(change)},
        )

    def get(self, request, pk):
        return self._render(request, identity.change_for(request.user, pk), DecisionForm())

    def post(self, request, pk):
        change = identity.change_for(request.user, pk)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self._render(request, change, form)
        approve = request.POST.get("decision") == "approve"
        comment = form.cleaned_data["comment"]
        try:
            if not approve:
                comment = identity.identity_change_refuse_check(change, by=request.user, comment=comment)
                if page := confirmation_page(request, identity_refusal_confirmation(change, comment)):
                    return page
            identity.identity_change_decide(change, by=request.user, approve=approve, comment=comment)
        except AccountError as exc:
            if exc.field:  # the reason is missing: said beside the field
                form.add_error(exc.field, str(exc))
                return self._render(request, change, form)
            # Decided meanwhile (the change is no longer to decide, its page is gone): the queue
            # says so.
            messages.error(request, str(exc))
            return redirect("verification-queue")
        messages.success(request, _("已处理变更申请。"))
        return redirect("verification-queue")
