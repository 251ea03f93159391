"""The green-manufacturing lists (绿色制造名单): city-level, provincial and national entries.

The lists are the data the notice turns on: only units on their city's list may be recommended
(通知 一(二)); cities report their list every year (通知 三); joint publication puts units on the
provincial list; units on the national list are brought under provincial management (通知 一(三)).
This app sits below applications: eligibility reads it, it never reads applications."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListsConfig(AppConfig):
    name = "lists"
    verbose_name = _("绿色制造名单")

    def ready(self):
        # A listed unit may have no account when its city reports it; once it signs in, its
        # entries are linked to it (matched by credit code, or a park by name within its city).
        # Sign-in lives in accounts, below this app, so Django's own signal is the hook.
        from django.contrib.auth.signals import user_logged_in

        from .services import link_on_sign_in

        user_logged_in.connect(link_on_sign_in, dispatch_uid="lists-link-on-sign-in")
