"""Reference data that every batch shares: Zhejiang's cities and county-level divisions, and the
manufacturing divisions of GB/T 4754-2017. Loaded by a data migration from fixtures/*.csv, so every
database — SQLite for `make run`, PostgreSQL for tests and production — has it."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    name = "reference"
    verbose_name = _("基础数据")
