"""The province's batch settings and dashboard in real Chromium: quotas with a live total, a
refused quota beside its field, a quota table imported with a bad row then a good one, and a
bar of the dashboard's chart followed to its list. Screenshots go to var/screenshots/."""

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from quotas.models import CityQuota
from tests import factories as f
from tests.browser.conftest import sign_in
from tests.quotas.xlsx import annex1_workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Not test-results/: pytest-playwright empties that folder at the start of each run.
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def quota_row(page, city):
    return page.locator("table.quota-table tbody tr").filter(has=page.get_by_text(city, exact=True))


def test_province_edits_quotas_imports_a_table_and_follows_the_dashboard(page, live_server, tmp_path):
    batch = f.batch(2025)
    officer = f.user_of(f.province(), username="prov")
    first = f.advance(
        f.application(f.enterprise("330106", name="杭州绿源精密机械有限公司"), batch), "province_review"
    )
    f.advance(f.application(f.enterprise("330108", name="杭州滨江新材料有限公司"), batch), "recommended")
    f.advance(f.application(f.enterprise("330203", name="宁波海曙电机有限公司"), batch), "county_review")

    sign_in(page, live_server, officer.username)
    page.get_by_role("link", name="批次设置").click()
    expect(page.locator("h1")).to_have_text("2025年度批次设置")
    total = page.locator("#quota-total")
    expect(total).to_have_text("22")

    # The total follows the inputs as the officer types.
    page.get_by_label("宁波市", exact=True).fill("5")
    expect(total).to_have_text("25")

    # Below what 杭州 has recommended (2): refused, the message beside 杭州's field, nothing saved.
    page.get_by_label("杭州市", exact=True).fill("1")
    expect(total).to_have_text("24")
    page.get_by_role("button", name="保存推荐名额").click()
    expect(quota_row(page, "杭州市").locator(".errorlist")).to_have_text("杭州市已推荐2个，名额不能少于2个。")
    expect(quota_row(page, "宁波市").locator(".errorlist")).to_have_count(0)
    assert CityQuota.objects.get(batch=batch, city_id="330200").factory_quota == 2
    shot(page, "batch_settings_refused")

    page.get_by_label("杭州市", exact=True).fill("3")
    page.get_by_label("调整原因").fill("名额调剂")
    page.get_by_role("button", name="保存推荐名额").click()
    expect(page.locator(".messages")).to_contain_text("推荐名额已保存（修改2个设区市），合计26个。")
    expect(total).to_have_text("26")
    expect(page.locator("#history")).to_contain_text("名额调剂")
    shot(page, "batch_settings")

    # A quota table with a bad row: the row's error is listed and nothing changes.
    bad = tmp_path / "名额表-有误.xlsx"
    bad.write_bytes(annex1_workbook([("杭州市", 20), ("宁波市", "三十一"), *annex1_rows()[2:]]))
    page.get_by_label("名额表（.xlsx，附件1格式）").set_input_files(str(bad))
    page.get_by_role("button", name="导入", exact=True).click()
    errors = page.locator(".import-errors")
    expect(errors).to_contain_text("名额表有误，未作任何修改")
    expect(errors).to_contain_text("第5行：宁波市的推荐名额“三十一”不是不小于0的整数。")
    expect(total).to_have_text("26")
    shot(page, "batch_import_errors")

    good = tmp_path / "名额表.xlsx"
    good.write_bytes(annex1_workbook())
    page.get_by_label("名额表（.xlsx，附件1格式）").set_input_files(str(good))
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("名额表已导入：11个设区市，合计200个。")
    expect(total).to_have_text("200")
    expect(page.get_by_label("嘉兴市", exact=True)).to_have_value("35")
    shot(page, "batch_import_done")

    # A city's deadline extended, with a reason; the officer is recorded as granting it.
    extensions = page.locator("#extensions")
    extensions.get_by_label("设区市").select_option(label="舟山市")
    later = batch.city_submission_deadline + datetime.timedelta(days=10)
    extensions.get_by_label("延长至").fill(later.isoformat())
    extensions.get_by_label("原因").fill("台风影响，延期报送")
    extensions.get_by_role("button", name="保存延期").click()
    expect(page.locator(".messages")).to_contain_text("舟山市的报送截止日期已延长。")
    expect(extensions.locator("table")).to_contain_text("台风影响，延期报送")
    expect(extensions.locator("table")).to_contain_text("prov")
    shot(page, "batch_extension")

    # The dashboard: 杭州's "recommended" bar leads to its two recommended factories.
    page.get_by_role("link", name="数据看板").first.click()
    expect(page.locator("h1")).to_have_text("2025年度批次数据看板")
    expect(page.locator("svg.bar-chart rect")).to_have_count(33)
    shot(page, "dashboard")
    page.locator('svg.bar-chart a[data-city="杭州市"][data-series="recommended"]').click()
    expect(page).to_have_url(re.compile(r"/dashboard/applications/\?.*city=330100"))
    expect(page.locator(".result-count")).to_have_text("共2项")
    rows = page.locator("table.applications tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("table.applications")).to_contain_text("杭州绿源精密机械有限公司")
    expect(page.locator("table.applications")).to_contain_text("杭州滨江新材料有限公司")
    expect(page.locator("table.applications")).not_to_contain_text("宁波海曙电机有限公司")
    shot(page, "dashboard_list")
    page.get_by_role("link", name="杭州绿源精密机械有限公司").click()
    expect(page).to_have_url(re.compile(rf"/applications/{first.pk}/$"))


def annex1_rows():
    from tests.quotas.xlsx import ANNEX1_2025

    return ANNEX1_2025


def test_province_reads_a_varied_dashboard_and_opens_the_lists_behind_it(page, live_server):
    from tests.dashboard.conftest import Dataset

    data = Dataset()
    data.province.username = "prov"
    data.province.save()
    sign_in(page, live_server, "prov")
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.locator("#states tr[data-state=province_review] a")).to_have_text("3")
    shot(page, "dashboard_varied")

    page.locator(f"#assessors tr[data-group='{data.group_a.pk}'] a.n-cap").click()
    expect(page.locator(".result-count")).to_have_text("共3项")
    expect(page.get_by_label("第三方机构法人主体")).to_have_value(str(data.group_a.pk))

    page.go_back()
    page.locator("#divisions tr[data-division='26'] a").click()
    expect(page.locator(".result-count")).to_have_text("共4项")
    expect(page.locator("table.applications td:nth-child(4)")).to_have_text(["2611"] * 4)
