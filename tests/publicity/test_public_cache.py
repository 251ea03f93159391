"""The public lists are served from the cache (publicity/public_cache.py): what is served is what
would be drawn afresh, a cached list costs one query, and every change that alters a list shows
on the very next request — through the services, the admin, or a bulk update alike."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrgRole, Park
from applications.services import application_transition
from onboarding.identity import identity_change_decide, identity_change_request
from publicity import public_cache
from publicity.services import objection_decide, objection_file, publication_publish
from quotas.services import batch_update
from reference.models import City, IndustryDivision
from tests import factories as f

PUBLICITY = reverse("public-publicity")
INDEX = reverse("public-published-index")


def published(pk, **params):
    return reverse("public-published", args=[pk])


@pytest.fixture
def units(world):
    """A factory and a park in publicity today."""
    factory = world.under_review(name="缓存测试企业甲")
    park = world.under_review("park", name="缓存测试园区乙")
    f.publicity_round([factory, park])
    return factory, park


@pytest.fixture
def publication(world):
    """A publication of a factory and a park; a third unit still in publicity."""
    factory = world.under_review(name="已公布企业丙")
    park = world.under_review("park", name="已公布园区丁")
    f.after_publicity(world.clock, f.publicity_round([factory, park]))
    return publication_publish(
        batch=world.batch, by=world.users["province"], document_number="浙经信绿色〔2025〕7号"
    )


def fresh(client, monkeypatch, url, data=None):
    """The page drawn afresh: no stamp, nothing read from or kept in the cache."""
    with monkeypatch.context() as m:
        m.setattr(public_cache, "stamp", lambda: None)
        return client.get(url, data).text


def same(page: str) -> str:
    """The page but for what differs on every request by design (the CSRF token of the language
    form, rendered for each request around the cached list)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


@pytest.mark.parametrize(
    "url, data, expected",
    [
        ("publicity", None, "缓存测试园区乙"),
        ("publicity", {"q": "甲"}, "缓存测试企业甲"),
        ("publicity", {"page": "2"}, "缓存测试园区乙"),  # past the end: the last page
        ("published", None, "已公布企业丙"),
        ("published", {"q": "园区"}, "已公布园区丁"),
        ("index", None, "浙经信绿色〔2025〕7号"),
    ],
)
def test_a_cached_list_is_the_list_drawn_afresh(
    world, client, publication, units, monkeypatch, django_assert_num_queries, url, data, expected
):
    url = {"publicity": PUBLICITY, "index": INDEX}.get(url) or published(publication.pk)
    first = client.get(url, data).text  # drawn and kept
    with django_assert_num_queries(1):  # the stamp; the list from the cache
        served = client.get(url, data).text
    assert same(served) == same(first) == same(fresh(client, monkeypatch, url, data))
    assert expected in served


@pytest.mark.parametrize("size", [4, 24])
def test_a_cached_public_list_costs_one_query_whatever_its_length(
    world, client, django_assert_max_num_queries, django_assert_num_queries, size
):
    apps = [world.under_review("park" if i % 4 == 0 else "factory") for i in range(size)]
    f.after_publicity(world.clock, f.publicity_round(apps[: size // 2]))
    publication = publication_publish(batch=world.batch, by=world.users["province"])
    f.publicity_round(apps[size // 2 :])
    for url, drawn in ((PUBLICITY, 4), (published(publication.pk), 6)):
        # Drawn: the stamp, the page's ids and count, its units, division names (and, for a
        # publication, the publication and its adjustment list).
        with django_assert_max_num_queries(drawn):
            first = client.get(url)
        assert first.text.count("<tr><td>") == size // 2
        with django_assert_num_queries(1):
            assert same(client.get(url).text) == same(first.text)


# --- every change that alters a list shows at once ----------------------------------------------


def _province(world):
    return world.users["province"]


def _object_to(app):
    return objection_file(
        application_pk=app.pk, name="张三", contact="13800000000", facts="材料不实", ip_address="10.0.0.1"
    )


def _rename(world, app, name, credit_code=""):
    """The unit's name (and credit code) changed the way the portal changes it: the unit asks, the
    province approves (onboarding.identity; the credit code is written by a bulk update)."""
    admin = f.user_of(app.unit, org_role=OrgRole.ADMIN)
    change = identity_change_request(by=admin, name=name, reason="工商变更登记", credit_code=credit_code)
    identity_change_decide(change, by=_province(world), approve=True)


def test_a_unit_put_in_publicity_shows_at_once(world, client, units):
    assert "新公示企业戊" not in client.get(PUBLICITY).text
    f.publicity_round([world.under_review(name="新公示企业戊")])
    assert "新公示企业戊" in client.get(PUBLICITY).text


def test_a_unit_whose_objection_is_upheld_leaves_the_list_at_once(world, client, units):
    factory, _park = units
    objection = _object_to(factory)
    assert "缓存测试企业甲" in client.get(PUBLICITY).text  # an objection filed changes nothing shown
    objection_decide(
        objection=objection, decision="uphold", outcome="uphold_objection", reason="属实", by=_province(world)
    )
    text = client.get(PUBLICITY).text
    assert "缓存测试企业甲" not in text and "缓存测试园区乙" in text


def test_a_unit_rejected_in_publicity_leaves_the_list_at_once(world, client, units):
    _factory, park = units
    assert "缓存测试园区乙" in client.get(PUBLICITY, {"q": "园区"}).text
    park.refresh_from_db()
    application_transition(park, name="reject", by=_province(world), comment="不符合条件")
    assert "缓存测试园区乙" not in client.get(PUBLICITY, {"q": "园区"}).text
    assert "缓存测试园区乙" not in client.get(PUBLICITY).text


def test_published_units_leave_publicity_and_their_list_shows_them_at_once(world, client, units):
    assert "缓存测试企业甲" in client.get(PUBLICITY).text
    f.after_publicity(world.clock, *units)
    client.get(PUBLICITY)  # the day after: drawn for the new day
    assert "暂无公布的名单。" in client.get(INDEX).text
    publication = publication_publish(batch=world.batch, by=_province(world))
    assert "缓存测试企业甲" not in client.get(PUBLICITY).text
    assert "缓存测试企业甲" in client.get(published(publication.pk)).text
    assert published(publication.pk) in client.get(INDEX).text


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_the_list_of_a_new_day_is_drawn_for_that_day(world, client, units):
    """Nothing is written when a period ends: the day is part of the key. Twenty minutes apart
    (not a day: a cached list would not have aged out of the cache yet)."""
    units[0].refresh_from_db()
    last_day = units[0].publicity_ends_on
    world.clock.move_to(_at(last_day, 23, 50))
    assert "缓存测试企业甲" in client.get(PUBLICITY).text
    world.clock.move_to(_at(last_day + datetime.timedelta(days=1), 0, 10))
    text = client.get(PUBLICITY).text
    assert "缓存测试企业甲" not in text and "目前没有正在公示的名单。" in text


def test_a_renamed_unit_shows_its_new_name_and_is_found_by_its_new_code_at_once(world, client, units):
    factory, _park = units
    code = f.credit_code()
    assert "缓存测试企业甲" in client.get(PUBLICITY, {"q": "缓存"}).text
    assert "缓存测试企业甲" not in client.get(PUBLICITY, {"q": code}).text
    _rename(world, factory, "更名测试企业己", credit_code=code)
    assert "更名测试企业己" in client.get(PUBLICITY).text
    assert "缓存测试企业甲" not in client.get(PUBLICITY, {"q": "缓存"}).text
    assert "更名测试企业己" in client.get(PUBLICITY, {"q": code}).text


def test_a_renamed_published_unit_shows_its_new_name_on_the_list_at_once(world, client, publication):
    url = published(publication.pk)
    assert "已公布企业丙" in client.get(url).text
    _rename(world, publication.applications.get(kind="factory"), "更名公布企业庚")
    text = client.get(url).text
    assert "更名公布企业庚" in text and "已公布企业丙" not in text


def test_a_corrected_park_type_shows_at_once(world, client, publication):
    url = published(publication.pk)
    park = publication.applications.get(kind="park").unit.park
    assert "高新技术产业开发区" in client.get(url).text
    Park.objects.filter(pk=park.pk).update(park_type="etdz")  # as the admin would
    assert "高新技术产业开发区" not in client.get(url).text


def test_an_edited_batch_shows_at_once(world, client, publication, units):
    assert "省经信厅异议受理电话" not in client.get(PUBLICITY).text
    batch_update(world.batch, by=_province(world), objection_contact="省经信厅异议受理电话 0571-00000000")
    assert "省经信厅异议受理电话" in client.get(PUBLICITY).text
    url = published(publication.pk)
    assert "浙江省测试厅" not in client.get(url).text
    batch_update(world.batch, by=_province(world), joint_departments=["浙江省测试厅", "浙江省生态环境厅"])
    assert "浙江省测试厅" in client.get(url).text


def test_edited_reference_data_shows_at_once(world, client, publication, units):
    url = published(publication.pk)
    for page in (PUBLICITY, url):
        assert "杭州测试市" not in client.get(page).text and "金属制品业" in client.get(page).text
    City.objects.filter(code="330100").update(name="杭州测试市")
    division = IndustryDivision.objects.get(code="33")
    division.name = "金属制品测试业"
    division.save()
    for page in (PUBLICITY, url):
        text = client.get(page).text
        assert "杭州测试市" in text and "金属制品测试业" in text


def test_each_language_has_its_own_list(world, client, units):
    chinese = client.get(PUBLICITY).text
    english = client.get(PUBLICITY, headers={"accept-language": "en"}).text
    assert "绿色低碳工厂" in chinese
    assert "绿色低碳工厂" not in english and english != chinese
    assert same(client.get(PUBLICITY).text) == same(chinese)


def test_lists_are_not_cached_without_a_stamp(world, client, units, django_assert_max_num_queries):
    """No stamp row (tables emptied): drawn every time, never kept."""
    from publicity.models import PublicPagesStamp

    PublicPagesStamp.objects.all().delete()
    client.get(PUBLICITY)
    f.publicity_round([world.under_review(name="无版本企业辛")])
    assert "无版本企业辛" in client.get(PUBLICITY).text


def test_a_publicity_period_starting_later_is_not_listed_before_its_day(world, client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    f.publicity_round(
        [world.under_review(name="明日公示企业壬")],
        starts_on=tomorrow,
        ends_on=tomorrow + datetime.timedelta(days=14),
    )
    world.clock.move_to(_at(tomorrow - datetime.timedelta(days=1), 23, 50))
    assert "明日公示企业壬" not in client.get(PUBLICITY).text
    world.clock.move_to(_at(tomorrow, 0, 10))
    assert "明日公示企业壬" in client.get(PUBLICITY).text
