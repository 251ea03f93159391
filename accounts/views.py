"""The applying unit's own profile page: thin — pick the form, call the service, render."""

from axes.models import AccessAttempt
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View

from . import people, roles
from .forms import BureauAdminForm, EnterpriseProfileForm, InviteForm, ParkProfileForm, PasswordResetAnyForm
from .models import Enterprise, Organisation, OrgRole, Park, User
from .services import profile_update
from .tokens import token_revoke


def _form_for(user, data=None):
    if not roles.is_applicant_unit(user):
        raise Http404
    org = user.organisation
    if roles.is_enterprise(user):
        instance = Enterprise.objects.filter(pk=org.pk).first() or Enterprise(organisation=org)
        return EnterpriseProfileForm(data, instance=instance, organisation=org)
    instance = Park.objects.filter(pk=org.pk).first() or Park(organisation=org)
    return ParkProfileForm(data, instance=instance, organisation=org)


class ProfileView(LoginRequiredMixin, View):
    """本单位信息: the enterprise's or park's profile (the self-evaluation report opens with it)."""

    template_name = "accounts/profile.html"

    def get(self, request):
        return render(request, self.template_name, {"form": _form_for(request.user)})

    def post(self, request):
        form = _form_for(request.user, request.POST)
        if not form.is_valid():
            messages.error(request, _("信息未保存，请按提示修改标红的项目。"))
            return render(request, self.template_name, {"form": form}, status=200)
        profile_update(
            organisation=form.organisation,
            by=request.user,
            profile=form.instance,
            name=form.cleaned_data["name"],
            city=form.cleaned_data.get("city"),
            county=form.cleaned_data.get("county"),
        )
        messages.success(request, _("单位信息已保存。"))
        return redirect("profile")


# Signing in and out, passwords ----------------------------------------------------------------


class SignOutView(auth_views.LogoutView):
    """Signing out also revokes the user's API token."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            token_revoke(request.user)
        return super().post(request, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetAnyForm


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The link from a registration or invitation mail: the person chooses a password."""

    template_name = "registration/password_set.html"
    success_url = reverse_lazy("password_reset_complete")


# The organisation's people -----------------------------------------------------------------


class MembersView(roles.OrgAdminRequiredMixin, View):
    """本单位人员: invite colleagues, change their role, deactivate them."""

    template_name = "accounts/members.html"

    def _render(self, request, form, status=200):
        members = User.objects.filter(organisation_id=request.user.organisation_id).order_by(
            "-is_active", "org_role", "full_name", "pk"
        )
        return render(
            request,
            self.template_name,
            {"form": form, "members": members, "roles": OrgRole.choices},
            status=status,
        )

    def get(self, request):
        return self._render(request, InviteForm())

    def post(self, request):
        action = request.POST.get("action")
        try:
            if action == "invite":
                form = InviteForm(request.POST)
                if not form.is_valid():
                    return self._render(request, form)
                try:
                    user = people.member_invite(by=request.user, **form.cleaned_data)
                except people.AccountError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, str(exc))
                    return self._render(request, form)
                messages.success(request, _("已向%(email)s发送邀请邮件。") % {"email": user.email})
            elif action == "role":
                people.member_set_role(
                    by=request.user, user_pk=_int(request.POST.get("user")), role=request.POST.get("role", "")
                )
                messages.success(request, _("角色已更新。"))
            elif action in ("deactivate", "activate"):
                people.member_set_active(
                    by=request.user, user_pk=_int(request.POST.get("user")), active=action == "activate"
                )
                messages.success(request, _("账号已停用。") if action == "deactivate" else _("账号已启用。"))
            else:
                messages.error(request, _("未知操作。"))
        except User.DoesNotExist:
            raise Http404 from None
        except people.AccountError as exc:
            messages.error(request, str(exc))
        return redirect("members")


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


class BureauAdminsView(LoginRequiredMixin, View):
    """The level above creates bureau administrators: the province for the city bureaus, a city
    bureau's administrator for its county bureaus."""

    template_name = "accounts/bureau_admins.html"

    def _bureaus(self, request):
        q = roles.bureaus_administered_q(request.user)
        if q is None:
            raise Http404
        return (
            Organisation.objects.filter(q).select_related("city", "county").order_by("kind", "city", "county")
        )

    def _render(self, request, form):
        bureaus = self._bureaus(request)
        admins = User.objects.filter(organisation__in=bureaus, org_role=OrgRole.ADMIN).select_related(
            "organisation"
        )
        by_org = {}
        for a in admins:
            by_org.setdefault(a.organisation_id, []).append(a)
        rows = [(b, by_org.get(b.pk, [])) for b in bureaus]
        return render(request, self.template_name, {"form": form, "rows": rows})

    def get(self, request):
        return self._render(request, BureauAdminForm(bureaus=self._bureaus(request)))

    def post(self, request):
        form = BureauAdminForm(request.POST, bureaus=self._bureaus(request))
        if not form.is_valid():
            return self._render(request, form)
        try:
            user = people.bureau_admin_create(by=request.user, **form.cleaned_data)
        except people.AccountError as exc:
            form.add_error("email", str(exc))
            return self._render(request, form)
        messages.success(
            request, _("已为%(org)s开通管理员账号，设置密码的邮件已发出。") % {"org": user.organisation.name}
        )
        return redirect("bureau-admins")


class LockoutsView(roles.LockoutsRequiredMixin, View):
    """Accounts locked after repeated wrong passwords, for the bureau administrator of their
    region or the province to unlock."""

    template_name = "accounts/lockouts.html"

    def get(self, request):
        attempts = list(people.locked_attempts(request.user)[:200])
        users = {
            u.username: u
            for u in User.objects.filter(username__in=[a.username for a in attempts]).select_related(
                "organisation"
            )
        }
        rows = [(a, users.get(a.username)) for a in attempts]
        return render(request, self.template_name, {"rows": rows})

    def post(self, request):
        try:
            people.lockout_lift(by=request.user, attempt_pk=_int(request.POST.get("attempt")))
        except AccessAttempt.DoesNotExist:
            raise Http404 from None
        except people.AccountError as exc:
            messages.error(request, str(exc))
            return redirect("lockouts")
        messages.success(request, _("已解除锁定。"))
        return redirect("lockouts")


class InboxView(LoginRequiredMixin, View):
    """站内消息: every notification mail, also here; mark read one by one or all at once."""

    template_name = "accounts/inbox.html"

    def get(self, request):
        inbox = request.user.inbox.all()[:200]
        return render(request, self.template_name, {"inbox": inbox})

    def post(self, request):
        pk = request.POST.get("message")
        people.inbox_mark_read(by=request.user, message_pk=_int(pk) if pk else None)
        return redirect("inbox")
