from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts import roles
from applications.conditions import indicators_complete, reason
from applications.models import Application
from applications.selectors import (
    assessor_group_usage,
    returned_reason,
    transition_options,
)
from applications.states import facts
from core.downloads import download
from dashboard.todos import todos_for
from exports.blank_forms import BLANK_FORMS
from quotas.selectors import open_batch


def _days_left(date):
    return (date - timezone.localdate()).days if date else None


def _profile_problems(org) -> list[str]:
    """What an applying unit still has to fill in before its self-evaluation report can open
    with the unit's information."""
    if roles.organisation_is_enterprise(org):
        profile = getattr(org, "enterprise", None)
        if profile is None:
            return [_("尚未填写单位信息。")]
        needed = [profile.industry_class, profile.legal_representative, profile.contact_name]
    else:
        profile = getattr(org, "park", None)
        if profile is None:
            return [_("尚未填写单位信息。")]
        needed = [profile.management_body, profile.contact_name, profile.value_added_share is not None]
    return [] if all(needed) else [_("单位信息不完整（法定代表人、联系人等）。")]


def next_steps(org, application, user) -> list[dict]:
    """What the applying unit should do next, in order, for the open batch (通知 二(一)–(三))."""
    steps = [{"text": p, "url_name": "profile"} for p in _profile_problems(org)]
    if application is None:
        steps.append({"text": _("发起本批次申报。"), "start": True})
        return steps
    if facts(application.state).applicant_may_edit:
        # The missing indicators are one of submit's blocking reasons (conditions.indicators_complete);
        # that one links to the indicators form, the others to the summary page.
        indicators_reason = reason(indicators_complete, application)
        option = next((o for o in transition_options(application, user) if o.name == "submit"), None)
        for text in option.reasons if option else []:
            url_name = "application-edit" if text == indicators_reason else "application-submit"
            steps.append({"text": text, "url_name": url_name})
        steps.append({"text": _("核对汇总页后提交审核。"), "url_name": "application-submit"})
    else:
        steps.append({"text": str(facts(application.state).applicant_label)})
    return steps


class HomeView(TemplateView):
    """The organisation's home: the open batch with its deadlines and days left, the applications
    the user may see with their states, and — for an applying unit — what to do next. Signed
    out: the public front door."""

    template_name = "home.html"

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return render(request, "front.html", front_context())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        org = user.organisation if user.organisation_id else None
        batch = open_batch()
        deadline = None
        if batch is not None:
            city = org.city_id if org else None
            deadline = batch.submission_deadline_for(city) if city else batch.city_submission_deadline
        applications = (
            Application.objects.visible_to(user)
            .select_related("batch", "unit", "city", "county", "assessor__organisation")
            # Newest first: a batch's applications are created in its year, so this is also the
            # batches' order, read from the application_created index without sorting a join.
            .order_by("-created_at", "-pk")[:50]
        )
        context = {
            "batch": batch,
            "deadline": deadline,
            "days_left": _days_left(deadline),
            "list_days_left": _days_left(batch.city_list_deadline) if batch else None,
            "applications": applications,
            "organisation": org,
            "is_applicant": roles.is_applicant_unit(user),
            "todos": todos_for(user, batch),
        }
        if context["is_applicant"] and batch is not None:
            current = (
                Application.objects.visible_to(user)
                .select_related("batch", "unit", "assessor__group")
                .filter(batch=batch)
                .first()
            )
            context.update(
                current=current,
                steps=next_steps(org, current, user),
                returned_reason=returned_reason(current) if current else "",
            )
        if roles.is_assessor(user) and batch is not None:
            group = org.assessor.group
            context["cap"] = {
                "group": group,
                "used": assessor_group_usage(batch, group),
                "cap": batch.assessor_cap,
            }
        return super().get_context_data(**context, **kwargs)


class HealthView(View):
    """For the web server and the load balancer (deploy/nginx, docs/deploy.md): 200 when this app
    server can answer and reach its database, 503 when it cannot. No sign-in; it shows nothing
    but that."""

    def get(self, request):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception:  # any database failure is "not healthy", never a 500 page
            return JsonResponse({"status": "unavailable", "database": False}, status=503)
        return JsonResponse({"status": "ok", "database": True})


def front_context() -> dict:
    """The public front door: what the portal is, the current batch with its notice, deadlines
    and contacts, how to take part, the blank forms of the notice."""
    batch = open_batch()
    return {
        "batch": batch,
        "days_left": _days_left(batch.city_submission_deadline) if batch else None,
        "contacts": batch.contacts if batch else [],
        "blank_forms": [(name, filename) for name, (_fn, filename, _type) in BLANK_FORMS.items()],
    }


class BlankFormView(View):
    """A blank form of the notice (public), generated for the open batch."""

    def get(self, request, name):
        batch = open_batch()
        if name not in BLANK_FORMS or batch is None:
            raise Http404
        function, filename, content_type = BLANK_FORMS[name]
        return download(function(batch), filename=str(filename), content_type=content_type)
