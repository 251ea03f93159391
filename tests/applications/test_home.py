"""The organisation's home page: open batch, deadlines with days left, its applications with their
states, what to do next — and a constant number of queries whatever the list's length."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.services import application_create
from tests import factories as f


def page(client, user):
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_applicant_without_application_is_told_to_start_one(client, world):
    html = page(client, world.users["applicant_factory"])
    assert "2025年度批次" in html
    assert "还剩30天" in html
    d = timezone.localdate() + datetime.timedelta(days=30)
    assert f"{d.year}年{d.month}月{d.day}日" in html
    assert "发起本批次申报。" in html and reverse("application-start") in html


def test_applicant_with_a_draft_sees_what_is_missing(client, world):
    app = world.application(with_report=False, indicators=None)
    html = page(client, world.users["applicant_factory"])
    assert "请填写主要指标：单位产品综合能耗" in html
    assert "请上传自评价报告（PDF）。" in html
    assert reverse("application-submit", args=[app.pk]) in html
    assert "自评价" in html  # the state


def test_applicant_with_incomplete_profile_is_sent_to_the_profile(client, world):
    html = page(client, world.users["applicant_factory"])
    assert "单位信息不完整" in html and reverse("profile") in html


def test_submitted_factory_waits_for_the_county(client, world):
    world.in_state("factory", "county_review")
    html = page(client, world.users["applicant_factory"])
    assert "已提交，等待县（市、区）经信局审核。" in html
    assert "县级审核" in html


def test_assessor_home_shows_its_groups_cap_usage(client, world):
    app = world.application(assessor_org=world.assessor_org)
    from applications.services import application_transition

    application_transition(app, name="submit", by=world.users["applicant_factory"])
    html = page(client, world.users["assessor"])
    assert "本批次已承担1项，上限10项。" in html
    assert app.unit.name in html


def _assessor_drafts(world, n):
    for _ in range(n):
        unit = f.enterprise("330106")
        application_create(
            unit=unit, batch=world.batch, by=f.user_of(unit), assessor=world.assessor_org.assessor
        )


@pytest.mark.parametrize("n", [5, 60])
def test_home_list_query_count_is_constant_for_an_assessor(client, world, django_assert_max_num_queries, n):
    _assessor_drafts(world, n)
    client.force_login(world.users["assessor"])
    with django_assert_max_num_queries(9):
        resp = client.get(reverse("home"))
    assert resp.content.decode().count('class="state state-draft"') == min(n, 50)


@pytest.mark.parametrize("batches", [1, 5])
def test_home_query_count_is_constant_for_an_applicant(client, world, django_assert_max_num_queries, batches):
    user = world.users["applicant_factory"]
    for year in range(2025 - batches + 1, 2025):
        b = f.batch(year, quotas={})
        application_create(unit=world.factory_org, batch=b, by=user)
    world.application(with_report=False)
    client.force_login(user)
    # The next steps check eligibility: the city-level list and the dynamic-management removal bar
    # (issues 10 and 11) are a query each, whatever the number of batches.
    with django_assert_max_num_queries(14):
        resp = client.get(reverse("home"))
    assert resp.content.decode().count("state state-draft") == batches
