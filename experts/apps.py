"""Expert review (专家评审, 通知 二(四)): the province assigns invited experts to applications in
provincial review, each expert records one opinion per application, and the province reads them
side by side before it decides.

This app earns its place because expert review has its own people (experts are neither bureaus
nor applicants), its own records (assignments and opinions, which outlive the decision) and its
own pages; none of it changes an application's state — the province's decision goes through
applications.services.application_transition like every other.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("专家评审")

    def ready(self):
        # start_publicity carries expert review's rule without applications importing experts.
        from applications.conditions import before_publicity

        from .conditions import every_assigned_expert_has_given_an_opinion

        before_publicity.add(every_assigned_expert_has_given_an_opinion)
