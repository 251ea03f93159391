"""Organisations and the people who act for them.

This app earns its place because every other app asks the same two questions of a user — which
organisation, and which region — and because the applying units (enterprises, parks) and the
third-party assessors are organisations with profiles of their own that outlive any one batch.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("单位与用户")
