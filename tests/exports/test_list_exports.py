"""The lists people work from as .xlsx: the review queue with its current filters and the
province's application list, read back with openpyxl and through LibreOffice; each export goes
through the visibility gate like its page."""

import io

import pytest
from openpyxl import load_workbook

from tests import factories as f
from tests.applications.conftest import World
from tests.helpers import libreoffice_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    w = World()
    w.batch.quotas.update(factory_quota=10)
    w.mine = w.in_state(
        "factory", "county_review", unit=f.enterprise("330106", name="杭州甲精密机械有限公司")
    )
    w.formula = w.in_state("factory", "county_review", unit=f.enterprise("330106", name="=HYPERLINK(1)机械"))
    w.passed = w.in_state("factory", "city_review", unit=f.enterprise("330106", name="杭州乙纺织有限公司"))
    w.elsewhere = w.in_state("factory", "county_review", unit=w.other_factory_org)  # 滨江区
    w.ningbo = w.in_state("factory", "county_review", unit=f.enterprise("330203", name="宁波丙有限公司"))
    return w


def sheet(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment")
    return load_workbook(io.BytesIO(response.content)).active


def test_the_queue_exports_every_row_of_the_current_filters(world, client, tmp_path):
    client.force_login(world.users["county"])
    response = client.get("/reviews/queue.xlsx", {"tab": "pending", "q": "杭州甲"})
    ws = sheet(response)
    assert "审核队列（待审核）" in ws["A1"].value
    assert "名称或统一社会信用代码：杭州甲" in ws["A2"].value and "共1条" in ws["A2"].value
    assert ws["A3"].value == "单位" and ws["H3"].value == "在队列天数"
    names = [r[0] for r in ws.iter_rows(min_row=4, values_only=True)]
    assert names == ["杭州甲精密机械有限公司"]


def test_the_queue_export_keeps_formula_like_names_as_text_and_stays_in_region(world, client, tmp_path):
    client.force_login(world.users["county"])
    content = client.get("/reviews/queue.xlsx").content
    ws = load_workbook(io.BytesIO(content)).active
    rows = {r[0].value: r for r in ws.iter_rows(min_row=4)}
    assert set(rows) == {"杭州甲精密机械有限公司", "=HYPERLINK(1)机械"}  # not 西湖区's neighbour
    cell = rows["=HYPERLINK(1)机械"][0]
    assert cell.data_type == "s" and cell.quotePrefix
    csv_rows = libreoffice_csv(content, tmp_path, "queue")
    assert any(row and row[0] == "=HYPERLINK(1)机械" for row in csv_rows), csv_rows
    assert "审核队列（待审核）" in csv_rows[0][0]


def test_the_passed_tab_exports_what_the_bureau_passed(world, client):
    client.force_login(world.users["county"])
    ws = sheet(client.get("/reviews/queue.xlsx", {"tab": "passed"}))
    assert "（已通过）" in ws["A1"].value and ws["H3"].value == "处理时间"
    assert [r[0] for r in ws.iter_rows(min_row=4, values_only=True)] == ["杭州乙纺织有限公司"]


@pytest.mark.parametrize("who", ["applicant_factory", "assessor", "province"])
def test_only_bureaus_export_a_queue(world, client, who):
    client.force_login(world.users[who])
    assert client.get("/reviews/queue.xlsx").status_code == 404


def test_the_province_exports_its_application_list_with_the_filters(world, client, tmp_path):
    client.force_login(world.users["province"])
    response = client.get("/dashboard/applications.xlsx", {"batch": world.batch.year, "city": "330100"})
    ws = sheet(response)
    assert ws["A1"].value == f"{world.batch.year}年度批次申报列表"
    assert "设区市：杭州市" in ws["A2"].value
    names = {r[0] for r in ws.iter_rows(min_row=4, values_only=True)}
    assert "杭州甲精密机械有限公司" in names and "宁波丙有限公司" not in names
    csv_rows = libreoffice_csv(response.content, tmp_path, "list")
    assert csv_rows[2][0] == "单位" and len(csv_rows) >= 3 + len(names)


@pytest.mark.parametrize("who", ["city", "county", "applicant_factory"])
def test_only_the_province_exports_the_application_list(world, client, who):
    client.force_login(world.users[who])
    assert client.get("/dashboard/applications.xlsx").status_code == 404


def test_in_english_the_notes_punctuation_is_english(world, client):
    """The filters named in the note are joined in the reader's language: "City: …; Kind: …" in
    English, never the Chinese full-width "：" and "；" (core.wording)."""
    client.force_login(world.users["province"])
    client.cookies["django_language"] = "en"
    query = {"batch": world.batch.year, "city": "330100", "kind": "factory"}
    note = sheet(client.get("/dashboard/applications.xlsx", query))["A2"].value
    assert note.startswith("Exported ") and "; " in note and ": " in note, note
    assert not set(note) & set("：；"), note
    client.cookies["django_language"] = "zh-hans"
    note = sheet(client.get("/dashboard/applications.xlsx", query))["A2"].value
    assert "设区市：杭州市；" in note, note
