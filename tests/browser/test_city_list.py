"""In Chromium: a city bureau uploads its city-level list, sees the preview and confirms; a
factory on the list submits; a factory left off is refused with the reason naming the list."""

import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from lists.models import ListEntry
from lists.xlsx import CITY_COLUMNS
from tests import factories as f
from tests.browser.conftest import confirm, sign_in
from tests.browser.test_applicant_factory import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_city_uploads_its_list_then_a_listed_factory_submits_and_an_unlisted_one_is_refused(
    page, live_server, tmp_path
):
    batch = f.batch()
    f.user_of(f.city_bureau("330100"), username="hz-city")
    listed = f.enterprise("330106", name="杭州名单内机械有限公司", green=False)
    unlisted = f.enterprise("330106", name="杭州名单外机械有限公司", green=False)
    f.user_of(listed, username="listed")
    f.user_of(unlisted, username="unlisted")
    listed_app = f.application(listed, batch)
    unlisted_app = f.application(unlisted, batch)

    wb = Workbook()
    ws = wb.active
    ws.append(list(CITY_COLUMNS))
    ws.append([1, listed.name, listed.enterprise.credit_code, "西湖区", "工厂", "3311", 2024])
    ws.append([2, "杭州钱塘新材料产业园", "", "钱塘区", "园区", "省级开发区", 2023])
    path = tmp_path / "杭州市市级名单.xlsx"
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())

    sign_in(page, live_server, "hz-city")
    page.get_by_role("link", name="市级名单").first.click()
    expect(page.get_by_role("heading", name="杭州市市级绿色低碳工业园区及工厂名单")).to_be_visible()
    page.get_by_label("名单文件（.xlsx）").set_input_files(str(path))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_test_id("preview-counts")).to_contain_text("新增2个，移出0个，未变0个")
    shot(page, "lists_preview")
    assert not ListEntry.objects.exists()
    page.get_by_role("button", name="确认并替换当前名单").click()
    expect(page.get_by_text("年度市级名单已报送：新增2个，移出0个，未变0个。")).to_be_visible()
    shot(page, "lists_city_page")
    assert ListEntry.objects.active().filter(tier="city").count() == 2
    page.get_by_role("button", name="退出").click()

    sign_in(page, live_server, "listed")
    page.goto(f"{live_server.url}/applications/{listed_app.pk}/submit/")
    page.get_by_role("button", name="提交审核").click()
    confirm(page, "确认提交")
    expect(page.get_by_text("申报已提交，当前状态：县级审核。")).to_be_visible()
    page.get_by_role("button", name="退出").click()

    sign_in(page, live_server, "unlisted")
    page.goto(f"{live_server.url}/applications/{unlisted_app.pk}/submit/")
    expect(page.get_by_role("alert")).to_contain_text("未列入杭州市市级绿色低碳工厂名单")
    expect(page.get_by_role("button", name="提交审核")).to_be_disabled()
    shot(page, "lists_unlisted_refused")
    unlisted_app.refresh_from_db()
    assert unlisted_app.state == "draft"
