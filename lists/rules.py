"""Who may change which list (role plus region): a city bureau its own city's city-level list
(通知 三); the province the national list and, through joint publication, the provincial list."""

from accounts import roles

is_province_user = roles.is_province
is_city_bureau_user = roles.is_city_bureau
# The bureaus: the province, city and county bureaus read the lists of their region.
is_list_reader = roles.is_bureau


def can_manage_city_list(user, city) -> bool:
    """通知 三: each city bureau reports (and keeps) its own city's list."""
    city_code = city if isinstance(city, str) else getattr(city, "code", None)
    return roles.is_city_bureau(user, city_code)


def can_import_national_list(user) -> bool:
    return is_province_user(user)


def can_end_entry(user, entry) -> bool:
    """City-level entries by their city bureau; national entries by the province. Provincial
    entries change only through the province's decisions (publication, dynamic management)."""
    if entry.tier == "city":
        return can_manage_city_list(user, entry.city_id)
    if entry.tier == "national":
        return is_province_user(user)
    return False
