"""Review work above the single application: bureau queues, the city's submission to the
province, expert opinions, publicity, objections and publication."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("审核与公布")
