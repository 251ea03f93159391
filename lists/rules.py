"""Who may change which list, in the roles vocabulary (accounts.roles): a city bureau its own
city's city-level list (通知 三); the province the national list and, through joint publication,
the provincial list."""

from accounts import roles

from .models import Tier


def can_manage_city_list(user, city) -> bool:
    """通知 三: each city bureau reports (and keeps) its own city's list."""
    return roles.is_city_bureau(user, city)


def can_import_national_list(user) -> bool:
    return roles.is_province(user)


def can_end_entry(user, entry) -> bool:
    """City-level entries by their city bureau; national entries by the province. Provincial
    entries change only through the province's decisions (publication, dynamic management)."""
    if entry.tier == Tier.CITY:
        return roles.is_city_bureau(user, entry.city_id)
    if entry.tier == Tier.NATIONAL:
        return roles.is_province(user)
    return False
