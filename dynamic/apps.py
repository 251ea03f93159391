from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DynamicConfig(AppConfig):
    name = "dynamic"
    verbose_name = _("动态管理")
