"""The counters the pages show beside the rules (applications/selectors.py): the quota usage of
every city in one query (quotas' usage counter) and every assessor group's use of its cap (the
assessor chooser). Each must give the rule's own count (ApplicationQuerySet.quota_used and
assessor_group_usage) for every city and group, so a page never says a slot is free that the
rule would refuse, or the reverse."""

import pytest
from django.utils import timezone

from applications.models import Application
from applications.selectors import assessor_choices, cap_usage_by_group, recommended_by_city
from applications.services import application_transition
from quotas.models import CityQuota
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(world):
    """In 杭州: two recommended factories and a recommended park, both evaluated by the world's
    assessor group; a factory the county rejected (the group's too); a draft naming the group; a
    factory without an assessor in county review; last year's recommended factory of another
    group."""
    CityQuota.objects.filter(batch=world.batch, city_id="330100").update(factory_quota=5)
    group = world.assessor_org.assessor.group
    for kind in ("factory", "factory", "park"):
        unit = f.enterprise("330106") if kind == "factory" else f.park("330100")
        app = f.application(unit, world.batch, assessor_org=world.assessor_org)
        for name, by in (("submit", unit.users.first()), ("county_pass", world.users["county"])):
            if kind == "factory" or name == "submit":
                application_transition(app, name=name, by=by)
        application_transition(app, name="city_recommend", by=world.users["city"])
    rejected = f.application(f.enterprise("330106"), world.batch, assessor_org=world.assessor_org)
    application_transition(rejected, name="submit", by=rejected.unit.users.first())
    application_transition(rejected, name="reject", by=world.users["county"], comment="不符合条件")
    f.application(f.enterprise("330106"), world.batch, assessor_org=world.assessor_org)  # a draft
    plain = f.application(f.enterprise("330106"), world.batch)
    application_transition(plain, name="submit", by=plain.unit.users.first())
    other = f.assessor()
    last_year = f.application(f.enterprise("330106"), f.batch(2024), assessor_org=other)
    Application.objects.filter(pk=last_year.pk).update(state="published", city_recommended_at=timezone.now())
    return group, other.assessor.group


def test_the_quota_counter_gives_the_rules_count_for_each_city_and_kind(world, counted):
    got = recommended_by_city(world.batch)
    assert (got.factories, got.parks) == ({"330100": 2}, {"330100": 1})
    for kind, by_city in (("factory", got.factories), ("park", got.parks)):
        assert by_city["330100"] == Application.objects.quota_used(world.batch, "330100", kind)


def test_the_cap_counter_gives_the_rules_count_for_each_group(world, counted):
    group, other = counted
    assert cap_usage_by_group(world.batch) == {group.pk: 4}
    assert Application.objects.assessor_group_usage(world.batch, group) == 4
    assert Application.objects.assessor_group_usage(world.batch, other) == 0


def test_the_assessor_chooser_marks_a_group_full_at_exactly_the_cap(world, counted):
    group, other = counted
    world.batch.assessor_cap = 4
    by_group = {c["group"].pk: c for c in assessor_choices(world.batch)}
    assert (by_group[group.pk]["used"], by_group[group.pk]["full"]) == (4, True)
    assert (by_group[other.pk]["used"], by_group[other.pk]["full"]) == (0, False)
    world.batch.assessor_cap = 5
    assert not {c["group"].pk: c for c in assessor_choices(world.batch)}[group.pk]["full"]
    world.batch.assessor_cap = 1  # a group with nothing yet is never full, even at a cap of one
    assert not {c["group"].pk: c for c in assessor_choices(world.batch)}[other.pk]["full"]
