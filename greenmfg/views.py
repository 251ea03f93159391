from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from applications.models import Application
from quotas.models import Batch


class HomeView(LoginRequiredMixin, TemplateView):
    """The organisation's home: the open batch with its deadlines, and the applications the user
    may see."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        batch = Batch.objects.open().prefetch_related("extensions").first()
        deadline = None
        if batch is not None:
            city = user.organisation.city_id if user.organisation_id else None
            deadline = batch.submission_deadline_for(city) if city else batch.city_submission_deadline
        applications = (
            Application.objects.visible_to(user)
            .select_related("batch", "unit", "city", "county")
            .order_by("-batch__year", "-created_at")[:50]
        )
        return super().get_context_data(
            batch=batch,
            deadline=deadline,
            days_left=(deadline - timezone.localdate()).days if deadline else None,
            applications=applications,
            organisation=user.organisation,
            **kwargs,
        )
