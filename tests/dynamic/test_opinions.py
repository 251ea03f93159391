"""The province's page of every city's opinions (通知 一(三)): filters (city, kind, opinion, flag,
decided), the reasons and evidence beside each opinion, a decision per unit that comes back to
the same filtered page, refusals with the reason, constant queries, and nobody else sees it."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dynamic.models import DynamicForm
from dynamic.services import campaign_open, form_document_upload, form_transition, form_update
from tests import factories as f

from .conftest import complete_data, provincial_entry

URL = reverse("dynamic-opinions")


def _removal_proposed(world):
    """The factory reported a 重大 accident; the city evaluated on site and proposes removal."""
    form = world.in_state("factory", "city_review", safety_accident="major")
    form_document_upload(
        form=form, kind="evaluation", upload=f.pdf_upload("现场评估记录.pdf"), by=world.users["city"]
    )
    form_transition(
        form,
        name="city_conclude",
        by=world.users["city"],
        opinion="remove",
        reasons=["major_accident"],
        comment="经现场核查，事故属实",
        evaluation_findings="厂区已停产整顿",
    )
    return form


@pytest.fixture
def opinions(world):
    removal = _removal_proposed(world)
    keep = world.in_state("park", "city_done")  # the city's opinion: keep
    other = world.in_state("other", "city_done")  # 宁波
    return removal, keep, other


def test_every_citys_opinions_with_reasons_and_evidence(world, opinions, client):
    removal, keep, other = opinions
    client.force_login(world.users["province"])
    body = client.get(URL).content.decode()
    for form in (removal, keep, other):
        assert form.unit_name in body
    assert "经现场核查，事故属实" in body and "厂区已停产整顿" in body
    assert "发生重大及以上安全生产或质量事故" in body
    evaluation = removal.documents.get(kind="evaluation")
    signed = removal.documents.get(kind="signed_form")
    for doc in (evaluation, signed):
        assert reverse("dynamic-document", args=[removal.pk, doc.pk]) in body
    # Not yet with the city's opinion: not on the page.
    assert world.form("national").unit_name not in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"city": "330200"}, {"other"}),
        ({"kind": "park"}, {"keep"}),
        ({"opinion": "remove"}, {"removal"}),
        ({"flag": "major_accident"}, {"removal"}),
        ({"flag": "dishonest"}, set()),
        ({"decided": ""}, {"removal", "keep", "other"}),
    ],
)
def test_filters(world, opinions, client, query, expected):
    removal, keep, other = opinions
    names = {"removal": removal, "keep": keep, "other": other}
    client.force_login(world.users["province"])
    body = client.get(URL, query).content.decode()
    for key, form in names.items():
        assert (f'id="form-{form.pk}"' in body) == (key in expected), (query, key)


def test_decision_returns_to_the_same_filtered_page(world, opinions, client):
    removal, _keep, _other = opinions
    client.force_login(world.users["province"])
    page = client.get(URL, {"city": "330100", "kind": "factory"})
    nxt = page.context["next"]
    resp = client.post(
        reverse("dynamic-transition", args=[removal.pk]),
        {
            "name": "decide",
            "decision": "remove",
            "comment": "重大安全事故，撤销",
            "next": nxt,
            "confirmed": "yes",
        },
    )
    assert resp.status_code == 302
    location = urlsplit(resp["Location"])
    assert location.path == URL and location.fragment == f"form-{removal.pk}"
    assert parse_qs(location.query)["city"] == ["330100"] and parse_qs(location.query)["kind"] == ["factory"]
    removal.refresh_from_db()
    assert removal.state == "decided" and removal.decision == "remove"
    # Decided: off the default (pending) view, on the decided one with the reason.
    assert f'id="form-{removal.pk}"' not in client.get(URL).content.decode()
    body = client.get(URL, {"decided": "yes"}).content.decode()
    assert "重大安全事故，撤销" in body


def test_removal_without_reason_is_refused_with_the_unit_named(world, opinions, client):
    removal, _keep, _other = opinions
    client.force_login(world.users["province"])
    resp = client.post(
        reverse("dynamic-transition", args=[removal.pk]),
        {"name": "decide", "decision": "remove", "comment": "", "next": f"{URL}?decided=no"},
        follow=True,
    )
    removal.refresh_from_db()
    assert removal.state == "city_done" and removal.decision == ""
    assert f"{removal.unit_name}：撤销须填写理由。" in resp.content.decode()


def test_next_elsewhere_is_ignored(world, opinions, client):
    removal, _keep, _other = opinions
    client.force_login(world.users["province"])
    for nxt in ("https://example.com/dynamic/opinions/", "/accounts/logout/"):
        resp = client.post(
            reverse("dynamic-transition", args=[removal.pk]),
            {"name": "return_to_city", "comment": "请补充", "next": nxt, "confirmed": "yes"},
        )
        assert resp["Location"] == reverse("dynamic-form", args=[removal.pk])


@pytest.mark.parametrize("who", ["city", "county", "other_city", "factory"])
def test_only_the_province_sees_the_page(world, opinions, client, who):
    client.force_login(world.users[who])
    assert client.get(URL).status_code == 404


def test_anonymous_goes_to_sign_in(client):
    assert client.get(URL).status_code == 302


def _more_opinions(world, n):
    """n more parks of 杭州 with the city's opinion, each at the batch's value-added threshold."""
    units = []
    for _ in range(n):
        org = f.park("330100")
        provincial_entry(org)
        units.append((org, f.user_of(org)))
    campaign_open(batch=world.batch, by=world.users["province"])
    for org, user in units:
        form = DynamicForm.objects.get(batch=world.batch, unit=org)
        data = complete_data(form)
        years = sorted(data["indicators"]["value_added_share"])
        data["indicators"]["value_added_share"] = {years[0]: 40, years[1]: 45, years[2]: 50}
        form_update(form, by=user, data=data)
        form_document_upload(form=form, kind="signed_form", upload=f.pdf_upload(), by=user)
        form_transition(form, name="submit", by=user)
        form_transition(form, name="city_conclude", by=world.users["city"], opinion="keep")


@pytest.mark.parametrize("query", [{}, {"flag": "park_share"}, {"flag": "overdue", "decided": ""}])
def test_page_runs_constant_queries(world, opinions, client, django_assert_max_num_queries, query):
    client.force_login(world.users["province"])
    _more_opinions(world, 2)
    with django_assert_max_num_queries(25) as small:
        assert client.get(URL, query).status_code == 200
    _more_opinions(world, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        resp = client.get(URL, query)
    assert resp.status_code == 200
    if query.get("flag") != "overdue":
        assert len(resp.context["cards"]) >= 14


def test_api_list_filters_by_flag(world, opinions):
    removal, _keep, _other = opinions
    client = APIClient()
    client.force_authenticate(world.users["province"])
    rows = client.get("/api/v1/dynamic/forms/", {"flag": "major_accident"}).json()["results"]
    assert [r["id"] for r in rows] == [removal.pk]
    assert client.get("/api/v1/dynamic/forms/", {"flag": "no-such-flag"}).json()["count"] == 0
    city = APIClient()
    city.force_authenticate(world.users["other_city"])
    assert city.get("/api/v1/dynamic/forms/", {"flag": "major_accident"}).json()["count"] == 0
