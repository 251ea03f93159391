"""API limits, imported by DRF's settings (so nothing here imports DRF's views): throttles whose
rates are settings. (Pagination, with its ceiling: core/api_pagination.py, where the apps'
viewsets can reach it.)"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _SettingsRate:
    """The rate is read from settings.API_THROTTLE_RATES when a request is throttled, so it can be
    set per deployment (and per test) without re-importing DRF."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]


class AnonThrottle(_SettingsRate, AnonRateThrottle):
    pass


class UserThrottle(_SettingsRate, UserRateThrottle):
    pass
