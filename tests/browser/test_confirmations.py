"""In Chromium: the queue's bulk 退回修改 is confirmed in the page's dialog, which names the ticked
units (static/js/confirm.js reads them from the rows); cancelling changes nothing; a missing
reason goes straight to the server's message, without a dialog. The province's 不予通过 is
confirmed the same way; the queue on a phone scrolls in its own box."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from applications.models import Application
from tests import factories as f
from tests.browser.conftest import sign_in
from tests.experts.conftest import ProvinceWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("GREENMFG_SCREENSHOTS")


def shot(page, name):
    """Screenshots to look at (set GREENMFG_SCREENSHOTS to a directory)."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def state(app):
    return Application.objects.get(pk=app.pk).state


def test_bulk_return_is_confirmed_in_a_dialog_naming_the_ticked_units(page, live_server):
    w = ProvinceWorld()
    first = w.in_state("factory", "county_review", unit=f.enterprise("330106", name="杭州甲精密有限公司"))
    second = w.in_state("factory", "county_review", unit=f.enterprise("330106", name="杭州乙纺织有限公司"))
    left = w.in_state("factory", "county_review", unit=f.enterprise("330106", name="杭州丙电机有限公司"))
    sign_in(page, live_server, w.users["county"].username)
    page.goto(f"{live_server.url}/reviews/queue/")
    dialog = page.locator("dialog#confirm-dialog")

    # No reason: no dialog, the server's message.
    page.get_by_label("选择杭州甲精密有限公司").check()
    page.get_by_role("button", name="批量退回修改").click()
    expect(page.locator(".message.error")).to_contain_text("批量退回修改须填写原因")
    expect(dialog).to_be_hidden()

    page.get_by_label("选择杭州甲精密有限公司").check()
    page.get_by_label("选择杭州乙纺织有限公司").check()
    page.get_by_label("意见（退回修改时必填）").fill("请补充近三年能耗数据。")
    page.get_by_role("button", name="批量退回修改").click()
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text("确认批量退回修改")
    items = dialog.locator(".confirm-items li")
    expect(items).to_have_text(["杭州甲精密有限公司", "杭州乙纺织有限公司"])
    shot(page, "i14-queue-bulk-dialog-test")
    dialog.get_by_role("button", name="取消").click()
    assert {state(first), state(second)} == {"county_review"}

    page.get_by_role("button", name="批量退回修改").click()
    dialog.get_by_role("button", name="确认批量退回修改").click()
    expect(page.locator("table.bulk-results")).to_contain_text("杭州乙纺织有限公司")
    assert (state(first), state(second), state(left)) == ("returned", "returned", "county_review")


def test_the_queue_scrolls_in_its_box_on_a_phone_with_readable_unit_names(browser, live_server):
    """At 390 px the queue's table scrolls inside .table-scroll; its unit column keeps a readable
    width instead of one character per line."""
    w = ProvinceWorld()
    w.in_state("factory", "county_review", unit=f.enterprise("330106", name="杭州甲精密机械制造有限公司"))
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server, w.users["county"].username)
    page.goto(f"{live_server.url}/reviews/queue/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    unit = page.locator("td.unit-col").first.bounding_box()
    assert unit["width"] >= 160, unit
    box = page.locator(".table-scroll").bounding_box()
    assert box["width"] <= 390
    assert page.evaluate("document.querySelector('.table-scroll').scrollWidth") > box["width"]
    context.close()


def test_the_provinces_rejection_is_confirmed_in_a_dialog(page, live_server):
    w = ProvinceWorld()
    app = w.under_review(name="杭州省评企业有限公司")
    sign_in(page, live_server, w.users["province"].username)
    page.goto(f"{live_server.url}/experts/province/{app.pk}/")
    # No reason: no dialog; the server's Chinese message beside the field, nothing changed.
    page.get_by_role("button", name="不予通过").click()
    expect(page.locator("#comment-error")).to_have_text("请填写不予通过的原因，申报单位将看到这段文字。")
    expect(page.get_by_label("原因（必填）")).to_have_attribute("aria-invalid", "true")
    assert "原因" not in "".join(page.locator(".messages").all_inner_texts())
    assert state(app) == "province_review"
    shot(page, "i14-expert-decision-missing-reason")
    page.get_by_label("原因（必填）").fill("专家评审未通过。")
    page.get_by_role("button", name="不予通过").click()
    dialog = page.locator("dialog#confirm-dialog")
    expect(dialog.locator("h2")).to_have_text("确认不予通过")
    expect(dialog).to_contain_text("杭州省评企业有限公司")
    shot(page, "i14-expert-decision-dialog")
    dialog.get_by_role("button", name="取消").click()
    assert state(app) == "province_review"
    page.get_by_role("button", name="不予通过").click()
    dialog.get_by_role("button", name="确认不予通过").click()
    expect(page.locator(".message.success")).to_contain_text("杭州省评企业有限公司")
    assert state(app) == "rejected"
