from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DynamicConfig(AppConfig):
    name = "dynamic"
    verbose_name = _("动态管理")

    def ready(self):
        # 通知 三: the city's submission carries the 动态管理审核意见; reviews sits beside this app
        # and may not import it, so the rules are contributed to its send transition here.
        from applications.diagram import MACHINES
        from reviews.conditions import dynamic_management_ready

        from . import conditions
        from .diagram import DYNAMIC_FORM

        if DYNAMIC_FORM not in MACHINES:
            MACHINES.append(DYNAMIC_FORM)

        dynamic_management_ready.add(conditions.no_dynamic_form_in_review)
        dynamic_management_ready.add(conditions.has_dynamic_opinions_scan)
