"""`make run`'s demo data: every account of the README signs in, and loading twice changes nothing."""

import pytest
from django.contrib.auth import authenticate

from accounts.models import OrganisationKind, User
from applications.models import Application
from greenmfg.demo import PASSWORD, load_demo
from quotas.models import Batch

pytestmark = pytest.mark.django_db


def test_demo_accounts_of_the_readme_sign_in():
    load_demo()
    for username in [
        "province",
        "city-330100",
        "city-331100",
        "county-330106",
        "county-331181",
        "factory-demo",
        "park-demo",
        "assessor-demo",
        "expert-demo",
    ]:
        assert authenticate(username=username, password=PASSWORD) is not None, username
    assert User.objects.filter(organisation__kind=OrganisationKind.CITY_BUREAU).count() == 11
    assert User.objects.filter(organisation__kind=OrganisationKind.COUNTY_BUREAU).count() == 90


def test_demo_loads_the_2025_notice_and_an_open_batch_with_applications_under_way():
    load_demo()
    real = Batch.objects.get(year=2025)
    assert real.notice_number == "浙经信绿色便函〔2025〕58号"
    assert sum(real.quotas.values_list("factory_quota", flat=True)) == 200
    demo = Batch.objects.open().get()
    states = set(Application.objects.filter(batch=demo).values_list("state", flat=True))
    assert {"county_review", "city_review", "recommended"} <= states
    assert all(a.history.exists() for a in Application.objects.filter(batch=demo))


def test_loading_the_demo_twice_changes_nothing():
    load_demo()
    counts = (User.objects.count(), Application.objects.count(), Batch.objects.count())
    load_demo()
    assert (User.objects.count(), Application.objects.count(), Batch.objects.count()) == counts
