"""The dynamic-management API: the list through the visibility gate with filters, the form's data,
documents, transitions with their status codes, history, and the OpenAPI schema."""

import pytest
from rest_framework.test import APIClient

from tests import factories as f

from .conftest import complete_data

BASE = "/api/v1/dynamic/forms/"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("factory", {"factory"}),
        ("county", {"factory", "national"}),
        ("city", {"factory", "park", "national"}),
        ("other_city", {"other"}),
        ("province", {"factory", "park", "national", "other"}),
    ],
)
def test_list_through_the_gate(world, who, expected):
    data = api(world.users[who]).get(BASE).json()
    ids = {r["id"] for r in data["results"]}
    assert ids == {world.form(w).pk for w in expected}
    assert data["count"] == len(expected)


def test_list_filters(world):
    client = api(world.users["province"])
    assert {r["kind"] for r in client.get(BASE, {"kind": "park"}).json()["results"]} == {"park"}
    assert {r["city"] for r in client.get(BASE, {"city": "330200"}).json()["results"]} == {"330200"}
    assert client.get(BASE, {"year": 2019}).json()["count"] == 0
    world.in_state("factory", "county_review")
    rows = client.get(BASE, {"state": "county_review"}).json()["results"]
    assert [r["id"] for r in rows] == [world.form("factory").pk]


def test_other_region_is_404_everywhere(world):
    form = world.form("other")
    client = api(world.users["city"])
    assert client.get(f"{BASE}{form.pk}/").status_code == 404
    assert client.put(f"{BASE}{form.pk}/", {}, format="json").status_code == 404
    assert client.get(f"{BASE}{form.pk}/history/").status_code == 404
    assert client.post(f"{BASE}{form.pk}/transition/", {"name": "submit"}, format="json").status_code == 404
    assert (
        client.post(
            f"{BASE}{form.pk}/documents/", {"kind": "signed_form", "file": f.pdf_upload()}
        ).status_code
        == 404
    )
    assert api(f.user_of(f.assessor())).get(BASE).json()["count"] == 0


def test_unit_fills_uploads_and_submits(world):
    form = world.form("factory")
    client = api(world.users["factory"])
    data = complete_data(form)
    data.pop("park_area"), data.pop("park_boundary")
    resp = client.put(f"{BASE}{form.pk}/", data, format="json")
    assert resp.status_code == 200, resp.json()
    assert resp.json()["address"] == data["address"] and resp.json()["pledged_at"]
    resp = client.post(f"{BASE}{form.pk}/documents/", {"kind": "signed_form", "file": f.pdf_upload()})
    assert resp.status_code == 201
    resp = client.post(f"{BASE}{form.pk}/transition/", {"name": "submit"}, format="json")
    assert resp.status_code == 200 and resp.json()["state"] == "county_review"
    history = client.get(f"{BASE}{form.pk}/history/").json()
    assert [(h["transition"], h["source"], h["target"]) for h in history] == [
        ("submit", "draft", "county_review")
    ]


def test_bad_input_is_400_with_the_reason_and_changes_nothing(world):
    form = world.form("factory")
    client = api(world.users["factory"])
    resp = client.put(f"{BASE}{form.pk}/", {"indicators": {"renewable_share": {"2024": 120}}}, format="json")
    assert resp.status_code == 400 and "百分比" in str(resp.json())
    resp = client.put(f"{BASE}{form.pk}/", {"operating": "bankrupt"}, format="json")
    assert resp.status_code == 400
    resp = client.post(
        f"{BASE}{form.pk}/documents/", {"kind": "signed_form", "file": f.pdf_upload()} | {"file": b"x"}
    )
    assert resp.status_code == 400
    form.refresh_from_db()
    assert form.indicators == {} and form.operating == ""


def test_transition_status_codes(world):
    form = world.in_state("factory", "county_review")
    county = api(world.users["county"])
    # 400: a return needs a reason
    resp = county.post(f"{BASE}{form.pk}/transition/", {"name": "return_for_revision"}, format="json")
    assert resp.status_code == 400 and resp.json()["reasons"]
    # 403: the unit itself may see it but not pass it
    resp = api(world.users["factory"]).post(
        f"{BASE}{form.pk}/transition/", {"name": "county_pass"}, format="json"
    )
    assert resp.status_code == 403
    # 409: not from this state, with the reason
    resp = county.post(f"{BASE}{form.pk}/transition/", {"name": "decide", "decision": "keep"}, format="json")
    assert resp.status_code in (403, 409)
    resp = api(world.users["city"]).post(
        f"{BASE}{form.pk}/transition/", {"name": "city_conclude", "opinion": "keep"}, format="json"
    )
    assert resp.status_code == 409 and "县级审核" in resp.json()["reasons"][0]
    # 200
    assert (
        county.post(f"{BASE}{form.pk}/transition/", {"name": "county_pass"}, format="json").status_code == 200
    )
    city = api(world.users["city"])
    resp = city.post(
        f"{BASE}{form.pk}/transition/",
        {"name": "city_conclude", "opinion": "remove", "reasons": ["nonsense"]},
        format="json",
    )
    assert resp.status_code == 400
    resp = city.post(
        f"{BASE}{form.pk}/transition/", {"name": "city_conclude", "opinion": "remove"}, format="json"
    )
    assert resp.status_code == 400 and "理由" in str(resp.json())
    resp = city.post(
        f"{BASE}{form.pk}/transition/",
        {"name": "city_conclude", "opinion": "remove", "reasons": ["indicator_worse"], "comment": "指标下降"},
        format="json",
    )
    assert resp.status_code == 200 and resp.json()["state"] == "city_done"
    detail = city.get(f"{BASE}{form.pk}/").json()
    assert detail["opinion"] == "remove" and detail["opinion_reasons"] == ["indicator_worse"]


def test_schema_lists_the_dynamic_endpoints(world, client):
    client.force_login(world.users["city"])
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/dynamic/forms/",
        "/api/v1/dynamic/forms/{id}/",
        "/api/v1/dynamic/forms/{id}/documents/",
        "/api/v1/dynamic/forms/{id}/transition/",
        "/api/v1/dynamic/forms/{id}/history/",
    ):
        assert path in schema, path


def test_api_list_runs_constant_queries(world, django_assert_max_num_queries):
    from dynamic.services import campaign_open

    from .conftest import provincial_entry

    client = api(world.users["province"])
    with django_assert_max_num_queries(20) as small:
        client.get(BASE)
    for _ in range(15):
        provincial_entry(f.enterprise("330106"))
    campaign_open(batch=world.batch, by=world.users["province"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(BASE).json()["count"] > 15
