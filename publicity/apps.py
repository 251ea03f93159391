"""Publicity (公示), public objections (异议) and joint publication (联合发文公布), 通知 二(四).

This app earns its place because it is the only part of the portal that faces the public: its
pages need no sign-in, list only what `Application.objects.public()` lets through, and take
objections from anyone. Publicity rounds, objections (with their own small state machine and
history) and publications (with the joint notice PDF) are records of their own that the province
manages here; every change of an application's state still goes through
applications.services.application_transition.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "publicity"
    verbose_name = _("公示与公布")

    def ready(self):
        # publish carries publicity's rule without applications importing publicity.
        from applications.conditions import before_publication

        from .conditions import no_standing_objection

        before_publication.add(no_standing_objection)
        # The publicity round takes its workflow pass at start-up (publicity.services).
        from . import services  # noqa: F401
