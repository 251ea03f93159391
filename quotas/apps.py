"""The batch (批次) and its numbers: quotas, the assessor cap, deadlines and their extensions.

Every number and date of the notice lives here as data the province edits; code reads it from the
batch and never spells it out."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotasConfig(AppConfig):
    name = "quotas"
    verbose_name = _("批次与名额")
