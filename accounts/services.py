"""Writes to organisations and their profiles."""

from django.db import transaction
from django.utils.translation import gettext as _

from applications.exceptions import Forbidden

from .models import OrganisationKind


def _identity_changed(organisation, profile, name, city, county) -> bool:
    saved = type(organisation).objects.get(pk=organisation.pk)
    if name.strip() != saved.name:
        return True
    if county is not None and county.pk != saved.county_id:
        return True
    if county is None and city is not None and city.pk != saved.city_id:
        return True
    code = getattr(profile, "credit_code", None)
    if code is not None and profile.pk:
        old = type(profile).objects.filter(pk=profile.pk).values_list("credit_code", flat=True).first()
        return old is not None and old != code
    return False


@transaction.atomic
def profile_update(*, organisation, by, profile, name: str, city=None, county=None):
    """Save the unit's profile (企业 / 园区管理机构) together with its name and region.

    The region decides which bureaus review the unit's application (通知 二(二))."""
    if by.organisation_id != organisation.pk or organisation.kind not in OrganisationKind.applicants():
        raise Forbidden(_("只能修改本单位的信息。"))
    if organisation.is_verified and _identity_changed(organisation, profile, name, city, county):
        raise Forbidden(_("单位名称、统一社会信用代码和所在地区已核验，变更须提交“单位信息变更申请”。"))
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
    # A draft has not reached any bureau yet: it follows the unit's corrected region. Anything
    # submitted keeps the region its reviewers saw.
    from applications.models import Application
    from applications.states import ApplicationState

    Application.objects.filter(unit=organisation, state=ApplicationState.DRAFT).update(
        city_id=organisation.city_id, county_id=organisation.county_id
    )
    return organisation
