"""The applying unit's own profile page: thin — pick the form, call the service, render."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from . import roles
from .forms import EnterpriseProfileForm, ParkProfileForm
from .models import Enterprise, Park
from .services import profile_update


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
