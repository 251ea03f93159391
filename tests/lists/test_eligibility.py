"""Eligibility from the lists (通知 一(二)): the factory condition reads an active city-level
entry of the enterprise's credit code; an entry that ends during review warns the reviewer and
stops the recommendation; Annex 2's 是否列入市绿色制造名单 comes from the lists."""

import pytest

from applications.services import application_transition
from core.exceptions import NotAllowedNow
from exports.annex2 import annex2_rows_for
from lists.models import ListEntry
from lists.selectors import latest_city_entry
from lists.services import city_list_import, list_entry_end
from reference.models import City
from tests import factories as f

from .conftest import xlsx


def test_a_factory_not_on_its_city_list_is_refused_with_a_reason_naming_the_list(lw):
    app = f.application(lw.factory_org, lw.batch)
    with pytest.raises(NotAllowedNow) as info:
        application_transition(app, name="submit", by=lw.factory)
    assert "未列入杭州市市级绿色低碳工厂名单" in str(info.value)


def test_a_factory_on_another_citys_list_is_not_eligible_here(lw):
    f.city_list_entry(lw.factory_org, city_id="330200", county_id="330203")
    app = f.application(lw.factory_org, lw.batch)
    with pytest.raises(NotAllowedNow):
        application_transition(app, name="submit", by=lw.factory)


def test_a_factory_on_the_list_uploaded_by_its_city_submits(lw):
    e = lw.factory_org.enterprise
    city_list_import(
        city=City.objects.get(code="330100"),
        year=lw.year,
        data=xlsx([(1, lw.factory_org.name, e.credit_code, "西湖区", "工厂", "3311", 2024)]),
        file_name="list.xlsx",
        by=lw.city,
    )
    app = f.application(lw.factory_org, lw.batch)
    application_transition(app, name="submit", by=lw.factory)
    assert app.state == "county_review"


def test_an_ended_entry_warns_the_reviewer_and_the_city_cannot_recommend(lw, client):
    entry = f.city_list_entry(lw.factory_org)
    app = f.application(lw.factory_org, lw.batch)
    f.advance(app, "city_review")
    client.force_login(lw.city)
    assert 'data-testid="list-warning"' not in client.get(f"/reviews/applications/{app.pk}/").content.decode()
    list_entry_end(entry, by=lw.city, reason="发生较大安全生产事故")
    page = client.get(f"/reviews/applications/{app.pk}/").content.decode()
    assert 'data-testid="list-warning"' in page and "发生较大安全生产事故" in page
    app.refresh_from_db()
    with pytest.raises(NotAllowedNow) as info:
        application_transition(app, name="city_recommend", by=lw.city)
    assert "未列入杭州市市级绿色低碳工厂名单" in str(info.value)


def test_annex2_column_comes_from_the_lists_for_factories_and_parks(lw):
    listed_factory = f.enterprise("330106", name="甲工厂")  # green: on Hangzhou's list
    unlisted_factory = f.enterprise("330106", name="乙工厂", green=False)
    listed_park, unlisted_park = f.park("330100", name="甲园区"), f.park("330100", name="乙园区")
    f.city_list_entry(listed_park)
    ended = f.enterprise("330106", name="丙工厂")
    list_entry_end(ListEntry.objects.get(organisation=ended), by=lw.city, reason="移出")
    apps = [
        f.application(o, lw.batch)
        for o in (listed_factory, unlisted_factory, ended, listed_park, unlisted_park)
    ]
    for a in apps:
        a.refresh_from_db()
    parks, factories = annex2_rows_for(apps)
    assert [(r.name, r.on_city_list) for r in factories] == [
        ("甲工厂", "是"),
        ("乙工厂", "否"),
        ("丙工厂", "否"),
    ]
    assert [(r.name, r.on_city_list) for r in parks] == [("甲园区", "是"), ("乙园区", "否")]


def test_the_applicants_submit_page_shows_the_list_entry(lw, client):
    f.city_list_entry(lw.factory_org, year=2023)
    app = f.application(lw.factory_org, lw.batch)
    client.force_login(lw.factory)
    page = client.get(f"/applications/{app.pk}/submit/").content.decode()
    assert "已列入（2023" in page


@pytest.mark.parametrize("tier", ["national", "provincial"])
def test_only_the_city_level_list_makes_a_factory_eligible(lw, tier):
    """通知 一(二): candidates come from the city-level list; an entry on another tier (the national
    list, or an earlier provincial one) in the same city does not stand in for it."""
    f.city_list_entry(lw.factory_org, tier=tier)
    app = f.application(lw.factory_org, lw.batch)
    with pytest.raises(NotAllowedNow) as info:
        application_transition(app, name="submit", by=lw.factory)
    assert "未列入杭州市市级绿色低碳工厂名单" in str(info.value)


def test_a_factory_is_eligible_by_its_own_credit_code_not_by_another_factory_on_the_list(lw):
    f.enterprise("330106", name="已列入的邻居有限公司")  # on Hangzhou's city-level list (green)
    app = f.application(lw.factory_org, lw.batch)
    with pytest.raises(NotAllowedNow) as info:
        application_transition(app, name="submit", by=lw.factory)
    assert "未列入杭州市市级绿色低碳工厂名单" in str(info.value)


def test_a_park_entry_carrying_the_same_credit_code_does_not_list_the_factory(lw):
    """The factory condition reads the list of factories: a park's row on the city's list (which
    may carry its management body's code) is not a factory's entry."""
    park = f.park("330100", name="某高新区")
    f.city_list_entry(park, credit_code=lw.factory_org.enterprise.credit_code)
    app = f.application(lw.factory_org, lw.batch)
    with pytest.raises(NotAllowedNow):
        application_transition(app, name="submit", by=lw.factory)


def test_the_reviewer_reads_the_units_own_city_level_entry_in_that_city(lw):
    """The review page's list warning reads the unit's own entry on the city-level list of the
    application's city — not a neighbour's, not another tier's, not another city's."""
    f.enterprise("330106", name="邻居有限公司")  # a neighbour on Hangzhou's city-level list
    f.city_list_entry(lw.factory_org, tier="provincial", year=2020)
    assert latest_city_entry(lw.factory_org, "330100") is None
    entry = f.city_list_entry(lw.factory_org)
    assert latest_city_entry(lw.factory_org, "330100") == entry
    assert latest_city_entry(lw.factory_org, "330200") is None


def test_annex2_says_no_for_a_unit_only_on_another_tier(lw):
    """是否列入市绿色制造名单 asks about the city-level list: a unit on the national or an earlier
    provincial list only is 否."""
    national_only = f.enterprise("330106", name="国家级工厂", green=False)
    f.city_list_entry(national_only, tier="national")
    app = f.application(national_only, lw.batch)
    app.refresh_from_db()
    _parks, factories = annex2_rows_for([app])
    assert [(r.name, r.on_city_list) for r in factories] == [("国家级工厂", "否")]
