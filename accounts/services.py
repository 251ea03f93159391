"""Writes to organisations and their profiles."""

from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import Forbidden

from . import roles


@transaction.atomic
def profile_update(*, organisation, by, profile, name: str, city=None, county=None):
    """Save the unit's profile (企业 / 园区管理机构) together with its name and region.

    The region decides which bureaus review the unit's application (通知 二(二))."""
    if by.organisation_id != organisation.pk or not roles.organisation_is_applicant(organisation):
        raise Forbidden(_("只能修改本单位的信息。"))
    organisation.name = name.strip()
    if county is not None:
        organisation.county = county
        organisation.city_id = county.city_id
    elif city is not None:
        if organisation.county_id and organisation.county.city_id != city.pk:
            organisation.county = None
        organisation.city = city
    organisation.save()
    profile.organisation = organisation
    profile.save()
    for follow in _region_followers:
        follow(organisation)
    return organisation


# Records of the apps above accounts that keep a copy of a unit's region (an application's draft)
# follow a corrected region through these functions, registered at start-up (AppConfig.ready):
# accounts never imports the apps above it.
_region_followers: list[Callable] = []


def register_region_follower(follow: Callable) -> None:
    """`follow(organisation)` runs inside profile_update's transaction."""
    if follow not in _region_followers:
        _region_followers.append(follow)
