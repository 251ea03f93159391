from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    """Units register themselves; the bureaus verify them (county: enterprises, city: parks,
    province: assessors and their groups)."""

    name = "onboarding"
    verbose_name = _("单位注册与核验")
