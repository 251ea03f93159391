"""Quota and assessor-cap checks hold when two requests race on PostgreSQL: real threads, real
transactions, each with its own connection."""

import pytest
from django.db import connection

from applications.models import Application
from applications.services import application_transition
from quotas.models import CityQuota
from tests import factories as f
from tests.helpers import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]
ROUNDS = 5


def fresh(app):
    return Application.objects.get(pk=app.pk)


def test_two_city_reviewers_racing_for_the_last_quota_slot(db):
    city = f.user_of(f.city_bureau("330100"))
    county = f.user_of(f.county_bureau("330106"))
    for round_ in range(ROUNDS):
        batch = f.batch(2000 + round_, quotas={"330100": 1})
        apps = []
        for _ in range(2):
            unit = f.enterprise("330106")
            app = f.application(unit, batch)
            application_transition(app, name="submit", by=unit.users.first())
            application_transition(app, name="county_pass", by=county)
            apps.append(app)
        a, b = fresh(apps[0]), fresh(apps[1])
        ok, refused = race(
            [
                lambda a=a: application_transition(a, name="city_recommend", by=city),
                lambda b=b: application_transition(b, name="city_recommend", by=city),
            ]
        )
        assert len(ok) == 1, refused
        assert "名额已满" in refused[0].reasons[0]
        assert Application.objects.counted_for_quota().filter(batch=batch).count() == 1
        assert CityQuota.objects.get(batch=batch, city_id="330100").factory_quota == 1


def test_two_units_racing_for_the_assessors_last_evaluation(db):
    group_assessor = f.assessor()
    affiliate = f.assessor(group_assessor.assessor.group)
    for round_ in range(ROUNDS):
        batch = f.batch(2000 + round_, assessor_cap=1)
        apps = [
            f.application(f.enterprise("330106"), batch, assessor_org=group_assessor),
            f.application(f.enterprise("330108"), batch, assessor_org=affiliate),
        ]
        a, b = fresh(apps[0]), fresh(apps[1])
        ok, refused = race(
            [
                lambda a=a: application_transition(a, name="submit", by=a.unit.users.first()),
                lambda b=b: application_transition(b, name="submit", by=b.unit.users.first()),
            ]
        )
        assert len(ok) == 1, refused
        assert "已达上限1项" in refused[0].reasons[0]


def test_the_same_transition_fired_twice_at_once_happens_once(db):
    county = f.user_of(f.county_bureau("330106"))
    other_reviewer = f.user_of(f.county_bureau("330106"))
    batch = f.batch()
    unit = f.enterprise("330106")
    app = f.application(unit, batch)
    application_transition(app, name="submit", by=unit.users.first())
    a, b = fresh(app), fresh(app)
    ok, refused = race(
        [
            lambda: application_transition(a, name="county_pass", by=county),
            lambda: application_transition(
                b, name="return_for_revision", by=other_reviewer, comment="补充材料"
            ),
        ]
    )
    assert len(ok) == 1
    assert "刚被其他人处理" in refused[0].reasons[0]
    assert fresh(app).history.count() == 2  # submit + the one that won
