"""Lowering a quota and a city's recommendation racing on PostgreSQL: real threads, real
transactions. Whoever locks the city's quota row first wins; the quota is never left below what
the city has recommended."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from applications.models import Application
from applications.services import application_transition
from core.exceptions import DomainError
from quotas.models import Batch, CityQuota
from quotas.services import batch_update, city_quota_set
from tests import factories as f
from tests.helpers import race as _race


def race(calls):
    """A batch setting and a city action may also be refused by a field check."""
    return _race(calls, refusals=(DomainError, ValidationError))


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]
ROUNDS = 5


def new_application(batch, kind="factory"):
    unit = f.enterprise("330106") if kind == "factory" else f.park("330100")
    return f.application(unit, batch)


def test_lowering_a_quota_while_the_city_recommends_never_leaves_it_below_used(db):
    city = f.user_of(f.city_bureau("330100"))
    officer = f.user_of(f.province())
    outcomes = set()
    for round_ in range(ROUNDS):
        batch = f.batch(2000 + round_, quotas={"330100": 2})
        f.advance(new_application(batch), "recommended")  # 1 of 2 used
        waiting = Application.objects.get(pk=f.advance(new_application(batch), "city_review").pk)
        ok, refused = race(
            [
                lambda w=waiting: application_transition(w, name="city_recommend", by=city),
                lambda b=batch: city_quota_set(b, city="330100", quota=1, by=officer),
            ]
        )
        assert len(ok) == 1, refused
        quota = CityQuota.objects.get(batch=batch, city_id="330100").factory_quota
        used = Application.objects.counted_for_quota().filter(batch=batch).count()
        assert used <= quota
        outcomes.add((quota, used))
    # Either the recommendation won (quota stays 2, 2 used) or the change did (1 and 1).
    assert outcomes <= {(2, 2), (1, 1)}


def test_lowering_the_park_quota_while_a_city_recommends_a_park_never_leaves_it_below_used(db):
    city = f.user_of(f.city_bureau("330100"))
    officer = f.user_of(f.province())
    for round_ in range(ROUNDS):
        batch = f.batch(2000 + round_, park_quota=2)
        f.advance(new_application(batch, "park"), "recommended")
        # As the page does: application_for() fetches the batch with the application.
        waiting = Application.objects.select_related("batch").get(
            pk=f.advance(new_application(batch, "park"), "city_review").pk
        )
        ok, refused = race(
            [
                lambda w=waiting: application_transition(w, name="city_recommend", by=city),
                lambda b=batch: batch_update(b, park_quota=1, by=officer),
            ]
        )
        assert len(ok) == 1, refused
        park_quota = Batch.objects.get(pk=batch.pk).park_quota
        used = Application.objects.counted_for_quota().filter(batch=batch, kind="park").count()
        assert used <= park_quota, (ok, refused)
