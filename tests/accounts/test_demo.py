"""`make run`'s demo data: every account of the README signs in, and loading twice changes nothing."""

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

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
        # django-axes watches every sign-in and needs the request it came with.
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password=PASSWORD) is not None, username
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


def _deepest_bracket(text: str) -> int:
    depth = deepest = 0
    for ch in text:
        depth += {"（": 1, "）": -1}.get(ch, 0)
        deepest = max(deepest, depth)
    return deepest


def test_the_demo_batch_reads_without_nested_brackets():
    """Pages show a batch as "title（notice number）" (home page, dashboard, batch settings) and the
    letter as "《title》（number）": the demo batch must not read "（演示批次）（演示（参照…））"."""
    load_demo()
    demo = Batch.objects.open().get()
    shown = f"{demo.title}（{demo.notice_number}）"
    assert _deepest_bracket(shown) == 1, shown
    assert shown.count("（") == 1, shown
    assert "演示" in demo.title
