from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("申报")

    def ready(self):
        # quotas sits below applications: it counts what its numbers are used for through the
        # counter registered here (quotas/usage.py), and accounts lets drafts follow a unit's
        # corrected region the same way (accounts/services.py).
        from accounts import services as accounts_services
        from quotas import usage

        from . import selectors, services

        usage.register(
            usage.UsageCounter(
                recommended=selectors.recommended_by_city,
                cap_used_by_group=selectors.cap_usage_by_group,
            )
        )
        accounts_services.register_region_follower(services.drafts_follow_unit_region)
