"""The lists' pages: who sees what (one gate), the city's upload with preview and confirmation
(no JavaScript needed), ending an entry, exports, the public page, constant queries."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from lists.models import ListEntry, ListImport
from lists.xlsx import CITY_COLUMNS, NATIONAL_COLUMNS
from tests import factories as f
from tests.helpers import libreoffice_csv

from .conftest import code, factory_row, upload_file, xlsx


def entry(city="330100", county="330106", *, tier="city", name=None, n=None, **fields):
    n = n or ListEntry.objects.count() + 1
    return ListEntry.objects.create(
        tier=tier,
        kind="factory",
        unit_name=name or f"单位{n}",
        credit_code=code(n, prefix="91" + county),
        city_id=city,
        county_id=county,
        industry_class="3311",
        year=2024,
        source="测试",
        **fields,
    )


@pytest.fixture
def entries(lw):
    return {
        "hz": entry("330100", "330106", name="西湖工厂"),
        "hz_bj": entry("330100", "330108", name="滨江工厂"),
        "nb": entry("330200", "330203", name="海曙工厂"),
        "prov": entry("330200", "330203", tier="provincial", name="省级工厂"),
    }


def names(response) -> set[str]:
    page = response.content.decode()
    table = page.split('data-testid="entries"')[1].split("</table>")[0]
    return {n for n in ("西湖工厂", "滨江工厂", "海曙工厂", "省级工厂") if n in table}


def as_user(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_each_bureau_sees_its_own_region_and_the_province_everything(lw, entries):
    assert names(as_user(lw.province).get("/lists/", {"status": ""})) == {
        "西湖工厂",
        "滨江工厂",
        "海曙工厂",
        "省级工厂",
    }
    assert names(as_user(lw.city).get("/lists/")) == {"西湖工厂", "滨江工厂"}
    assert names(as_user(lw.other_city).get("/lists/")) == {"海曙工厂", "省级工厂"}
    assert names(as_user(lw.county).get("/lists/")) == {"西湖工厂"}
    # Asking for another region's city finds nothing rather than leaking it.
    assert names(as_user(lw.city).get("/lists/", {"city": "330200"})) == set()


def test_filters_and_search(lw, entries):
    c = as_user(lw.province)
    assert names(c.get("/lists/", {"tier": "provincial"})) == {"省级工厂"}
    assert names(c.get("/lists/", {"county": "330108"})) == {"滨江工厂"}
    assert names(c.get("/lists/", {"q": "西湖"})) == {"西湖工厂"}
    assert names(c.get("/lists/", {"q": entries["nb"].credit_code.lower()})) == {"海曙工厂"}
    assert names(c.get("/lists/", {"year": "2023"})) == set()
    assert names(c.get("/lists/", {"year": "abc", "city": "999999"})) == {
        "西湖工厂",
        "滨江工厂",
        "海曙工厂",
        "省级工厂",
    }
    page = c.get("/lists/").content.decode()
    assert "各设区市条目数" in page


def test_applicants_experts_and_assessors_find_no_list_pages(lw, entries):
    others = [lw.factory, f.expert(), f.user_of(f.assessor())]
    urls = [
        "/lists/",
        "/lists/export.xlsx",
        f"/lists/entries/{entries['hz'].pk}/",
        "/lists/city/",
        "/lists/national/",
        "/lists/reports/",
    ]
    for user in others:
        for url in urls:
            assert as_user(user).get(url).status_code == 404, (user, url)


def test_anonymous_visitors_are_sent_to_sign_in_except_for_the_public_list(lw, entries):
    c = Client()
    for url in ("/lists/", "/lists/city/", "/lists/national/", f"/lists/entries/{entries['hz'].pk}/"):
        assert c.get(url).status_code == 302
    assert c.get("/lists/public/").status_code == 200


def test_an_entry_of_another_region_is_not_found(lw, entries):
    pk = entries["hz"].pk
    assert as_user(lw.other_city).get(f"/lists/entries/{pk}/").status_code == 404
    assert as_user(lw.other_county).get(f"/lists/entries/{pk}/").status_code == 404
    assert as_user(lw.other_city).post(f"/lists/entries/{pk}/end/", {"reason": "x"}).status_code == 404
    assert as_user(lw.city).get(f"/lists/entries/{pk}/").status_code == 200


def test_only_city_bureaus_have_a_city_page_and_county_bureaus_read_only(lw, entries):
    assert as_user(lw.county).get("/lists/city/").status_code == 404
    assert as_user(lw.province).get("/lists/city/").status_code == 404
    pk = entries["hz"].pk
    # The county reads its entry but cannot end it.
    page = as_user(lw.county).get(f"/lists/entries/{pk}/").content.decode()
    assert "移出名单" not in page
    assert as_user(lw.county).post(f"/lists/entries/{pk}/end/", {"reason": "x"}).status_code == 404
    assert ListEntry.objects.get(pk=pk).status == "active"


def test_ending_an_entry_asks_for_confirmation_and_a_reason(lw, entries):
    c = as_user(lw.city)
    pk = entries["hz"].pk
    page = c.get(f"/lists/entries/{pk}/end/").content.decode()
    assert "确认移出" in page and "<script>" not in page  # works without JavaScript: nothing inline
    response = c.post(f"/lists/entries/{pk}/end/", {"reason": ""})
    assert response.status_code == 400 and "请填写移出原因" in response.content.decode()
    assert ListEntry.objects.get(pk=pk).status == "active"
    # The reason given, the confirmation (core.confirm) repeats it; nothing changes before.
    asked = c.post(f"/lists/entries/{pk}/end/", {"reason": "企业注销"}).content.decode()
    assert "确认移出名单" in asked and "原因：企业注销" in asked and 'name="confirmed" value="yes"' in asked
    assert ListEntry.objects.get(pk=pk).status == "active"
    assert c.post(f"/lists/entries/{pk}/end/", {"reason": "企业注销", "confirmed": "yes"}).status_code == 302
    e = ListEntry.objects.get(pk=pk)
    assert (e.status, e.end_reason, e.ended_by) == ("ended", "企业注销", lw.city)
    history = c.get(f"/lists/entries/{pk}/").content.decode()
    assert "企业注销" in history and "移出" in history
    # The province does not end city-level entries; they are the city's (通知 三).
    other = entries["hz_bj"].pk
    assert as_user(lw.province).post(f"/lists/entries/{other}/end/", {"reason": "x"}).status_code == 404


def test_city_upload_previews_then_replaces_on_confirmation(lw, entries):
    c = as_user(lw.city)
    data = xlsx(
        [
            factory_row(1, name="新工厂甲", credit=code(901)),
            (2, "滨江工厂", entries["hz_bj"].credit_code, "滨江区", "工厂", "3311", 2024),
        ]
    )
    response = c.post("/lists/city/upload/", {"year": lw.year, "file": upload_file(data)})
    page = response.content.decode()
    assert response.status_code == 200 and "新增1个，移出1个，未变1个" in page
    assert "西湖工厂" in page and f"未列入{lw.year}年度市级名单" in page
    assert not ListImport.objects.exists()  # nothing until confirmed
    token = page.split('name="token" value="')[1].split('"')[0]
    # Another city's bureau cannot confirm this upload.
    as_user(lw.other_city).post(
        "/lists/city/upload/confirm/", {"token": token, "added": 1, "ended": 1, "unchanged": 1}
    )
    assert not ListImport.objects.exists()
    response = c.post("/lists/city/upload/confirm/", {"token": token, "added": 1, "ended": 1, "unchanged": 1})
    assert response.status_code == 302
    assert ListImport.objects.get().added == 1
    assert ListEntry.objects.get(pk=entries["hz"].pk).status == "ended"
    assert ListEntry.objects.get(pk=entries["nb"].pk).status == "active"  # another city's list stays
    # The token is spent.
    c.post("/lists/city/upload/confirm/", {"token": token, "added": 1, "ended": 1, "unchanged": 1})
    assert ListImport.objects.count() == 1
    history = c.get("/lists/city/").content.decode()
    assert "名单.xlsx" in history and "本年度已报送" in history


def test_a_confirmation_against_a_list_changed_since_the_preview_is_refused(lw, entries):
    c = as_user(lw.city)
    page = c.post(
        "/lists/city/upload/",
        {"year": lw.year, "file": upload_file(xlsx([factory_row(1, credit=code(902))]))},
    ).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    entry("330100", "330109", name="预览后新增")
    c.post("/lists/city/upload/confirm/", {"token": token, "added": 1, "ended": 2, "unchanged": 0})
    assert not ListImport.objects.exists()


def test_a_bad_upload_lists_every_error_with_row_and_column_and_changes_nothing(lw, entries):
    data = xlsx([factory_row(1, county="海曙区"), factory_row(2, industry="99")])
    response = as_user(lw.city).post("/lists/city/upload/", {"year": lw.year, "file": upload_file(data)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "<td>2</td><td>县（市、区）</td>" in page and "<td>3</td><td>行业代码或园区类型</td>" in page
    assert ListEntry.objects.count() == 4 and not ListImport.objects.exists()
    response = as_user(lw.city).post(
        "/lists/city/upload/", {"year": lw.year, "file": upload_file(b"x", "名单.csv")}
    )
    assert response.status_code == 400 and ".xlsx" in response.content.decode()


def test_adding_one_entry(lw, entries):
    c = as_user(lw.city)
    response = c.post(
        "/lists/city/entries/add/",
        {
            "unit_name": "单个列入工厂",
            "kind": "factory",
            "credit_code": code(500),
            "county": "330106",
            "industry_class": "3311",
            "year": 2024,
        },
    )
    assert response.status_code == 302
    e = ListEntry.objects.get(unit_name="单个列入工厂")
    assert (e.tier, e.city_id, e.status, e.created_by) == ("city", "330100", "active", lw.city)
    bad = c.post(
        "/lists/city/entries/add/",
        {
            "unit_name": "外市县工厂",
            "kind": "factory",
            "credit_code": code(501),
            "county": "330203",
            "industry_class": "3311",
            "year": 2024,
        },
    )
    assert bad.status_code == 400 and "请选择本市的县" in bad.content.decode()
    twice = c.post(
        "/lists/city/entries/add/",
        {
            "unit_name": "单个列入工厂",
            "kind": "factory",
            "credit_code": code(500),
            "county": "330106",
            "industry_class": "3311",
            "year": 2024,
        },
    )
    assert twice.status_code == 400 and "已在杭州市的市级名单中" in twice.content.decode()


def test_the_export_has_the_imports_column_order_and_reimports(lw, entries, tmp_path):
    c = as_user(lw.city)
    content = c.get("/lists/export.xlsx", {"tier": "city"}).content
    ws = load_workbook(io.BytesIO(content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == CITY_COLUMNS
    assert {r[1] for r in rows[1:]} == {"西湖工厂", "滨江工厂"}
    # LibreOffice reads the same rows (and the city's blank template).
    opened = libreoffice_csv(content, tmp_path, "export")
    assert tuple(opened[0]) == CITY_COLUMNS and {r[1] for r in opened[1:]} == {"西湖工厂", "滨江工厂"}
    template = libreoffice_csv(c.get("/lists/city/template.xlsx").content, tmp_path, "template")
    assert tuple(template[0]) == CITY_COLUMNS
    # The city's export uploads again unchanged.
    preview = c.post(
        "/lists/city/upload/",
        {"year": lw.year, "file": upload_file(c.get("/lists/export.xlsx", {"tier": "city"}).content)},
    )
    assert "新增0个，移出0个，未变2个" in preview.content.decode()
    national = load_workbook(
        io.BytesIO(as_user(lw.province).get("/lists/export.xlsx", {"tier": "national"}).content)
    ).active
    assert next(national.iter_rows(values_only=True)) == NATIONAL_COLUMNS


def test_the_public_page_shows_only_the_current_provincial_list(lw, entries):
    entry(
        "330100",
        "330106",
        tier="provincial",
        name="已移出省级",
        status="ended",
        ended_at="2025-01-01T00:00:00Z",
    )
    page = Client().get("/lists/public/").content.decode()
    assert "省级工厂" in page and "宁波市" in page
    for hidden in ("西湖工厂", "海曙工厂", "已移出省级", entries["prov"].credit_code):
        assert hidden not in page
    assert "省级工厂" not in Client().get("/lists/public/", {"q": "西湖"}).content.decode()


@pytest.mark.parametrize("n", [3, 30])
def test_list_pages_run_a_constant_number_of_queries(lw, n, django_assert_max_num_queries):
    for i in range(n):
        entry("330100", "330106", n=1000 + i)
        entry("330200", "330203", tier="provincial", n=2000 + i)
    pages = [
        (lw.province, "/lists/", 9),
        (lw.city, "/lists/", 8),
        (lw.county, "/lists/", 8),
        (lw.province, "/lists/reports/", 10),
        (lw.province, "/lists/national/", 9),
        (lw.city, "/lists/city/", 12),
        (lw.province, "/lists/export.xlsx", 7),
        (None, "/lists/public/", 3),
    ]
    for user, url, limit in pages:
        c = as_user(user) if user else Client()
        with django_assert_max_num_queries(limit):
            assert c.get(url).status_code == 200


@pytest.mark.parametrize(
    ("who", "method", "url"),
    [
        ("county", "get", "/lists/city/template.xlsx"),
        ("province", "get", "/lists/city/template.xlsx"),
        ("county", "post", "/lists/city/upload/"),
        ("province", "post", "/lists/city/upload/"),
        ("factory", "post", "/lists/city/upload/confirm/"),
        ("county", "post", "/lists/city/entries/add/"),
        ("city", "get", "/lists/national/"),
        ("city", "post", "/lists/national/upload/"),
        ("city", "post", "/lists/national/upload/confirm/"),
        ("county", "get", "/lists/reports/"),
        ("city", "get", "/lists/reports/"),
    ],
)
def test_every_list_view_refuses_other_organisations(lw, who, method, url):
    data = {"year": lw.year, "file": upload_file(xlsx([factory_row(1)]))} if method == "post" else None
    response = getattr(as_user(getattr(lw, who)), method)(url, data)
    assert response.status_code == 404
    assert not ListEntry.objects.exists() and not ListImport.objects.exists()


def test_an_upload_past_the_portals_size_cap_is_refused_next_to_the_field(lw, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    data = xlsx([factory_row(n) for n in range(1, 200)])
    response = as_user(lw.city).post("/lists/city/upload/", {"year": lw.year, "file": upload_file(data)})
    assert response.status_code == 400 and "文件超过大小上限" in response.content.decode()
    assert not ListImport.objects.exists()
