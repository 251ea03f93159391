"""The dashboard's lists as .xlsx (issue 14, 5): one sheet per list of the page, the same figures
as the page (counted by hand in test_dashboard.py), read back with openpyxl and LibreOffice;
a formula-like name stays text; nobody but the province gets it."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories as f
from tests.helpers import libreoffice_csv

URL = reverse("dashboard-xlsx")


def workbook(client, user, **query):
    client.force_login(user)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment")
    return response, load_workbook(io.BytesIO(response.content))


def rows(ws):
    return [r for r in ws.iter_rows(min_row=4, values_only=True)]


def test_every_list_of_the_dashboard_is_a_sheet_with_the_pages_figures(dataset, client):
    _response, wb = workbook(client, dataset.province, batch=dataset.batch.year)
    assert wb.sheetnames == ["各市情况", "按状态", "按行业大类", "按第三方评价机构"]
    cities = wb["各市情况"]
    assert cities["A1"].value == f"{dataset.batch.year}年度批次各市工厂推荐名额、已推荐与通过情况"
    assert (
        cities["A2"].value.startswith("导出时间：") and "“已推荐”为计入名额的市级推荐" in cities["A2"].value
    )
    assert [c.value for c in cities[3]] == [
        "地市",
        "工厂推荐名额",
        "工厂已推荐",
        "工厂通过",
        "园区已推荐",
        "园区通过",
    ]
    by_city = {r[0]: r[1:] for r in rows(cities)}
    assert by_city["杭州市"] == (6, 6, 3, 1, 1)
    assert by_city["宁波市"] == (6, 2, 1, 1, 0)
    assert by_city["舟山市"] == ("—", 0, 0, 0, 0)
    assert by_city["合计"] == (18, 8, 4, 2, 1)
    assert len(by_city) == 12  # eleven cities and the total
    states = {r[0]: r[1] for r in rows(wb["按状态"])}
    assert states["合计"] == sum(n for s, n in states.items() if s != "合计") == 15
    assert states["退回修改"] == 1 and states["已公布"] == 1
    divisions = {r[0]: (r[1], r[2]) for r in rows(wb["按行业大类"])}
    assert divisions == {
        "13": ("农副食品加工业", 2),
        "26": ("化学原料和化学制品制造业", 4),
        "33": ("金属制品业", 6),
    }
    groups = {r[0]: r[1:] for r in rows(wb["按第三方评价机构"])}
    assert groups == {dataset.group_a.name: (4, 3, 4, 75), dataset.group_b.name: (3, 3, 4, 75)}


def test_a_formula_like_name_stays_text_in_the_sheet_and_in_libreoffice(dataset, client, tmp_path):
    dataset.group_a.name = '=HYPERLINK("http://x")评价集团'
    dataset.group_a.save()
    response, wb = workbook(client, dataset.province)
    cell = next(r[0] for r in wb["按第三方评价机构"].iter_rows(min_row=4) if r[0].value.startswith("="))
    assert cell.data_type == "s" and cell.quotePrefix
    csv_rows = libreoffice_csv(response.content, tmp_path, "dashboard")  # the first sheet
    assert csv_rows[0][0].endswith("各市工厂推荐名额、已推荐与通过情况")
    assert ["杭州市", "6", "6", "3", "1", "1"] in csv_rows


@pytest.mark.parametrize("who", ["city", "county", "enterprise", "anonymous"])
def test_only_the_province_downloads_the_dashboard(dataset, client, who):
    users = {
        "city": lambda: f.user_of(f.city_bureau("330100")),
        "county": lambda: f.user_of(f.county_bureau("330106")),
        "enterprise": lambda: dataset.apps[1].unit.users.first(),
    }
    if who != "anonymous":
        client.force_login(users[who]())
    response = client.get(URL)
    assert response.status_code == (302 if who == "anonymous" else 404)
    assert b"PK" not in response.content[:2]


def test_an_unknown_batch_is_404(dataset, client):
    client.force_login(dataset.province)
    assert client.get(URL, {"batch": 1999}).status_code == 404
