"""The roles module: every predicate, its region-aware form and its page mixin answer for the
right organisation only."""

import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import roles
from accounts.models import Organisation, OrganisationKind, OrgRole
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def people(db):
    expert_org = Organisation.objects.create(kind=OrganisationKind.EXPERT, name="专家组")
    return {
        "enterprise": f.user_of(f.enterprise("330106")),
        "park": f.user_of(f.park("330100")),
        "assessor": f.user_of(f.assessor()),
        "county": f.user_of(f.county_bureau("330106")),
        "other_county": f.user_of(f.county_bureau("330102")),
        "city": f.user_of(f.city_bureau("330100")),
        "other_city": f.user_of(f.city_bureau("330200")),
        "province": f.user_of(f.province()),
        "expert": f.user_of(expert_org),
        "nobody": f.UserFactory(),
    }


PREDICATES = {
    roles.is_province: {"province"},
    roles.is_city_bureau: {"city", "other_city"},
    roles.is_county_bureau: {"county", "other_county"},
    roles.is_reviewing_bureau: {"county", "other_county", "city", "other_city"},
    roles.is_bureau: {"county", "other_county", "city", "other_city", "province"},
    roles.is_applicant_unit: {"enterprise", "park"},
    roles.is_enterprise: {"enterprise"},
    roles.is_assessor: {"assessor"},
    roles.is_expert: {"expert"},
}


@pytest.mark.parametrize("predicate", PREDICATES, ids=lambda p: p.__name__)
def test_role_predicate_holds_for_its_kind_only(people, predicate):
    assert {name for name, user in people.items() if predicate(user)} == PREDICATES[predicate]
    assert not predicate(AnonymousUser())


def test_regional_predicates_hold_for_their_region_only(people):
    assert roles.is_city_bureau(people["city"], "330100")
    assert not roles.is_city_bureau(people["other_city"], "330100")
    assert roles.is_county_bureau(people["county"], "330106")
    assert not roles.is_county_bureau(people["other_county"], "330106")
    unit = people["enterprise"].organisation
    assert roles.is_applicant_unit(people["enterprise"], unit)
    assert not roles.is_applicant_unit(people["park"], unit)


def test_region_aware_forms_follow_the_objects_region(people):
    unit = people["enterprise"].organisation
    assessor = people["assessor"].organisation
    obj = SimpleNamespace(unit_id=unit.pk, city_id="330100", county_id="330106", assessor_id=assessor.pk)
    holders = {
        roles.is_applicant_of: {"enterprise"},
        roles.is_named_assessor_of: {"assessor"},
        roles.is_county_bureau_of: {"county"},
        roles.is_city_bureau_of: {"city"},
        roles.is_province_for: {"province"},
    }
    for predicate, expected in holders.items():
        assert {n for n, u in people.items() if predicate(obj, u)} == expected, predicate.__name__
    park_obj = SimpleNamespace(unit_id=None, city_id="330100", county_id=None, assessor_id=None)
    assert not any(roles.is_county_bureau_of(park_obj, u) for u in people.values())
    assert not any(roles.is_named_assessor_of(park_obj, u) for u in people.values())


def test_role_users_filter_matches_the_predicate(people):
    from accounts.models import User

    obj = SimpleNamespace(unit_id=people["enterprise"].organisation_id, city_id="330100", county_id="330106")
    for role in (roles.APPLICANT, roles.COUNTY_BUREAU, roles.CITY_BUREAU, roles.PROVINCE):
        users = set(User.objects.filter(role.users_for(obj)))
        assert users == {u for u in people.values() if role.of(obj, u)}, role


MIXINS = {
    roles.ProvinceRequiredMixin: {"province"},
    roles.BureauRequiredMixin: {"county", "other_county", "city", "other_city", "province"},
    roles.ReviewerRequiredMixin: {"county", "other_county", "city", "other_city"},
    roles.CityBureauRequiredMixin: {"city", "other_city"},
    roles.ApplicantRequiredMixin: {"enterprise", "park"},
    roles.ExpertRequiredMixin: {"expert"},
}


@pytest.mark.parametrize("mixin", MIXINS, ids=lambda m: m.__name__)
def test_page_mixin_lets_its_role_in_and_answers_404_to_the_others(people, rf, mixin):
    from django.http import Http404, HttpResponse
    from django.views import View

    class Page(mixin, View):
        def get(self, request):
            return HttpResponse("ok")

    for name, user in people.items():
        request = rf.get("/page/")
        request.user = user
        if name in MIXINS[mixin]:
            assert Page.as_view()(request).status_code == 200, name
        else:
            with pytest.raises(Http404):
                Page.as_view()(request)
    request = rf.get("/page/")
    request.user = AnonymousUser()
    response = Page.as_view()(request)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_no_organisation_kind_comparison_outside_the_roles_module():
    pattern = (
        r'kind *(==|!=|in) *(K\.|OrganisationKind\.|"(province|city_bureau|county_bureau|enterprise|park|'
        r'assessor|expert)")'
    )
    found = subprocess.run(
        ["grep", "-rnE", pattern, "--include=*.py", "."], cwd=ROOT, capture_output=True, text=True
    ).stdout.splitlines()
    offenders = [
        line
        for line in found
        if not line.startswith(("./accounts/roles.py", "./tests/", "./.venv/")) and "/migrations/" not in line
    ]
    assert offenders == []


def test_only_parks_and_enterprises_are_applying_organisations(people):
    """organisation_is_applicant: the two kinds that apply (通知 一), never a bureau, an assessor or
    an expert group; no organisation is none."""
    orgs = {name: user.organisation for name, user in people.items()}
    applying = {name for name, org in orgs.items() if roles.organisation_is_applicant(org)}
    assert applying == {"enterprise", "park"}
    assert {name for name, org in orgs.items() if roles.organisation_is_enterprise(org)} == {"enterprise"}


ADMIN_PREDICATES = {
    roles.is_org_admin: {"enterprise", "park", "assessor", "county", "city", "province", "expert"},
    roles.is_bureau_admin: {"county", "city", "province"},
    roles.is_assessor_admin_or_applicant_admin: {"enterprise", "park", "assessor"},
    roles.can_open_lockouts_page: {"county", "city", "province"},
}


@pytest.mark.parametrize("predicate", ADMIN_PREDICATES, ids=lambda p: p.__name__)
def test_administrator_predicates_hold_for_active_administrators_of_their_kinds_only(people, predicate):
    """README "Accounts": an organisation's administrator (active, with the admin role) invites,
    deactivates and — in a bureau — unlocks; a member, a deactivated administrator or a user
    without an organisation does none of it (the province's lockout page aside)."""
    admins = dict(people)
    del admins["nobody"], admins["other_county"], admins["other_city"]
    for user in admins.values():
        user.org_role = OrgRole.ADMIN
        user.save()
    assert {name for name, user in admins.items() if predicate(user)} == ADMIN_PREDICATES[predicate]
    for user in admins.values():
        user.is_active = False
        user.save()
    # The province opens its lockout page to any of its people; nothing else stays.
    anyone = {"province"} if predicate is roles.can_open_lockouts_page else set()
    assert {name for name, user in admins.items() if predicate(user)} == anyone
    for user in admins.values():
        user.is_active, user.org_role = True, OrgRole.MEMBER
        user.save()
    assert {name for name, user in admins.items() if predicate(user)} == anyone
    loose = f.UserFactory(org_role=OrgRole.ADMIN)
    assert not predicate(loose)
    assert not predicate(AnonymousUser())


def test_each_registration_is_verified_by_its_own_bureau_only(people):
    """README "Accounts": the county verifies enterprises of its county, the city parks of its
    city, the province assessors — and nobody else verifies them."""
    from accounts.models import User

    expected = {
        "enterprise": {"county"},
        "park": {"city"},
        "assessor": {"province"},
    }
    for unit, verifiers in expected.items():
        org = people[unit].organisation
        assert {name for name, user in people.items() if roles.is_verifier_of(org, user)} == verifiers, unit
        told = set(User.objects.filter(roles.verifier_users(org)))
        assert {name for name, user in people.items() if user in told} == verifiers, unit


def test_a_bureau_administrator_unlocks_the_people_of_its_region_only(people):
    """Lifting a lockout (README "Accounts"): the province anyone; a bureau's administrator the
    people of organisations in its region; a bureau member nobody; a user without an
    organisation is unlocked by the province alone."""
    for name in ("county", "city"):
        people[name].org_role = OrgRole.ADMIN
        people[name].save()
    member = f.user_of(people["county"].organisation)
    enterprise, park = people["enterprise"], people["park"]
    assert roles.can_unlock(people["county"], enterprise)
    assert roles.can_unlock(people["city"], enterprise) and roles.can_unlock(people["city"], park)
    assert not roles.can_unlock(people["county"], park)  # a park of the city, not of the county
    assert not roles.can_unlock(member, enterprise)
    other = f.user_of(f.enterprise("330102"))
    assert not roles.can_unlock(people["county"], other)
    assert roles.can_unlock(people["province"], other)
    assert roles.can_unlock(people["province"], people["nobody"])
    assert not roles.can_unlock(people["county"], people["nobody"])
    assert not roles.can_unlock(people["county"], None)
