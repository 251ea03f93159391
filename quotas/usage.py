"""How much of a batch's numbers is already taken: recommendations against the cities' quotas
(通知 三, Annex 1) and evaluations against the assessor cap (通知 二(一)).

The counting rules belong to the applications (applications/selectors.py and the state table).
quotas sits below applications, so the applications app registers its counter here when Django
starts (ApplicationsConfig.ready) and quotas asks through this module; it never imports
applications (docs/decisions/0008-layers-and-roles.md)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Recommended:
    """Per city code, the recommendations counted against the city's quota."""

    factories: dict[str, int]
    parks: dict[str, int]


@dataclass(frozen=True)
class UsageCounter:
    recommended: Callable[..., Recommended]  # (batch) -> Recommended, one query
    cap_used_by_group: Callable[..., dict[int, int]]  # (batch) -> {assessor group pk: evaluations}


_counter: UsageCounter | None = None


def register(counter: UsageCounter) -> None:
    global _counter
    _counter = counter


def counter() -> UsageCounter:
    if _counter is None:
        raise ImproperlyConfigured("No usage counter registered: is the applications app installed?")
    return _counter
