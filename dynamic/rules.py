"""Who may act on a dynamic-management form: the roles module's predicates, in the (form, user)
form django-fsm's `permission=` calls, plus the visibility gate's filter. No role is decided here
that accounts/roles.py does not decide. Submitting (and the authenticity pledge that goes with it)
is the unit's alone; the assessor it names and lets fill only fills."""

from django.db.models import Q

from accounts import roles

from .states import FORM_STATE_FACTS, FormKind

is_unit_of = roles.is_applicant_of
is_county_bureau_of = roles.is_county_bureau_of
is_city_bureau_of = roles.is_city_bureau_of
is_province = roles.is_province_for
is_named_assessor = roles.is_named_assessor_of


def is_filling_assessor(form, user) -> bool:
    """The third-party assessor the unit named on its form and let fill it on its behalf."""
    return form.assessor_may_fill and is_named_assessor(form, user)


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
    if roles.is_assessor(user):
        # Only while the unit lets it fill the form: naming alone shares nothing.
        return Q(assessor_id=org.pk, assessor_may_fill=True)
    return None


def may_see_forms(user) -> bool:
    return visibility_q(user) is not None


def may_review(user) -> bool:
    """County and city bureaus and the province work on the reviewers' pages."""
    return roles.is_bureau(user)


def can_edit(form, user) -> bool:
    """Change the form's data, its declared changes and its documents: the unit, or the assessor it
    lets fill the form, while the unit holds it."""
    return FORM_STATE_FACTS[form.state].unit_may_edit and (
        is_unit_of(form, user) or is_filling_assessor(form, user)
    )


def can_name_assessor(form, user) -> bool:
    """Only the unit names (or changes, or dismisses) its assessor, while it holds the form."""
    return FORM_STATE_FACTS[form.state].unit_may_edit and is_unit_of(form, user)
