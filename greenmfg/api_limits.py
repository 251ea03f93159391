"""API limits, imported by DRF's settings (so nothing here imports DRF's views): one pagination
with a ceiling, and throttles whose rates are settings."""

from django.conf import settings
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class Pagination(LimitOffsetPagination):
    """?limit= and ?offset=; a limit above API_MAX_LIMIT is clamped to it (never a database
    error), an offset past the end is an empty page."""

    @property
    def default_limit(self):
        return settings.API_PAGE_SIZE

    @property
    def max_limit(self):
        return settings.API_MAX_LIMIT


class _SettingsRate:
    """The rate is read from settings.API_THROTTLE_RATES when a request is throttled, so it can be
    set per deployment (and per test) without re-importing DRF."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]


class AnonThrottle(_SettingsRate, AnonRateThrottle):
    pass


class UserThrottle(_SettingsRate, UserRateThrottle):
    pass
