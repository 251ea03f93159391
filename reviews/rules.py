"""Who may act on review work: role plus region, as plain predicates (used by the submission's
transition, the views and the API alike)."""

from accounts.models import OrganisationKind as K


def _org(user):
    if not getattr(user, "is_authenticated", False) or not user.organisation_id:
        return None
    return user.organisation


def is_reviewing_bureau(user) -> bool:
    """County and city bureaus have review queues (通知 二(二): factories county then city, parks
    city alone)."""
    org = _org(user)
    return org is not None and org.kind in (K.COUNTY_BUREAU, K.CITY_BUREAU)


def is_bureau(user) -> bool:
    org = _org(user)
    return org is not None and org.kind in K.bureaus()


def is_city_bureau(user) -> bool:
    org = _org(user)
    return org is not None and org.kind == K.CITY_BUREAU


def is_city_bureau_of_submission(submission, user) -> bool:
    org = _org(user)
    return org is not None and org.kind == K.CITY_BUREAU and org.city_id == submission.city_id
