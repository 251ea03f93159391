"""Writes to organisations and their profiles."""

from django.db import transaction
from django.utils.translation import gettext as _

from applications.exceptions import Forbidden

from .models import OrganisationKind


@transaction.atomic
def profile_update(*, organisation, by, profile, name: str, city=None, county=None):
    """Save the unit's profile (企业 / 园区管理机构) together with its name and region.

    The region decides which bureaus review its next application; applications already started
    keep the region they were made with."""
    if by.organisation_id != organisation.pk or organisation.kind not in OrganisationKind.applicants():
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
    return organisation
