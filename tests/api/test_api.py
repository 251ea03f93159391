"""The REST API: token auth, batches and quotas, applications with their documents, transitions
and history — including 403, 404 and 409."""

import pytest
from rest_framework.test import APIClient

from tests import factories as f
from tests.applications.conftest import World


@pytest.fixture
def world(db, time_machine):
    return World(clock=time_machine)


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_token_is_issued_for_valid_credentials_and_works(world):
    client = APIClient()
    user = world.users["applicant_factory"]
    bad = client.post("/api/v1/auth/token/", {"username": user.username, "password": "nope"})
    assert bad.status_code == 400
    resp = client.post("/api/v1/auth/token/", {"username": user.username, "password": "pw-for-tests-1"})
    assert resp.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {resp.json()['token']}")
    assert client.get("/api/v1/applications/").status_code == 200


def test_anonymous_requests_are_refused(world):
    assert APIClient().get("/api/v1/applications/").status_code in (401, 403)
    assert APIClient().get("/api/v1/batches/").status_code in (401, 403)


def test_batches_and_quotas_per_city(world):
    world.in_state("factory", "recommended")
    client = client_for(world.users["applicant_park"])
    batches = client.get("/api/v1/batches/").json()
    assert [b["year"] for b in batches] == [2025]
    assert batches[0]["assessor_cap"] == 10
    rows = client.get("/api/v1/batches/2025/quotas/").json()
    assert len(rows) == 11
    assert rows[0] == {"city_code": "330100", "city_name": "杭州市", "factory_quota": 2, "recommended": 1}
    assert all(r["recommended"] == 0 for r in rows[1:])
    assert client.get("/api/v1/batches/1999/quotas/").status_code == 404


def test_enterprise_creates_one_application_per_batch(world):
    unit = f.enterprise("330106")
    client = client_for(f.user_of(unit))
    resp = client.post("/api/v1/applications/", {"batch": 2025}, format="json")
    assert resp.status_code == 201
    body = resp.json()
    assert (body["state"], body["kind"], body["county"], body["industry_class"]) == (
        "draft",
        "factory",
        "330106",
        "3311",
    )
    again = client.post("/api/v1/applications/", {"batch": 2025}, format="json")
    assert again.status_code == 409
    assert "只能申报一次" in again.json()["detail"]


def test_bureau_cannot_create_an_application(world):
    resp = client_for(world.users["county"]).post("/api/v1/applications/", {"batch": 2025}, format="json")
    assert resp.status_code == 403


def test_create_rejects_an_industry_class_outside_manufacturing(world):
    client = client_for(f.user_of(f.enterprise("330106")))
    resp = client.post("/api/v1/applications/", {"batch": 2025, "industry_class": "5111"}, format="json")
    assert resp.status_code == 400
    assert "制造业" in resp.json()["industry_class"][0]


def test_detail_shows_state_and_the_transitions_this_user_may_fire(world):
    app = world.application()
    body = client_for(world.users["applicant_factory"]).get(f"/api/v1/applications/{app.pk}/").json()
    assert body["state"] == "draft"
    assert body["available_transitions"] == ["submit", "withdraw"]
    assert [d["kind"] for d in body["documents"]] == ["self_evaluation_report"]


def test_blocked_transitions_come_with_their_reasons(world):
    app = world.application(with_report=False)
    body = client_for(world.users["applicant_factory"]).get(f"/api/v1/applications/{app.pk}/").json()
    submit = next(t for t in body["transitions"] if t["name"] == "submit")
    assert submit["allowed"] is False
    assert any("自评价报告" in r for r in submit["reasons"])


def test_another_units_application_is_not_found(world):
    app = world.application()
    other = client_for(world.users["other_applicant"])
    assert other.get(f"/api/v1/applications/{app.pk}/").status_code == 404
    assert other.get(f"/api/v1/applications/{app.pk}/history/").status_code == 404
    assert other.post(f"/api/v1/applications/{app.pk}/transition/", {"name": "submit"}).status_code == 404
    upload = other.post(
        f"/api/v1/applications/{app.pk}/documents/",
        {"kind": "other", "file": f.pdf_upload()},
        format="multipart",
    )
    assert upload.status_code == 404
    assert app.documents.count() == 1
    assert app.pk not in [a["id"] for a in other.get("/api/v1/applications/").json()["results"]]


def test_transition_200_then_409_403_404_and_400(world):
    app = world.application()
    applicant = client_for(world.users["applicant_factory"])
    ok = applicant.post(f"/api/v1/applications/{app.pk}/transition/", {"name": "submit", "comment": ""})
    assert ok.status_code == 200
    assert ok.json() == {"state": "county_review", "state_display": "县级审核"}

    again = applicant.post(f"/api/v1/applications/{app.pk}/transition/", {"name": "submit"})
    assert again.status_code == 409
    assert "不能执行" in again.json()["detail"]

    forbidden = applicant.post(f"/api/v1/applications/{app.pk}/transition/", {"name": "county_pass"})
    assert forbidden.status_code == 403

    hidden = client_for(world.users["other_county"]).post(
        f"/api/v1/applications/{app.pk}/transition/", {"name": "county_pass"}
    )
    assert hidden.status_code == 404

    no_reason = client_for(world.users["county"]).post(
        f"/api/v1/applications/{app.pk}/transition/", {"name": "return_for_revision", "comment": ""}
    )
    assert no_reason.status_code == 400
    unknown = client_for(world.users["county"]).post(
        f"/api/v1/applications/{app.pk}/transition/", {"name": "x"}
    )
    assert unknown.status_code == 400


def test_transition_409_carries_the_rules_reason(world):
    app = world.application(with_report=False)
    resp = client_for(world.users["applicant_factory"]).post(
        f"/api/v1/applications/{app.pk}/transition/", {"name": "submit"}
    )
    assert resp.status_code == 409
    assert resp.json()["reasons"] == ["请上传自评价报告（PDF）。"]


def test_document_upload_checks_content_and_versions(world):
    app = world.application()
    client = client_for(world.users["applicant_factory"])
    url = f"/api/v1/applications/{app.pk}/documents/"
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    resp = client.post(url, {"kind": "self_evaluation_report", "file": fake}, format="multipart")
    assert resp.status_code == 400
    assert "不是 PDF" in resp.json()["detail"]
    resp = client.post(
        url, {"kind": "self_evaluation_report", "file": f.pdf_upload(pages=3)}, format="multipart"
    )
    assert resp.status_code == 201
    body = resp.json()
    assert (body["version"], body["page_count"], len(body["sha256"])) == (2, 3, 64)


def test_history_lists_every_transition(world):
    app = world.in_state("factory", "city_review")
    body = client_for(world.users["city"]).get(f"/api/v1/applications/{app.pk}/history/").json()
    assert body["count"] == 2
    assert [(h["transition"], h["source"], h["target"]) for h in body["results"]] == [
        ("submit", "draft", "county_review"),
        ("county_pass", "county_review", "city_review"),
    ]


def test_history_names_the_person_not_the_login(world):
    """Pages show who acted by name; the API's history does too (its schema says so)."""
    county = world.users["county"]
    county.full_name = "县局审核员张三"
    county.save(update_fields=["full_name"])
    app = world.in_state("factory", "city_review")
    body = client_for(world.users["city"]).get(f"/api/v1/applications/{app.pk}/history/").json()
    row = body["results"][1]
    assert (row["actor"], row["actor_organisation"]) == ("县局审核员张三", county.organisation.name)
    assert county.username not in str(body)
    schema = client_for(world.users["city"]).get("/api/schema/", {"format": "json"}).json()
    for component in ("TransitionLog", "FormLog"):  # applications' and dynamic management's
        assert (
            "不是登录名" in schema["components"]["schemas"][component]["properties"]["actor"]["description"]
        )


def test_bad_ids_are_404_not_500(world):
    client = client_for(world.users["province"])
    assert client.get("/api/v1/applications/abc/").status_code == 404
    assert client.get("/api/v1/applications/99999999/").status_code == 404
    assert client.get("/api/v1/batches/abcd/quotas/").status_code == 404


def test_openapi_schema_and_docs_are_served_without_a_cdn(world, client):
    client.force_login(world.users["province"])
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/applications/{id}/transition/" in text
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html
