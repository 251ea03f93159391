"""Who a user is, as composable predicates: organisation kind, region and role in the organisation.

Views, services and rules of every app ask these functions; no other module compares organisation
kinds. (Issue 12's part: organisation administrators, verifiers, unlocking, bureau administrators.)
"""

from django.db.models import Q

from .models import OrganisationKind as K
from .models import OrgRole


def org_of(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.organisation if user.organisation_id else None


def is_kind(user, *kinds) -> bool:
    org = org_of(user)
    return org is not None and org.kind in kinds


def is_applicant_unit(user) -> bool:
    return is_kind(user, *K.applicants())


def is_bureau(user) -> bool:
    return is_kind(user, *K.bureaus())


def is_province_user(user) -> bool:
    return is_kind(user, K.PROVINCE)


def is_expert_user(user) -> bool:
    return is_kind(user, K.EXPERT)


def is_assessor_user(user) -> bool:
    return is_kind(user, K.ASSESSOR)


def is_org_admin(user) -> bool:
    """The administrator of the user's own organisation (invites, roles, deactivation)."""
    return org_of(user) is not None and user.org_role == OrgRole.ADMIN


def is_bureau_admin(user) -> bool:
    return is_bureau(user) and is_org_admin(user)


# Verification of registered units: the county verifies enterprises of its county, the city
# parks of its city, the province assessors and their groups.
VERIFIER_KIND = {K.ENTERPRISE: K.COUNTY_BUREAU, K.PARK: K.CITY_BUREAU, K.ASSESSOR: K.PROVINCE}


def verifiable_q(user) -> Q | None:
    """Filter on Organisation for the registrations `user` verifies; None: none at all."""
    org = org_of(user)
    if org is None:
        return None
    if org.kind == K.COUNTY_BUREAU:
        return Q(kind=K.ENTERPRISE, county_id=org.county_id)
    if org.kind == K.CITY_BUREAU:
        return Q(kind=K.PARK, city_id=org.city_id)
    if org.kind == K.PROVINCE:
        return Q(kind=K.ASSESSOR)
    return None


def is_verifier_of(organisation, user) -> bool:
    org = org_of(user)
    if org is None or VERIFIER_KIND.get(organisation.kind) != org.kind:
        return False
    if org.kind == K.COUNTY_BUREAU:
        return organisation.county_id == org.county_id
    if org.kind == K.CITY_BUREAU:
        return organisation.city_id == org.city_id
    return True


def region_q(user, prefix: str = "") -> Q | None:
    """Organisations within a bureau's region (its own included); None: no region."""
    org = org_of(user)
    if org is None:
        return None
    if org.kind == K.PROVINCE:
        return Q()
    if org.kind == K.CITY_BUREAU:
        return Q(**{f"{prefix}city_id": org.city_id})
    if org.kind == K.COUNTY_BUREAU:
        return Q(**{f"{prefix}county_id": org.county_id})
    return None


def can_unlock(user, target) -> bool:
    """Lifting a lockout: the province for anyone; a bureau administrator for the people of
    organisations in its region."""
    if is_province_user(user):
        return True
    if not is_bureau_admin(user) or target is None or not target.organisation_id:
        return False
    q = region_q(user)
    return type(target.organisation).objects.filter(q, pk=target.organisation_id).exists()


def bureaus_administered_q(user) -> Q | None:
    """Bureaus whose administrators `user` creates: the province for the city bureaus (and its
    own), a city bureau administrator for the county bureaus of its city."""
    org = org_of(user)
    if org is None:
        return None
    if org.kind == K.PROVINCE:
        return Q(kind__in=[K.CITY_BUREAU, K.PROVINCE])
    if org.kind == K.CITY_BUREAU and is_org_admin(user):
        return Q(kind=K.COUNTY_BUREAU, city_id=org.city_id)
    return None


def is_county_bureau(user) -> bool:
    return is_kind(user, K.COUNTY_BUREAU)


def is_city_bureau(user) -> bool:
    return is_kind(user, K.CITY_BUREAU)


def is_reviewing_bureau(user) -> bool:
    """A county or city bureau: it has a review queue."""
    return is_kind(user, K.COUNTY_BUREAU, K.CITY_BUREAU)
