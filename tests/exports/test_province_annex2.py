"""The province-wide Annex 2 (issue 5 “Exports”): a 汇总 sheet and one Annex 2 sheet per city,
built from what the cities sent, read back with openpyxl, opened by LibreOffice, downloaded from
the province's dashboard only."""

import datetime
import io
import zipfile
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications.services import application_transition
from dashboard.selectors import recommended_to_province
from exports.annex2 import FACTORY_HEADER, PARK_HEADER, SUMMARY_HEADER, province_annex2_xlsx
from reference.models import City
from reviews.services import city_submission_open, city_submission_send, submission_document_upload
from tests import factories as f
from tests.helpers import libreoffice_csv, workflow_pass

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HZ_PARKS = ("杭州湾绿色智造产业园", '=HYPERLINK("http://x")园区')
HZ_FACTORIES = (
    "杭州绿源精密机械有限公司",
    "+86杭州低碳新材料股份有限公司",
    "杭州否决机械有限公司",
    "杭州退回纺织有限公司",
)


def _workbook(batch, user) -> bytes:
    """The province's Annex 2 as the dashboard's download builds it (through the user's gate)."""
    return province_annex2_xlsx(
        batch, applications=recommended_to_province(user, batch), creator=user.organisation.name
    )


def rows(ws):
    return [tuple("" if v is None else v for v in row) for row in ws.iter_rows(values_only=True)]


def recommend(batch, city, county, *, parks=(), factories=(), assessor=None):
    """`city` recommends `parks` and `factories` (factories of `county`), through the services."""
    apps = [
        f.advance(f.application(f.park(city, name=name), batch, assessor_org=assessor), "recommended")
        for name in parks
    ]
    apps += [
        f.advance(f.application(f.enterprise(county, name=name), batch, assessor_org=assessor), "recommended")
        for name in factories
    ]
    return apps


def send(batch, city):
    """The city bureau sends its submission with both sealed scans (通知 三)."""
    user = f._first_user(f.city_bureau(city))
    submission = city_submission_open(batch=batch, by=user)
    for kind in ("letter_scan", "table_scan"):
        submission_document_upload(
            submission=submission, kind=kind, upload=f.pdf_upload(f"{kind}.pdf"), by=user
        )
    return city_submission_send(submission=submission, by=user)


def province_does(app, name, province_user, **kwargs):
    app.refresh_from_db()
    application_transition(app, name=name, by=province_user, via=workflow_pass(name), **kwargs)


class Scenario:
    """杭州 sent two parks and four factories, then the province published one factory, put a park
    and another factory in publicity, rejected one factory and returned one to the city; 杭州
    has also recommended a factory it has not sent yet. 宁波 sent a park (on its city's list)
    and a factory, both in provincial review. 温州 recommended a factory but sent nothing."""

    def __init__(self):
        self.batch = f.batch(quotas={"330100": 6, "330200": 4, "330300": 3})
        self.province = f.user_of(f.province())
        self.assessor = f.assessor()
        hz = recommend(
            self.batch, "330100", "330106", parks=HZ_PARKS, factories=HZ_FACTORIES, assessor=self.assessor
        )
        nb = recommend(
            self.batch, "330200", "330203", parks=("宁波前湾绿色园区",), factories=("宁波港城汽配有限公司",)
        )
        f.city_list_entry(nb[0].unit)
        send(self.batch, "330100")
        send(self.batch, "330200")
        self.unsent = recommend(self.batch, "330100", "330106", factories=("杭州未报送电器有限公司",))
        recommend(self.batch, "330300", "330302", factories=("温州未报送鞋业有限公司",))
        park1, _park2, published, in_publicity, rejected, returned = hz
        today = timezone.localdate()
        for app, ago in ((published, (20, 6)), (in_publicity, (2, -10)), (park1, (2, -10))):
            province_does(
                app,
                "start_publicity",
                self.province,
                starts_on=today - datetime.timedelta(days=ago[0]),
                ends_on=today - datetime.timedelta(days=ago[1]),
            )
        province_does(published, "publish", self.province)
        province_does(rejected, "reject", self.province, comment="专家评审未通过。")
        province_does(returned, "return_to_city", self.province, comment="请补充能耗数据。")
        self.hz, self.nb = hz, nb


@pytest.fixture
def scenario(db):
    return Scenario()


@pytest.fixture
def book(scenario):
    data = _workbook(scenario.batch, scenario.province)
    return data, load_workbook(io.BytesIO(data))


def test_province_annex2_has_a_summary_then_a_sheet_per_city_in_the_notice_order(book):
    _data, wb = book
    cities = list(City.objects.order_by("position").values_list("name", flat=True))
    assert wb.sheetnames == ["汇总", *cities]
    assert wb.sheetnames[1:4] == ["杭州市", "宁波市", "温州市"]
    assert len(wb.sheetnames) == 12


def test_city_sheets_list_what_the_city_sent_and_the_province_still_holds(book, scenario):
    _data, wb = book
    a = scenario.assessor.name
    hz = rows(wb["杭州市"])
    assert hz[1][0] == "杭州市省级绿色制造推荐名单汇总表"
    assert hz[2][0] == "推荐单位:(单位公章)"
    assert hz[3][0] == "绿色低碳工业园区"
    assert hz[4] == PARK_HEADER
    assert hz[5:7] == [
        (1, HZ_PARKS[0], a, "高新技术产业开发区", "否"),
        (2, HZ_PARKS[1], a, "高新技术产业开发区", "否"),
    ]
    assert hz[7][0] == "绿色低碳工厂"
    assert hz[8] == FACTORY_HEADER
    # Published and in publicity are listed; rejected, returned and not yet sent are not.
    assert hz[9:] == [
        (1, HZ_FACTORIES[0], a, "金属制品业", "是"),
        (2, HZ_FACTORIES[1], a, "金属制品业", "是"),
    ]
    nb = rows(wb["宁波市"])
    assert nb[1][0] == "宁波市省级绿色制造推荐名单汇总表"
    assert nb[5] == (1, "宁波前湾绿色园区", "", "高新技术产业开发区", "是")
    assert nb[6:] == [
        ("绿色低碳工厂", "", "", "", ""),
        FACTORY_HEADER,
        (1, "宁波港城汽配有限公司", "", "金属制品业", "是"),
    ]
    # A city that sent nothing keeps the blank form: one numbered empty line per section.
    wz = rows(wb["温州市"])
    assert wz[5] == (1, "", "", "", "") and wz[8:] == [(1, "", "", "", "")]
    every_name = {v for ws in wb.worksheets for row in rows(ws) for v in row}
    assert (
        not {
            "杭州否决机械有限公司",
            "杭州退回纺织有限公司",
            "杭州未报送电器有限公司",
            "温州未报送鞋业有限公司",
        }
        & every_name
    )


def test_summary_figures_equal_counts_made_by_hand(book, scenario):
    _data, wb = book
    got = rows(wb["汇总"])
    assert got[0][0] == "2025年省级绿色制造推荐名单汇总表（全省）"
    assert (
        got[1]
        == SUMMARY_HEADER
        == ("设区市", "工厂推荐名额", "推荐园区数", "推荐工厂数", "通过省级评估", "已公布")
    )
    by_city = {row[0]: row[1:] for row in got[2:13]}
    # 杭州: parks 1 (publicity) and 2 (province review); factories 1 (published) and 2
    # (publicity); passed = park 1 + factories 1 and 2; published = factory 1.
    assert by_city["杭州市"] == (6, 2, 2, 3, 1)
    assert by_city["宁波市"] == (4, 1, 1, 0, 0)
    assert by_city["温州市"] == (3, 0, 0, 0, 0)
    assert by_city["舟山市"] == ("", 0, 0, 0, 0)  # no quota set for it in this batch
    assert list(by_city) == list(City.objects.order_by("position").values_list("name", flat=True))
    assert got[13] == ("合计", 13, 3, 3, 3, 1)
    assert got[14][0].startswith("说明：")


def test_formula_like_unit_names_are_stored_as_text(book):
    data, wb = book
    ws = wb["杭州市"]
    formula_like = [
        c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] in "=+-@"
    ]
    assert {c.value for c in formula_like} == {HZ_PARKS[1], HZ_FACTORIES[1]}
    assert all(c.data_type == "s" for c in formula_like)
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 12
    for name in sheets:
        xml = archive.read(name)
        assert b"<f>" not in xml and b"<f " not in xml, name


def test_the_workbook_shows_only_what_the_user_may_see(scenario):
    """The export starts from Application.visible_to: a city bureau calling it gets its own city."""
    nb_user = f._first_user(f.city_bureau("330200"))
    wb = load_workbook(io.BytesIO(_workbook(scenario.batch, nb_user)))
    names = {v for ws in wb.worksheets for row in rows(ws) for v in row}
    assert "宁波港城汽配有限公司" in names
    assert not set(HZ_PARKS + HZ_FACTORIES) & names


def test_province_annex2_opens_in_libreoffice(book, tmp_path):
    # The first sheet (汇总) is what a plain CSV conversion writes.
    table = libreoffice_csv(book[0], tmp_path, "province")
    assert table[0][0] == "2025年省级绿色制造推荐名单汇总表（全省）"
    assert table[1] == list(SUMMARY_HEADER)
    assert [r[0] for r in table[2:13]] == list(
        City.objects.order_by("position").values_list("name", flat=True)
    )
    assert table[2] == ["杭州市", "6", "2", "2", "3", "1"]
    assert table[13] == ["合计", "13", "3", "3", "3", "1"]


# --- the download on the dashboard --------------------------------------------------------------


def test_province_downloads_the_workbook_from_the_dashboard(client, scenario):
    client.force_login(scenario.province)
    page = client.get(reverse("dashboard") + "?batch=2025").content.decode()
    url = reverse("dashboard-annex2") + "?batch=2025"
    assert f'href="{url}"' in page
    resp = client.get(url)
    assert resp.status_code == 200
    assert resp["Content-Type"] == XLSX
    disposition = resp["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert (
        unquote(disposition.split("filename*=utf-8''")[1]) == "2025年省级绿色制造推荐名单汇总表（全省）.xlsx"
    )
    wb = load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames[:3] == ["汇总", "杭州市", "宁波市"]
    assert rows(wb["杭州市"])[9][1] == HZ_FACTORIES[0]


def test_unknown_batch_is_404(client, scenario):
    client.force_login(scenario.province)
    assert client.get(reverse("dashboard-annex2") + "?batch=1999").status_code == 404
    assert client.get(reverse("dashboard-annex2") + "?batch=x").status_code == 404


def test_city_bureau_and_enterprise_get_404_although_they_have_units_in_it(client, scenario):
    url = reverse("dashboard-annex2") + "?batch=2025"
    for user in (f._first_user(f.city_bureau("330100")), scenario.hz[2].unit.users.first()):
        client.force_login(user)
        resp = client.get(url)
        assert resp.status_code == 404
        assert HZ_FACTORIES[0].encode() not in resp.content


def test_anonymous_is_sent_to_sign_in(client, scenario):
    resp = client.get(reverse("dashboard-annex2") + "?batch=2025")
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("per_city", [1, 6])
def test_the_download_runs_a_constant_number_of_queries(client, db, django_assert_max_num_queries, per_city):
    batch = f.batch(quotas={"330100": 10, "330200": 10}, assessor_cap=50)
    for city, county in (("330100", "330106"), ("330200", "330203")):
        recommend(
            batch,
            city,
            county,
            parks=[f"{city}园区{n}" for n in range(per_city)],
            factories=[f"{city}工厂{n}有限公司" for n in range(per_city)],
            assessor=f.assessor(),
        )
        send(batch, city)
    client.force_login(f.user_of(f.province()))
    with django_assert_max_num_queries(9):
        resp = client.get(reverse("dashboard-annex2") + "?batch=2025")
    wb = load_workbook(io.BytesIO(resp.content))
    assert len(rows(wb["宁波市"])) == 7 + 2 * per_city
