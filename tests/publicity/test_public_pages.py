"""Public pages (no sign-in) show units in publicity during their period and published units —
nothing else (通知 二(四))."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from tests import factories as f


@pytest.fixture
def leaky(world):
    """Units in every non-public place, each with a name that must never appear publicly."""
    return {
        "draft": world.in_state("factory", "draft", unit=f.enterprise("330106", name="草稿企业")),
        "county": world.in_state("factory", "county_review", unit=f.enterprise("330106", name="县审企业")),
        "city": world.in_state("park", "city_review", unit=f.park("330100", name="市审园区")),
        "province": world.under_review(name="省评企业"),
        "rejected": world.in_state("factory", "rejected", unit=f.enterprise("330106", name="未通过企业")),
    }


SECRET_NAMES = ["草稿企业", "县审企业", "市审园区", "省评企业", "未通过企业", "往期公示企业", "未来公示企业"]


def test_public_publicity_page_lists_units_as_the_website_would(world, client, leaky):
    f.after_publicity(world.clock, f.publicity_round([world.under_review(name="往期公示企业")]))
    factory = world.under_review(name="公示企业甲")
    park = world.under_review("park", name="公示园区乙")
    today = timezone.localdate()
    f.publicity_round([factory, park], starts_on=today, ends_on=today + datetime.timedelta(days=14))
    f.publicity_round(
        [world.under_review(name="未来公示企业")],
        starts_on=today + datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=17),
    )

    page = client.get(reverse("public-publicity"))  # no sign-in
    assert page.status_code == 200
    text = page.text
    for expected in ["公示企业甲", "公示园区乙", "杭州市", "绿色低碳工厂", "绿色低碳工业园区"]:
        assert expected in text
    assert "金属制品业" in text  # industry division 33 of class 3311
    assert "高新技术产业开发区" in text  # park type
    assert timezone.localdate().strftime("%Y年%-m月%-d日") in text
    assert world.batch.objection_contact in text
    assert "真实姓名" in text and "提出异议" in text
    for name in SECRET_NAMES:
        assert name not in text


def test_nothing_of_a_round_is_listed_outside_its_period(world, client):
    f.after_publicity(world.clock, f.publicity_round([world.under_review(name="往期公示企业")]))
    today = timezone.localdate()
    f.publicity_round(
        [world.under_review(name="未来公示企业")],
        starts_on=today + datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=15),
    )
    text = client.get(reverse("public-publicity")).text
    assert "往期公示企业" not in text and "未来公示企业" not in text
    assert "目前没有正在公示的名单。" in text
    assert "目前不在公示期内，不受理异议。" in text


def test_public_selector_lets_through_only_current_publicity_and_published(world, leaky):
    published = world.in_state("factory", "published", unit=f.enterprise("330106"))
    past = world.under_review()
    f.after_publicity(world.clock, f.publicity_round([past]))
    current = world.under_review()
    f.publicity_round([current])
    assert set(Application.objects.public().values_list("pk", flat=True)) == {current.pk, published.pk}


def test_published_list_shows_only_published_units_by_city(world, client, leaky):
    from publicity.services import publication_publish

    hz = world.under_review(name="杭州公布企业")
    park = world.under_review("park", name="杭州公布园区")
    still = world.under_review(name="公示中企业")
    f.after_publicity(world.clock, f.publicity_round([hz, park]))
    f.publicity_round([still])
    publication = publication_publish(
        batch=world.batch, by=world.users["province"], document_number="浙经信绿色〔2025〕99号"
    )

    index = client.get(reverse("public-published-index"))
    assert reverse("public-published", args=[publication.pk]) in index.text
    text = client.get(reverse("public-published", args=[publication.pk])).text
    assert "杭州公布企业" in text and "杭州公布园区" in text and "杭州市" in text
    assert "浙经信绿色〔2025〕99号" in text
    assert "公示中企业" not in text
    for name in SECRET_NAMES:
        assert name not in text


def test_unknown_publication_is_404(client, db):
    assert client.get(reverse("public-published", args=[999])).status_code == 404
    assert client.get(reverse("public-notice-pdf", args=[999])).status_code == 404


@pytest.mark.parametrize("size", [5, 30])
def test_public_publicity_page_query_count_is_constant(world, client, django_assert_max_num_queries, size):
    apps = [world.under_review("park" if i % 4 == 0 else "factory") for i in range(size)]
    f.publicity_round(apps)
    # The public pages' change stamp (publicity/public_cache.py), the page's units' ids in order
    # with the list's count beside them, those units, division names
    # (core.pagination.DeferredJoinPaginator).
    with django_assert_max_num_queries(4):
        response = client.get(reverse("public-publicity"))
    assert response.text.count("<tr><td>") == size


@pytest.mark.parametrize("size", [5, 30])
def test_published_list_query_count_is_constant(world, client, django_assert_max_num_queries, size):
    from publicity.services import publication_publish

    apps = [world.under_review("park" if i % 4 == 0 else "factory") for i in range(size)]
    f.after_publicity(world.clock, f.publicity_round(apps))
    publication = publication_publish(batch=world.batch, by=world.users["province"])
    # The change stamp, the publication, the page's units' ids in order with the count beside
    # them, those units, division names, and the dynamic-management adjustment list published
    # with it (issue 11).
    with django_assert_max_num_queries(6):
        response = client.get(reverse("public-published", args=[publication.pk]))
    assert response.text.count("<tr><td>") == size


@pytest.mark.parametrize("size", [3, 12])
def test_public_pages_are_paginated_and_searchable_with_constant_queries(
    world, client, django_assert_max_num_queries, settings, size, monkeypatch
):
    """Public lists show PUBLIC_PAGE_SIZE units a page (here 5) with a search by name, in the same
    number of queries whatever the size; the objection form takes its unit from the row's link."""
    from publicity import selectors
    from publicity.services import publication_publish

    monkeypatch.setattr(selectors, "PUBLIC_PAGE_SIZE", 5)
    apps = [world.under_review("factory", name=f"分页测试企业{i:02d}有限公司") for i in range(size)]
    f.publicity_round(apps)
    last = (size - 1) // 5 + 1
    # Each list drawn afresh: the change stamp and three (publicity/public_cache.py).
    with django_assert_max_num_queries(4):
        response = client.get(reverse("public-publicity"), {"page": last})
    rows = response.text.count("<tr><td>")
    assert rows == size - 5 * (last - 1)
    assert f"<tr><td>{size}</td>" in response.text  # numbered across pages
    assert "<select" not in response.text  # no drop-down repeating every unit
    with django_assert_max_num_queries(4):
        found = client.get(reverse("public-publicity"), {"q": "企业01"})
    assert found.text.count("<tr><td>") == 1 and "分页测试企业01有限公司" in found.text
    with django_assert_max_num_queries(5):
        chosen = client.get(reverse("public-publicity"), {"unit": apps[1].pk})
    assert f'name="unit" value="{apps[1].pk}"' in chosen.text

    # The same units once their publicity is over and they are published.
    f.after_publicity(world.clock, *apps)
    publication = publication_publish(batch=world.batch, by=world.users["province"])
    with django_assert_max_num_queries(6):
        listed = client.get(reverse("public-published", args=[publication.pk]), {"page": last})
    assert listed.text.count("<tr><td>") == size - 5 * (last - 1)
    with django_assert_max_num_queries(6):
        found = client.get(reverse("public-published", args=[publication.pk]), {"q": "企业02"})
    assert found.text.count("<tr><td>") == 1
