"""The lists' API: entries (filtered, paginated, region-scoped) and imports with their codes."""

import pytest
from rest_framework.test import APIClient

from lists.models import ListEntry, ListImport

from .conftest import code, factory_row, national_xlsx, upload_file, xlsx


def api(user=None) -> APIClient:
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def post(user, **data):
    data.setdefault("tier", "city")
    data.setdefault("city", "330100")
    data.setdefault("year", 2025)
    return api(user).post("/api/v1/lists/imports/", data, format="multipart")


@pytest.fixture
def lw2025(lw):
    lw.batch.year = 2025
    lw.batch.save()
    return lw


def test_import_dry_run_200_then_201_with_counts(lw2025):
    lw = lw2025
    data = xlsx([factory_row(1), factory_row(2)])
    r = post(lw.city, file=upload_file(data), dry_run="true")
    assert (r.status_code, r.json()) == (200, {"added": 2, "ended": 0, "unchanged": 0})
    assert not ListEntry.objects.exists()
    r = post(lw.city, file=upload_file(data))
    assert (r.status_code, r.json()) == (201, {"added": 2, "ended": 0, "unchanged": 0})
    r = post(lw.city, file=upload_file(xlsx([factory_row(2)])))
    assert (r.status_code, r.json()) == (201, {"added": 0, "ended": 1, "unchanged": 1})


def test_import_400_lists_each_rows_errors(lw2025):
    r = post(
        lw2025.city,
        file=upload_file(
            xlsx([factory_row(1), factory_row(2, county="海曙区"), factory_row(3, industry="1")])
        ),
    )
    assert r.status_code == 400
    assert [(e["row"], e["column"]) for e in r.json()["errors"]] == [
        (3, "县（市、区）"),
        (4, "行业代码或园区类型"),
    ]
    assert all(e["message"] for e in r.json()["errors"])
    assert not ListEntry.objects.exists()
    missing = post(lw2025.city)
    assert missing.status_code == 400 and missing.json()["errors"][0]["column"] == "file"
    bad_city = post(lw2025.city, city="999999", file=upload_file(xlsx([factory_row(1)])))
    assert bad_city.status_code == 400 and bad_city.json()["errors"][0]["column"] == "city"


def test_import_refuses_other_cities_other_roles_and_anonymous(lw2025):
    lw = lw2025
    data = xlsx([factory_row(1)])
    assert post(lw.other_city, file=upload_file(data)).status_code == 403
    assert post(lw.province, file=upload_file(data)).status_code == 403  # a city's list is the city's
    assert post(lw.county, file=upload_file(data)).status_code == 403
    assert post(lw.factory, file=upload_file(data)).status_code == 403
    assert post(None, file=upload_file(data)).status_code in (401, 403)
    assert (
        post(
            lw.city, tier="national", file=upload_file(national_xlsx([(1, "甲", "", "杭州市", "", 2022)]))
        ).status_code
        == 403
    )
    assert not ListImport.objects.exists()


def test_the_province_imports_the_national_list(lw2025):
    r = post(
        lw2025.province,
        tier="national",
        city="",
        file=upload_file(national_xlsx([(1, "甲", code(1), "杭州市", "", 2022)])),
    )
    assert (r.status_code, r.json()) == (201, {"added": 1, "ended": 0, "unchanged": 0})
    assert ListEntry.objects.get().provincial_management is True


def test_after_the_deadline_409_with_the_reason(lw2025):
    import datetime

    lw2025.batch.city_list_deadline = datetime.date(2025, 1, 1)
    lw2025.batch.save()
    r = post(lw2025.city, file=upload_file(xlsx([factory_row(1)])))
    assert r.status_code == 409 and "截止日期" in r.json()["detail"]


def test_entries_are_scoped_filtered_and_paginated(lw):
    for n, (city, county, tier) in enumerate(
        [("330100", "330106", "city"), ("330100", "330108", "city"), ("330200", "330203", "national")],
        start=1,
    ):
        ListEntry.objects.create(
            tier=tier,
            kind="factory",
            unit_name=f"单位{n}",
            credit_code=code(n),
            city_id=city,
            county_id=county,
            year=2024,
            source="s",
        )
    body = api(lw.province).get("/api/v1/lists/entries/").json()
    assert body["count"] == 3
    assert set(body["results"][0]) == {
        "id",
        "unit_name",
        "credit_code",
        "kind",
        "tier",
        "city",
        "county",
        "year",
        "status",
        "source",
    }
    assert api(lw.province).get("/api/v1/lists/entries/", {"tier": "national"}).json()["count"] == 1
    assert (
        api(lw.province).get("/api/v1/lists/entries/", {"q": "单位2"}).json()["results"][0]["county"]
        == "330108"
    )
    assert api(lw.city).get("/api/v1/lists/entries/").json()["count"] == 2
    assert api(lw.city).get("/api/v1/lists/entries/", {"city": "330200"}).json()["count"] == 0
    assert api(lw.county).get("/api/v1/lists/entries/").json()["count"] == 1
    assert api(lw.province).get("/api/v1/lists/entries/", {"limit": 1}).json()["next"]
    assert api(lw.factory).get("/api/v1/lists/entries/").status_code == 403
    assert api().get("/api/v1/lists/entries/").status_code in (401, 403)


def test_the_lists_api_is_in_the_openapi_schema(lw):
    schema = api(lw.province).get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/lists/entries/" in schema and "/api/v1/lists/imports/" in schema
    assert "ListImportErrors" in schema and "dry_run" in schema
