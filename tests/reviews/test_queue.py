"""The bureaus' queues (通知 二(二)): who sees what, filters, search, sort, tabs, pagination, and a
constant number of queries whatever the number of rows."""

import pytest

from applications.services import application_transition
from tests import factories as f


def names(response):
    return [row["a"].unit.name for row in response.context["rows"]]


def test_county_queue_lists_its_own_factories_waiting_for_it(world, client_of):
    mine = world.in_state("factory", "county_review")
    other = world.in_state("factory", "county_review", unit=world.other_factory_org)
    response = client_of(world.users["county"]).get("/reviews/queue/")
    assert response.status_code == 200
    assert names(response) == [mine.unit.name]
    assert other.unit.name not in response.content.decode()


def test_city_queue_lists_parks_and_factories_their_county_passed(world, client_of):
    park = world.in_state("park", "city_review")
    passed = world.in_state("factory", "city_review")
    waiting_for_county = world.in_state("factory", "county_review", unit=world.other_factory_org)
    response = client_of(world.users["city"]).get("/reviews/queue/")
    assert set(names(response)) == {park.unit.name, passed.unit.name}
    assert waiting_for_county.unit.name not in response.content.decode()
    # Another city sees none of them.
    assert names(client_of(world.users["other_city"]).get("/reviews/queue/")) == []


def test_the_pending_tab_lists_only_what_waits_for_review(world, client_of):
    waiting = world.in_state("factory", "city_review")
    recommended = world.in_state("factory", "recommended", unit=f.enterprise("330106"))
    client = client_of(world.users["city"])
    assert names(client.get("/reviews/queue/")) == [waiting.unit.name]  # 待审核: no 市级已推荐
    assert names(client.get("/reviews/queue/", {"tab": "passed"})) == [recommended.unit.name]


def test_city_queue_shows_the_quota_bar(world, client_of):
    world.in_state("factory", "recommended")
    response = client_of(world.users["city"]).get("/reviews/queue/")
    quota = response.context["quota"]
    assert (quota["used"], quota["quota"]) == (1, 2)
    assert "已推荐 1 / 名额 2" in response.content.decode()


def test_queue_columns_show_county_industry_assessor_days_and_documents(world, client_of):
    assessor = f.assessor()
    app = world.application("factory", assessor_org=assessor)
    application_transition(app, name="submit", by=world.users["applicant_factory"])
    response = client_of(world.users["county"]).get("/reviews/queue/")
    row = response.context["rows"][0]
    assert row["industry"] == "金属制品业"
    assert row["days"] == 0
    assert row["docs_complete"] is True
    html = response.content.decode()
    for text in ("西湖区", "金属制品业", assessor.name, "0天", "齐全"):
        assert text in html, text


def test_queue_filters_search_and_sort(world, client_of):
    a = world.in_state("factory", "county_review")
    b_unit = f.enterprise("330106", name="乙字号制造有限公司", industry="2611")
    b = world.in_state("factory", "county_review", unit=b_unit)
    client = client_of(world.users["county"])
    assert names(client.get("/reviews/queue/", {"q": "乙字号"})) == [b.unit.name]
    assert names(client.get("/reviews/queue/", {"q": b_unit.enterprise.credit_code})) == [b.unit.name]
    assert names(client.get("/reviews/queue/", {"industry": "33"})) == [a.unit.name]
    assert names(client.get("/reviews/queue/", {"kind": "park"})) == []
    assert names(client.get("/reviews/queue/", {"sort": "unit"})) == sorted([a.unit.name, b.unit.name])
    assert names(client.get("/reviews/queue/", {"sort": "-unit"})) == sorted([a.unit.name, b.unit.name])[::-1]
    # Nonsense filters are ignored, not a 500.
    assert client.get("/reviews/queue/", {"sort": "password", "state": "x", "page": "abc"}).status_code == 200


def test_queue_tabs_list_what_this_bureau_passed_returned_and_rejected(world, client_of):
    passed = world.in_state("factory", "city_review")
    returned = world.in_state("factory", "returned", unit=f.enterprise("330106"))
    rejected = world.in_state("factory", "rejected", unit=f.enterprise("330106"))
    client = client_of(world.users["county"])
    assert names(client.get("/reviews/queue/", {"tab": "passed"})) == [passed.unit.name]
    assert names(client.get("/reviews/queue/", {"tab": "returned"})) == [returned.unit.name]
    assert names(client.get("/reviews/queue/", {"tab": "rejected"})) == [rejected.unit.name]
    # The city has decided nothing yet.
    assert names(client_of(world.users["city"]).get("/reviews/queue/", {"tab": "passed"})) == []


def test_decided_tabs_show_the_latest_decision_first(world, client_of):
    """What a bureau passed is listed by when it decided, the latest first (not by deadline: the
    tab is its record), however the applications were created."""
    import datetime

    from django.utils import timezone

    older, newer = (world.in_state("factory", "county_review", unit=f.enterprise("330106")) for _ in range(2))
    county = world.users["county"]
    world.clock.move_to(timezone.now())
    application_transition(newer, name="county_pass", by=county)
    world.clock.move_to(timezone.now() + datetime.timedelta(hours=1))
    application_transition(older, name="county_pass", by=county)
    passed = client_of(county).get("/reviews/queue/", {"tab": "passed"})
    assert names(passed) == [older.unit.name, newer.unit.name]


def test_queue_paginates(world, client_of, settings):
    from reviews import views

    for _ in range(3):
        world.in_state("factory", "county_review", unit=f.enterprise("330106"))
    views.PAGE_SIZE, old = 2, views.PAGE_SIZE
    try:
        client = client_of(world.users["county"])
        first = client.get("/reviews/queue/")
        second = client.get("/reviews/queue/", {"page": 2})
    finally:
        views.PAGE_SIZE = old
    assert len(names(first)) == 2 and len(names(second)) == 1
    assert "第 1 / 2 页" in first.content.decode()


@pytest.mark.parametrize("who", ["applicant_factory", "assessor", "province"])
def test_queue_is_not_there_for_non_reviewers(world, client_of, who):
    world.in_state("factory", "county_review")
    assert client_of(world.users[who]).get("/reviews/queue/").status_code == 404


def test_queue_needs_sign_in(client):
    response = client.get("/reviews/queue/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _fill(world, n):
    assessor = f.assessor()
    county = world.users["county"]
    for i in range(n):
        unit = f.enterprise("330106")
        app = f.application(unit, world.batch, assessor_org=assessor if i % 2 else None)
        application_transition(app, name="submit", by=unit.users.first())
        if i % 3 == 0:
            application_transition(app, name="county_pass", by=county)
    park = f.park("330100")
    application_transition(f.application(park, world.batch), name="submit", by=park.users.first())


@pytest.mark.parametrize("rows", [5, 200])
@pytest.mark.parametrize("who", ["county", "city"])
def test_queue_runs_a_constant_number_of_queries(world, client_of, django_assert_max_num_queries, rows, who):
    world.batch.assessor_cap = 1000
    world.batch.save()
    _fill(world, rows)
    client = client_of(world.users[who])
    for tab in ("pending", "passed"):
        # 13: the page's ids in order with the list's count beside them, then those rows
        # (core.pagination.DeferredJoinPaginator); the decided tabs read the bureau's people first.
        with django_assert_max_num_queries(13 if tab == "passed" else 12):
            response = client.get("/reviews/queue/", {"tab": tab, "sort": "-days"})
        assert response.status_code == 200
        if tab == "pending":
            assert len(response.context["rows"]) == min(50, response.context["page"].paginator.count)
            assert response.context["page"].paginator.count > rows // 3


def test_queue_column_headers_sort_and_toggle(world, client_of):
    a = world.in_state("factory", "county_review", unit=f.enterprise("330106", name="甲企业"))
    b = world.in_state("factory", "county_review", unit=f.enterprise("330106", name="乙企业"))
    client = client_of(world.users["county"])
    response = client.get("/reviews/queue/", {"sort": "unit", "kind": "factory"})
    assert names(response) == sorted([a.unit.name, b.unit.name])
    link = response.context["sort_links"]["unit"]["query"]
    assert "sort=-unit" in link and "kind=factory" in link
    assert names(client.get("/reviews/queue/?" + link)) == sorted([a.unit.name, b.unit.name], reverse=True)
