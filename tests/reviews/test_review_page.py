"""The reviewer's application page and its decisions: what it shows, who may act, what the state
machine allows — on the page and through the API alike."""

import pytest

from applications.models import Application
from applications.services import application_transition
from tests import factories as f


def fresh(app):
    return Application.objects.get(pk=app.pk)


def test_review_page_shows_profile_indicators_documents_assessor_and_timeline(world, client_of):
    assessor = f.assessor()
    app = world.application("factory", assessor_org=assessor)
    application_transition(app, name="submit", by=world.users["applicant_factory"])
    response = client_of(world.users["county"]).get(f"/reviews/applications/{app.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "energy_per_unit" not in html  # codes are for the machine, labels for the reviewer
    for text in (
        world.factory_org.enterprise.credit_code,
        # The declared indicators by their labels, each value beside its industry benchmark.
        "单位产品综合能耗",
        "单位产品取水量",
        "可再生能源使用比例",
        "<td>12.5</td><td>15</td>",
        "行业对标值",
        "自评价报告",
        assessor.name,
        "本批次评价项目 1 / 上限 10",
        "提交审核",
        "县级审核通过",
        "退回修改",
        "不予通过",
    ):
        assert text in html, text
    document = app.documents.first()
    assert f"/applications/{app.pk}/documents/{document.pk}/" in html


def test_review_page_opens_the_pdf_in_the_browser(world, client_of):
    app = world.in_state("factory", "county_review")
    document = app.documents.first()
    response = client_of(world.users["county"]).get(f"/applications/{app.pk}/documents/{document.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")


def test_county_passes_a_factory_from_the_review_page(world, client_of):
    app = world.in_state("factory", "county_review")
    response = client_of(world.users["county"]).post(
        f"/reviews/applications/{app.pk}/transition/",
        {"name": "county_pass", "comment": "材料齐全", "seen_state": "county_review"},
        follow=True,
    )
    assert fresh(app).state == "city_review"
    assert "操作成功，申报状态：市级审核" in response.content.decode()
    log = fresh(app).history.last()
    assert (log.actor, log.comment) == (world.users["county"], "材料齐全")


def test_return_without_a_reason_is_refused_and_changes_nothing(world, client_of):
    app = world.in_state("factory", "county_review")
    response = client_of(world.users["county"]).post(
        f"/reviews/applications/{app.pk}/transition/",
        {"name": "return_for_revision", "comment": "  ", "seen_state": "county_review"},
    )
    assert response.status_code == 400
    assert fresh(app).state == "county_review"
    html = response.content.decode()
    # The message sits beside the comment field, whose label now asks for the reason.
    assert 'id="comment-error">请填写退回修改的原因' in html
    assert "退回修改的原因（必填）</label>" in html


@pytest.mark.parametrize(("name", "state"), [("reject", "rejected"), ("return_for_revision", "returned")])
def test_destructive_decisions_are_confirmed_before_they_happen(world, client_of, name, state):
    app = world.in_state("factory", "county_review")
    client = client_of(world.users["county"])
    data = {"name": name, "comment": "能耗数据缺失", "seen_state": "county_review"}
    first = client.post(f"/reviews/applications/{app.pk}/transition/", data)
    html = first.content.decode()
    assert first.status_code == 200 and "原因：能耗数据缺失" in html
    assert f'<input type="hidden" name="name" value="{name}">' in html
    assert fresh(app).state == "county_review"
    client.post(f"/reviews/applications/{app.pk}/transition/", {**data, "confirmed": "yes"})
    assert fresh(app).state == state
    assert fresh(app).history.last().comment == "能耗数据缺失"


def test_the_decision_panel_has_one_comment_field_and_sets_destructive_decisions_apart(world, client_of):
    app = world.in_state("factory", "county_review")
    html = client_of(world.users["county"]).get(f"/reviews/applications/{app.pk}/").content.decode()
    panel = html.split('class="card actions decision-panel"')[1].split("</section>")[0]
    assert panel.count("<textarea") == 1
    assert "意见或原因（退回修改、不予通过时必填）" in panel
    send_back = panel.split('class="destructive"')[1]
    assert 'value="return_for_revision"' in send_back and 'value="reject"' in send_back
    assert 'value="county_pass"' not in send_back
    assert 'data-comment-label="不予通过的原因（必填）"' in send_back


def test_a_decision_must_be_chosen(world, client_of):
    app = world.in_state("factory", "county_review")
    response = client_of(world.users["county"]).post(
        f"/reviews/applications/{app.pk}/transition/", {"comment": "x", "seen_state": "county_review"}
    )
    assert response.status_code == 400
    assert 'id="decision-error">请选择审核决定。' in response.content.decode()
    assert fresh(app).state == "county_review"


def test_a_stale_page_gets_a_clear_message_and_the_current_state(world, client_of):
    app = world.in_state("factory", "county_review")
    application_transition(fresh(app), name="county_pass", by=f.user_of(f.county_bureau("330106")))
    response = client_of(world.users["county"]).post(
        f"/reviews/applications/{app.pk}/transition/",
        {"name": "return_for_revision", "comment": "补充", "seen_state": "county_review"},
        follow=True,
    )
    html = response.content.decode()
    assert "该申报刚被其他人处理，当前状态为“市级审核”" in html
    assert response.context["application"].state == "city_review"
    assert fresh(app).history.count() == 2


def test_recommending_past_the_quota_is_refused_with_the_reason(world, client_of):
    world.batch.quotas.filter(city_id="330100").update(factory_quota=1)
    world.in_state("factory", "recommended")
    second = world.in_state("factory", "city_review", unit=f.enterprise("330106"))
    client = client_of(world.users["city"])
    page = client.get(f"/reviews/applications/{second.pk}/").content.decode()
    assert "杭州市本批次工厂推荐名额为1个，已推荐1个，名额已满。" in page
    response = client.post(
        f"/reviews/applications/{second.pk}/transition/",
        {"name": "city_recommend", "seen_state": "city_review"},
        follow=True,
    )
    assert "名额已满" in response.content.decode()
    assert fresh(second).state == "city_review"


# --- region and role ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_county", "other_city", "other_applicant", "assessor"])
def test_another_regions_bureau_cannot_see_or_act_on_the_application(world, client_of, who):
    app = world.in_state("factory", "county_review")
    client = client_of(world.users[who])
    assert client.get(f"/reviews/applications/{app.pk}/").status_code == 404
    response = client.post(
        f"/reviews/applications/{app.pk}/transition/", {"name": "county_pass", "seen_state": "county_review"}
    )
    assert response.status_code == 404
    assert fresh(app).state == "county_review"


def test_review_page_says_whether_the_park_is_on_the_city_green_park_list(world, client_of):
    park = world.in_state("park", "city_review")
    client = client_of(world.users["city"])
    assert (
        '市级绿色低碳工业园区</dt><dd><span class="late">未列入杭州市市级名单'
        in client.get(f"/reviews/applications/{park.pk}/").content.decode()
    )
    f.city_list_entry(world.park_org)
    assert (
        "市级绿色低碳工业园区</dt><dd>已列入"
        in client.get(f"/reviews/applications/{park.pk}/").content.decode()
    )


def test_a_city_cannot_act_on_another_citys_park(world, client_of):
    park = world.in_state("park", "city_review")
    client = client_of(world.users["other_city"])
    assert (
        client.post(f"/reviews/applications/{park.pk}/transition/", {"name": "city_recommend"}).status_code
        == 404
    )
    assert (
        client.post(f"/api/v1/applications/{park.pk}/transition/", {"name": "city_recommend"}).status_code
        == 404
    )
    assert fresh(park).state == "city_review"


@pytest.mark.parametrize(
    ("state", "who", "name"),
    [
        ("county_review", "county", "city_recommend"),
        ("county_review", "county", "send_to_province"),
        ("city_review", "county", "county_pass"),
        ("city_review", "city", "county_pass"),
        ("recommended", "city", "city_recommend"),
        ("province_review", "city", "return_for_revision"),
        ("returned", "county", "county_pass"),
        ("rejected", "county", "return_for_revision"),
    ],
)
def test_nobody_fires_a_transition_the_state_machine_does_not_allow(world, client_of, state, who, name):
    app = world.in_state("factory", state)
    before = fresh(app).history.count()
    client = client_of(world.users[who])
    page = client.post(
        f"/reviews/applications/{app.pk}/transition/", {"name": name, "comment": "理由"}, follow=True
    )
    assert page.status_code == 200
    assert any(m.level_tag == "error" for m in page.context["messages"])
    api = client.post(f"/api/v1/applications/{app.pk}/transition/", {"name": name, "comment": "理由"})
    assert api.status_code in (403, 409), api.content
    assert fresh(app).state == state
    assert fresh(app).history.count() == before


def test_the_bulk_form_cannot_act_on_another_countys_application(world, client_of):
    other = world.in_state("factory", "county_review", unit=world.other_factory_org)
    response = client_of(world.users["county"]).post(
        "/reviews/queue/bulk/", {"name": "county_pass", "ids": [other.pk]}
    )
    assert response.status_code == 200
    assert "未找到该申报" in response.content.decode()
    assert other.unit.name not in response.content.decode()
    assert fresh(other).state == "county_review"


def test_bureaus_opening_the_generic_application_page_land_on_the_review_page(world, client_of):
    app = world.in_state("factory", "county_review")
    response = client_of(world.users["county"]).get(f"/applications/{app.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/reviews/applications/{app.pk}/"
    # The gate comes first: another county learns nothing, not even where the page would be.
    assert client_of(world.users["other_county"]).get(f"/applications/{app.pk}/").status_code == 404
    assert client_of(world.users["applicant_factory"]).get(f"/applications/{app.pk}/").status_code == 200
