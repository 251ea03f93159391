"""Who may act on a dynamic-management form: the roles module's predicates, in the (form, user)
form django-fsm's `permission=` calls, plus the visibility gate's filter. No role is decided here
that accounts/roles.py does not decide."""

from django.db.models import Q

from accounts import roles

from .states import FORM_STATE_FACTS, FormKind

is_unit_of = roles.is_applicant_of
is_county_bureau_of = roles.is_county_bureau_of
is_city_bureau_of = roles.is_city_bureau_of
is_province = roles.is_province_for


def is_holder(form, user) -> bool:
    """The bureau holding the form in its current state (FORM_STATE_FACTS)."""
    holder = FORM_STATE_FACTS[form.state].holder
    return holder is not None and holder.of(form, user)


def visibility_q(user) -> Q | None:
    """Which forms `user` sees, as a filter; None for nobody's."""
    org = roles.organisation_of(user)
    if org is None:
        return None
    if roles.is_province(user):
        return Q()
    if roles.is_city_bureau(user):
        return Q(city_id=org.city_id)
    if roles.is_county_bureau(user):
        # 通知 二(二): the county reviews factories; parks go to the city alone.
        return Q(kind=FormKind.FACTORY, county_id=org.county_id)
    if roles.is_applicant_unit(user):
        return Q(unit_id=org.pk)
    return None


def may_see_forms(user) -> bool:
    return visibility_q(user) is not None


def may_review(user) -> bool:
    """County and city bureaus and the province work on the reviewers' pages."""
    return roles.is_bureau(user)


def can_edit(form, user) -> bool:
    return FORM_STATE_FACTS[form.state].unit_may_edit and is_unit_of(form, user)
