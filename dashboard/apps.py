from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The province's overview of a batch: reads across applications, quotas, assessors and the
    reference data; it owns no models and writes nothing."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboard"
    verbose_name = _("数据看板")
