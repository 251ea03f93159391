"""Bulk decisions from the queue: each application checked and fired on its own, one result per row."""

from applications.models import Application
from tests import factories as f


def fresh(app):
    return Application.objects.get(pk=app.pk)


def test_bulk_pass_reports_each_row_and_a_refusal_does_not_undo_the_others(world, client_of):
    a = world.in_state("factory", "county_review")
    b = world.in_state("factory", "county_review", unit=f.enterprise("330106"))
    already = world.in_state("factory", "city_review", unit=f.enterprise("330106"))
    response = client_of(world.users["county"]).post(
        "/reviews/queue/bulk/", {"name": "county_pass", "ids": [a.pk, b.pk, already.pk]}
    )
    results = {r.pk: r for r in response.context["results"]}
    assert results[a.pk].ok and results[b.pk].ok
    assert not results[already.pk].ok
    assert "不能执行“县级审核通过”" in results[already.pk].message
    assert (fresh(a).state, fresh(b).state) == ("city_review", "city_review")
    assert "成功 2 条，未执行 1 条。" in response.content.decode()


def test_bulk_return_needs_a_reason_and_then_returns_each(world, client_of):
    a = world.in_state("factory", "county_review")
    b = world.in_state("factory", "county_review", unit=f.enterprise("330106"))
    client = client_of(world.users["county"])
    refused = client.post(
        "/reviews/queue/bulk/", {"name": "return_for_revision", "ids": [a.pk, b.pk]}, follow=True
    )
    assert "批量退回修改须填写原因" in refused.content.decode()
    assert fresh(a).state == "county_review"
    done = client.post(
        "/reviews/queue/bulk/",
        {"name": "return_for_revision", "ids": [a.pk, b.pk], "comment": "请补充能耗数据", "confirmed": "yes"},
    )
    assert all(r.ok for r in done.context["results"])
    assert fresh(a).history.last().comment == "请补充能耗数据"


def test_bulk_city_recommend_stops_at_the_quota_row_by_row(world, client_of):
    world.batch.quotas.filter(city_id="330100").update(factory_quota=1)
    apps = [world.in_state("factory", "city_review", unit=f.enterprise("330106")) for _ in range(2)]
    response = client_of(world.users["city"]).post(
        "/reviews/queue/bulk/", {"name": "city_recommend", "ids": [a.pk for a in apps]}
    )
    oks = [r.ok for r in response.context["results"]]
    assert oks == [True, False]
    assert "名额已满" in response.context["results"][1].message


def test_bulk_without_selection_or_with_an_unknown_action_changes_nothing(world, client_of):
    a = world.in_state("factory", "county_review")
    client = client_of(world.users["county"])
    r1 = client.post("/reviews/queue/bulk/", {"name": "county_pass"}, follow=True)
    assert "请先勾选申报" in r1.content.decode()
    r2 = client.post("/reviews/queue/bulk/", {"name": "publish", "ids": [a.pk]}, follow=True)
    assert "请选择批量操作" in r2.content.decode()
    r3 = client.post("/reviews/queue/bulk/", {"name": "county_pass", "ids": ["x"]}, follow=True)
    assert r3.status_code == 200
    assert fresh(a).state == "county_review"


def test_bulk_return_is_confirmed_first_naming_the_units(world, client_of):
    """退回修改 from the queue, like the decision panel's: without the confirmation the answer is a
    page naming the ticked units (the same fields posted back, confirmed) and nothing changes; an
    application of another county is neither named nor returned."""
    a = world.in_state("factory", "county_review")
    b = world.in_state("factory", "county_review", unit=f.enterprise("330106"))
    other = world.in_state("factory", "county_review", unit=world.other_factory_org)
    client = client_of(world.users["county"])
    post = {"name": "return_for_revision", "ids": [a.pk, b.pk, other.pk], "comment": "请补充能耗数据"}
    page = client.post("/reviews/queue/bulk/", post)
    assert page.status_code == 200
    html = page.content.decode()
    assert "确认批量退回修改" in html
    assert a.unit.name in html and b.unit.name in html
    assert other.unit.name not in html
    assert "原因：请补充能耗数据" in html
    assert 'name="confirmed" value="yes"' in html
    assert {fresh(a).state, fresh(b).state, fresh(other).state} == {"county_review"}
    done = client.post("/reviews/queue/bulk/", {**post, "confirmed": "yes"})
    assert [r.ok for r in done.context["results"]] == [True, True, False]
    assert (fresh(a).state, fresh(b).state) == ("returned", "returned")
    assert fresh(other).state == "county_review"


def test_bulk_pass_is_not_asked_to_confirm_and_a_return_without_reason_is_refused_before(world, client_of):
    """Passing moves the applications on (as in the decision panel, no confirmation); a return
    without its reason is refused at once, not after a confirmation."""
    a = world.in_state("factory", "county_review")
    client = client_of(world.users["county"])
    refused = client.post("/reviews/queue/bulk/", {"name": "return_for_revision", "ids": [a.pk]}, follow=True)
    assert "批量退回修改须填写原因" in refused.content.decode()
    assert refused.redirect_chain  # back to the queue, not to a confirmation page
    assert 'name="confirmed" value="yes"' not in refused.content.decode()
    passed = client.post("/reviews/queue/bulk/", {"name": "county_pass", "ids": [a.pk]})
    assert [r.ok for r in passed.context["results"]] == [True]
