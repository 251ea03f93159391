"""Each role's to-dos on its home page equal counts computed here independently from the data,
in a constant number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Verification
from applications.models import Application
from dashboard.todos import todos_for
from experts.models import ExpertAssignment
from experts.services import expert_assign
from tests import factories as f

pytestmark = pytest.mark.django_db


def _counts(user, batch):
    return {t.label: t.count for t in todos_for(user, batch)}


def _pending_registration(kind, **region):
    # Built like a self-registered unit: pending, with a registration time.
    org = Organisation.objects.create(
        kind=kind,
        name=f"待核验单位{Organisation.objects.count()}",
        verification=Verification.PENDING,
        registered_at=timezone.now(),
        **region,
    )
    return org


def test_county_todos(dataset):
    county = f._first_user(f.county_bureau("330106"))
    _pending_registration("enterprise", county_id="330106", city_id="330100")
    _pending_registration("enterprise", county_id="330108", city_id="330100")  # another county
    expected_review = Application.objects.filter(
        batch=dataset.batch, county_id="330106", state="county_review"
    ).count()
    counts = _counts(county, dataset.batch)
    assert counts["待审核的申报"] == expected_review == 1
    assert counts["待核验的单位注册"] == 1


def test_city_todos(dataset):
    city = f._first_user(f.city_bureau("330100"))
    _pending_registration("park", city_id="330100")
    _pending_registration("park", city_id="330200")
    # What waits for the city is its pending tab: city review (recommended units are under 已通过).
    expected_review = Application.objects.filter(
        batch=dataset.batch, city_id="330100", state="city_review"
    ).count()
    # Recommended by 杭州 and not returned or withdrawn since (a rejection keeps the slot): the
    # dataset's factories 1 (published), 2 (publicity), 3 (province review), 4 (recommended),
    # 8 (rejected by the city after recommending) and 11 (rejected by the province).
    expected_used = 6
    todos = {t.label: t for t in todos_for(city, dataset.batch)}
    assert todos["待审核的申报"].count == expected_review
    assert todos["待核验的单位注册"].count == 1
    assert todos["工厂推荐名额"].count == expected_used
    assert todos["向省经信厅报送"].due == dataset.batch.city_submission_deadline
    assert (
        todos["向省经信厅报送"].days_left
        == (dataset.batch.city_submission_deadline - timezone.localdate()).days
    )
    assert todos["报送市级名单"].due == dataset.batch.city_list_deadline


def test_province_todos(dataset, time_machine):
    province = dataset.province
    # A round lasts at least the batch's publicity length from today: go to the day before it ends.
    ends_on = (
        Application.objects.filter(batch=dataset.batch, state="publicity").latest("pk").publicity_ends_on
    )
    time_machine.move_to(f.morning_after(ends_on - datetime.timedelta(days=2)))
    expert = f.user_of(Organisation.objects.get_or_create(kind="expert", name="专家组")[0])
    in_review = Application.objects.filter(batch=dataset.batch, state="province_review")
    for app in in_review:
        expert_assign(application=app, expert=expert, by=province)
    expected_missing = ExpertAssignment.objects.filter(opinion__isnull=True, ended_at__isnull=True).count()
    today = timezone.localdate()
    expected_ending = Application.objects.filter(
        batch=dataset.batch, state="publicity", publicity_ends_on__lte=today + datetime.timedelta(days=3)
    ).count()
    _pending_registration("assessor")
    counts = _counts(province, dataset.batch)
    assert counts["待提交的专家意见"] == expected_missing == in_review.count()
    assert counts["公示即将结束或已结束"] == expected_ending == 1
    assert counts["待处理的异议"] == 0
    assert counts["已收到的设区市报送"] == 0
    assert counts["待核验的单位注册"] == 1
    # The expert sees the same number of open assignments.
    assert _counts(expert, dataset.batch)["待评审的申报"] == expected_missing


def test_an_applicant_has_no_bureau_todos(dataset):
    unit_user = dataset.apps[7].unit.users.first()
    assert todos_for(unit_user, dataset.batch) == []


@pytest.mark.parametrize("n", [1, 6])
def test_home_with_todos_runs_constant_queries(client, django_assert_max_num_queries, n):
    b = f.batch()
    for _ in range(n):
        f.application(f.enterprise("330106"), b)
        _pending_registration("enterprise", county_id="330106", city_id="330100")
    city = f.user_of(f.city_bureau("330100"))
    client.force_login(city)
    with django_assert_max_num_queries(25):
        resp = client.get(reverse("home"))
    assert "待办事项" in resp.content.decode()
