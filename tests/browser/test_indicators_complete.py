"""The key indicators rule in the browser (conditions.indicators_complete, 通知 二(一)): the unit is
told what is missing on its home page and the summary, cannot submit, fills them in, submits."""

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.conftest import confirm, sign_in
from tests.browser.test_applicant_factory import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "请填写主要指标：单位产品综合能耗、单位产品取水量、工业固体废物综合利用率、可再生能源使用比例。"


def test_indicators_complete_blocks_submit_until_filled_in(page, live_server):
    batch = f.batch()
    unit = f.enterprise("330106", name="杭州绿源精密机械有限公司")
    user = f.user_of(unit, username="factory")
    app = f.application(unit, batch, indicators=None)

    sign_in(page, live_server, user.username)
    expect(page.locator(".next-steps").get_by_role("link", name=REASON)).to_have_count(1)
    shot(page, "home_indicators_missing")
    page.goto(f"{live_server.url}/applications/{app.pk}/submit/")
    expect(page.locator(".missing .reasons li")).to_have_text([REASON])
    expect(page.get_by_role("button", name="提交审核")).to_be_disabled()
    shot(page, "submit_indicators_missing")

    page.get_by_role("link", name="1. 主要指标").click()
    for code, value, benchmark in [
        ("energy_per_unit", "110", "135"),
        ("water_per_unit", "2.4", "3.5"),
        ("solid_waste_utilisation", "96", "90"),
        ("renewable_share", "18", "10"),
    ]:
        page.locator(f"#id_{code}__value").fill(value)
        page.locator(f"#id_{code}__benchmark").fill(benchmark)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存。")).to_be_visible()
    page.get_by_role("link", name="4. 核对并提交").click()
    expect(page.get_by_text(REASON)).to_have_count(0)
    page.get_by_role("button", name="提交审核").click()
    confirm(page, "确认提交")
    expect(page.locator("h1 + p .state")).to_have_text("县级审核")
