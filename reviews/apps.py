"""Review work above the single application: bureau queues, the city's submission to the
province, expert opinions, publicity, objections and publication."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("审核与公布")

    def ready(self):
        # The city's submission takes its workflow pass at start-up (reviews.services).
        from . import services  # noqa: F401
