"""The one gate: Application.objects.visible_to(user), with data that could leak in every case."""

import pytest

from applications.models import Application
from tests import factories as f


@pytest.fixture
def apps(world):
    """One application in every interesting place, plus a twin in another region."""
    world.other_city_factory = f.enterprise("330203")
    return {
        "factory_draft": world.in_state("factory", "draft"),
        "park_city_review": world.in_state("park", "city_review"),
        "other_factory_county": _submitted(f.application(world.other_factory_org, world.batch)),
        "ningbo_factory_county": _submitted(f.application(world.other_city_factory, world.batch)),
    }


def _submitted(app):
    from applications.services import application_transition

    application_transition(app, name="submit", by=app.unit.users.first())
    return app


def visible(world, who):
    return set(Application.objects.visible_to(world.users[who]).values_list("pk", flat=True))


def test_applicant_sees_only_its_own(world, apps):
    assert visible(world, "applicant_factory") == {apps["factory_draft"].pk}
    assert visible(world, "applicant_park") == {apps["park_city_review"].pk}


def test_county_sees_submitted_factories_of_its_county_only(world, apps):
    county_review = world.in_state("factory", "county_review", unit=f.enterprise("330106"))
    assert visible(world, "county") == {county_review.pk}
    assert visible(world, "other_county") == {apps["other_factory_county"].pk}


def test_city_sees_parks_and_factories_past_county_review_in_its_city(world, apps):
    factory_at_city = world.in_state("factory", "city_review", unit=f.enterprise("330106"))
    assert visible(world, "city") == {apps["park_city_review"].pk, factory_at_city.pk}
    assert visible(world, "other_city") == set()


def test_city_never_sees_factories_its_county_returned_or_rejected(world, apps):
    returned = world.in_state("factory", "returned", unit=f.enterprise("330106"))
    rejected = world.in_state("factory", "rejected", unit=f.enterprise("330106"))
    seen = visible(world, "city")
    assert returned.pk not in seen and rejected.pk not in seen
    assert {returned.pk, rejected.pk} <= visible(world, "county")


def test_city_keeps_seeing_what_it_returned(world, apps):
    factory = world.in_state("factory", "city_review", unit=f.enterprise("330106"))
    from applications.services import application_transition

    application_transition(factory, name="return_for_revision", by=world.users["city"], comment="补充材料")
    assert factory.pk in visible(world, "city")


def test_province_sees_everything_submitted_but_no_drafts(world, apps):
    assert apps["factory_draft"].pk not in visible(world, "province")
    assert {apps["park_city_review"].pk, apps["ningbo_factory_county"].pk} <= visible(world, "province")


def test_assessor_sees_only_applications_naming_it(world, apps):
    named = f.application(f.enterprise("330106"), world.batch, assessor_org=world.assessor_org)
    assert visible(world, "assessor") == {named.pk}


def test_users_without_an_organisation_and_anonymous_see_nothing(world, apps, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    loose = django_user_model.objects.create(username="loose")
    assert not Application.objects.visible_to(loose).exists()
    assert not Application.objects.visible_to(AnonymousUser()).exists()


def test_county_bureau_never_sees_a_park_even_with_a_county(world, apps):
    """Parks pass the city alone (通知 二(二)): a park whose organisation records a county is still
    none of that county bureau's business, in whatever state it is."""
    from reference.models import County

    park_org = f.park("330100", name="西湖区里的园区")
    park_org.county = County.objects.get(code="330106")
    park_org.save()
    park = world.in_state("park", "city_review", unit=park_org)
    assert park.county_id == "330106"
    assert park.pk not in visible(world, "county")
    assert park.pk in visible(world, "city")
