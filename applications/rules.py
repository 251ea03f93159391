"""Who may act on an application: role plus region, as plain predicates.

Each predicate takes (application, user) so django-fsm can use it as a transition's `permission`,
and views and the API ask the same functions. The roles themselves live in accounts/roles.py; the
region is the application's, copied from the applying unit when the application was created.
"""

from accounts import roles

from .states import facts

is_applicant = roles.is_applicant_of
is_county_bureau_of = roles.is_county_bureau_of
is_city_bureau_of = roles.is_city_bureau_of
is_province = roles.is_province_for
is_named_assessor = roles.is_named_assessor_of


def is_responsible_reviewer(application, user) -> bool:
    """The bureau that holds the application in its current state (states.STATE_FACTS)."""
    holder = facts(application.state).holder
    return holder is not None and holder.of(application, user)


def can_edit(application, user) -> bool:
    return facts(application.state).applicant_may_edit and is_applicant(application, user)


def can_upload(application, user) -> bool:
    """The applicant, or the named assessor where the unit lets it upload on its behalf."""
    if not facts(application.state).applicant_may_edit:
        return False
    return is_applicant(application, user) or (
        application.assessor_may_upload and is_named_assessor(application, user)
    )
