"""Who someone is: every role and region question of the portal, answered here and nowhere else.

Three forms of the same vocabulary (pretalx's roles module is the model):

- predicates on a user — ``is_province(user)``, ``is_city_bureau(user, city=…)`` … — for pages,
  services and the API;
- the region-aware forms ``(obj, user)`` that django-fsm's ``permission=`` calls — ``obj`` is any
  record that carries the region it belongs to (``city_id``, ``county_id``) and, where it has one,
  its applying unit (``unit_id``) and named assessor (``assessor_id``): an application today, a
  dynamic-management form tomorrow;
- one access mixin per kind of page: signed-in users of another role get 404 (the page is not there
  for them, like an object outside their region), anonymous visitors are sent to sign in.

Nothing outside this module compares an organisation's kind with a string or an enum member;
migrations, demo data that *creates* organisations and tests excepted.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.http import Http404

from .models import OrganisationKind as K

# --- the organisation behind a user ----------------------------------------------------------


def organisation_of(user):
    """The organisation a signed-in user acts for, or None (anonymous, or a user without one)."""
    if not getattr(user, "is_authenticated", False) or not user.organisation_id:
        return None
    return user.organisation


def _kind(user):
    org = organisation_of(user)
    return org.kind if org is not None else None


def _id(value):
    """A model instance or its primary key, as the key."""
    return getattr(value, "pk", value)


# --- predicates on a user --------------------------------------------------------------------


def is_province(user) -> bool:
    """The provincial department (省经信厅)."""
    return _kind(user) == K.PROVINCE


def is_city_bureau(user, city=None) -> bool:
    """A city bureau (设区市经信局); of `city` (a City or its code) when given."""
    org = organisation_of(user)
    return org is not None and org.kind == K.CITY_BUREAU and (city is None or org.city_id == _id(city))


def is_county_bureau(user, county=None) -> bool:
    """A county bureau (县（市、区）经信局); of `county` (a County or its code) when given."""
    org = organisation_of(user)
    return (
        org is not None and org.kind == K.COUNTY_BUREAU and (county is None or org.county_id == _id(county))
    )


def is_reviewing_bureau(user) -> bool:
    """County and city bureaus: they have review queues (通知 二(二): factories county then city,
    parks city alone)."""
    return _kind(user) in (K.COUNTY_BUREAU, K.CITY_BUREAU)


def is_bureau(user) -> bool:
    """A county or city bureau or the province: they work on the reviewer's pages."""
    return _kind(user) in K.bureaus()


def is_applicant_unit(user, unit=None) -> bool:
    """An applying unit (an enterprise or a park's management body); `unit` itself when given."""
    org = organisation_of(user)
    return org is not None and org.kind in K.applicants() and (unit is None or org.pk == _id(unit))


def is_enterprise(user) -> bool:
    return _kind(user) == K.ENTERPRISE


def is_assessor(user, assessor=None) -> bool:
    """A third-party assessor (第三方评价机构); `assessor` (an Assessor, its organisation or the
    key) when given."""
    org = organisation_of(user)
    return org is not None and org.kind == K.ASSESSOR and (assessor is None or org.pk == _id(assessor))


def is_expert(user) -> bool:
    """An expert the province invited to its evaluation (通知 二(四)); province-wide."""
    return _kind(user) == K.EXPERT


# --- predicates on an organisation -----------------------------------------------------------


def organisation_is_applicant(organisation) -> bool:
    return organisation is not None and organisation.kind in K.applicants()


def organisation_is_enterprise(organisation) -> bool:
    return organisation is not None and organisation.kind == K.ENTERPRISE


# --- region-aware forms: (obj, user), as django-fsm's `permission=` calls them --------------------


def is_applicant_of(obj, user) -> bool:
    """The enterprise or park management body `obj` is for."""
    return is_applicant_unit(user, obj.unit_id)


def is_named_assessor_of(obj, user) -> bool:
    """The assessor `obj` names."""
    return obj.assessor_id is not None and is_assessor(user, obj.assessor_id)


def is_county_bureau_of(obj, user) -> bool:
    """The bureau of the county `obj` belongs to."""
    return obj.county_id is not None and is_county_bureau(user, obj.county_id)


def is_city_bureau_of(obj, user) -> bool:
    """The bureau of the city `obj` belongs to."""
    return is_city_bureau(user, obj.city_id)


def is_province_for(obj, user) -> bool:
    """The province: every region is its own (the object is there for the signature)."""
    return is_province(user)


# --- who, as a filter on users (for mail) -----------------------------------------------------


def county_bureau_users(county_id) -> Q:
    return Q(organisation__kind=K.COUNTY_BUREAU, organisation__county_id=county_id)


def city_bureau_users(city_id) -> Q:
    return Q(organisation__kind=K.CITY_BUREAU, organisation__city_id=city_id)


def province_users() -> Q:
    return Q(organisation__kind=K.PROVINCE)


def expert_users() -> Q:
    return Q(organisation__kind=K.EXPERT)


# --- one access mixin per kind of page --------------------------------------------------------


class RoleRequiredMixin(LoginRequiredMixin):
    """Signed-in users for whom `role(user)` holds; other signed-in users get 404, anonymous
    visitors go to sign in."""

    @staticmethod
    def role(user) -> bool:  # pragma: no cover - every subclass names its role
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.role(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ProvinceRequiredMixin(RoleRequiredMixin):
    role = staticmethod(is_province)


class BureauRequiredMixin(RoleRequiredMixin):
    """County and city bureaus and the province."""

    role = staticmethod(is_bureau)


class ReviewerRequiredMixin(RoleRequiredMixin):
    """County and city bureaus (the review queues)."""

    role = staticmethod(is_reviewing_bureau)


class CityBureauRequiredMixin(RoleRequiredMixin):
    role = staticmethod(is_city_bureau)


class ApplicantRequiredMixin(RoleRequiredMixin):
    """Enterprises and parks' management bodies."""

    role = staticmethod(is_applicant_unit)


class ExpertRequiredMixin(RoleRequiredMixin):
    role = staticmethod(is_expert)


# --- roles as the workflow tables name them -----------------------------------------------------


@dataclass(frozen=True)
class Role:
    """A role as a workflow's state table names it (applications/states.py): whether a user has it
    at all, whether they have it for an object's region, and its users for an object (for mail)."""

    name: str
    is_user: Callable[[Any], bool]
    of: Callable[[Any, Any], bool]
    users_for: Callable[[Any], Q]

    def __str__(self):
        return self.name


APPLICANT = Role("applicant", is_applicant_unit, is_applicant_of, lambda obj: Q(organisation_id=obj.unit_id))
COUNTY_BUREAU = Role(
    "county_bureau", is_county_bureau, is_county_bureau_of, lambda obj: county_bureau_users(obj.county_id)
)
CITY_BUREAU = Role(
    "city_bureau", is_city_bureau, is_city_bureau_of, lambda obj: city_bureau_users(obj.city_id)
)
PROVINCE = Role("province", is_province, is_province_for, lambda obj: province_users())
