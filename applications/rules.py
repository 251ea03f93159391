"""Who may act: role plus region, as plain predicates.

Each predicate takes (application, user) so django-fsm can use it as a transition's `permission`,
and views and the API ask the same functions. The region is the application's, copied from the
applying unit when the application was created.
"""

from accounts.models import OrganisationKind as K

from .states import EDITABLE
from .states import ApplicationState as S


def _org(user):
    if not getattr(user, "is_authenticated", False):
        return None
    return user.organisation if user.organisation_id else None


def is_bureau_user(user) -> bool:
    """A county or city bureau or the province: they work on the reviewer's pages."""
    org = _org(user)
    return org is not None and org.kind in K.bureaus()


def is_applicant(application, user) -> bool:
    """The enterprise or park management body the application is for."""
    org = _org(user)
    return org is not None and org.kind in K.applicants() and org.pk == application.unit_id


def is_county_bureau_of(application, user) -> bool:
    org = _org(user)
    return org is not None and org.kind == K.COUNTY_BUREAU and org.county_id == application.county_id


def is_city_bureau_of(application, user) -> bool:
    org = _org(user)
    return org is not None and org.kind == K.CITY_BUREAU and org.city_id == application.city_id


def is_province(application, user) -> bool:
    org = _org(user)
    return org is not None and org.kind == K.PROVINCE


def is_named_assessor(application, user) -> bool:
    org = _org(user)
    return org is not None and org.kind == K.ASSESSOR and org.pk == application.assessor_id


# Which bureau holds an application in each review state (通知 二(二): factories county then
# city; parks city alone; then the province).
HOLDER = {
    S.COUNTY_REVIEW: is_county_bureau_of,
    S.CITY_REVIEW: is_city_bureau_of,
    S.RECOMMENDED: is_city_bureau_of,
    S.PROVINCE_REVIEW: is_province,
    S.PUBLICITY: is_province,
}


def is_responsible_reviewer(application, user) -> bool:
    """The bureau that holds the application in its current state."""
    predicate = HOLDER.get(application.state)
    return bool(predicate and predicate(application, user))


def can_edit(application, user) -> bool:
    return application.state in EDITABLE and is_applicant(application, user)


def can_upload(application, user) -> bool:
    """The applicant, or the named assessor where the unit lets it upload on its behalf."""
    if application.state not in EDITABLE:
        return False
    return is_applicant(application, user) or (
        application.assessor_may_upload and is_named_assessor(application, user)
    )
