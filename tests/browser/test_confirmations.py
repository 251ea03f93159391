"""In Chromium: the queue's bulk 退回修改 is confirmed in the page's dialog, which names the ticked
units (static/js/confirm.js reads them from the rows); cancelling changes nothing; a missing
reason goes straight to the server's message, without a dialog. The province's 不予通过 is
confirmed the same way; the queue on a phone scrolls in its own box. The province's 列入公示,
a bureau's 不予通过 of a registration, its 不同意 of a unit's identity change and the province's
opening of dynamic management: a dialog with JavaScript, the confirmation page without it
(core.confirm)."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Organisation, OrgRole
from applications.models import Application
from dynamic.models import DynamicForm
from onboarding.identity import identity_change_request
from onboarding.models import IdentityChange
from tests import factories as f
from tests.browser.conftest import sign_in
from tests.dynamic.conftest import provincial_entry
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


def _contexts(browser, live_server):
    """A context with JavaScript and one without (a phone's width: the page must fit there too)."""
    return [
        browser.new_context(
            viewport={"width": 390, "height": 844},
            locale="zh-CN",
            java_script_enabled=script,
            base_url=live_server.url,
        )
        for script in (True, False)
    ]


def _long_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _confirmation_page(page, title):
    expect(page.locator("h1")).to_have_text(title)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_opening_publicity_is_confirmed_in_a_dialog_and_on_a_page_without_javascript(browser, live_server):
    w = ProvinceWorld()
    first, second = (w.under_review(name=n) for n in ("杭州甲公示企业有限公司", "杭州乙公示企业有限公司"))
    for app in (first, second):
        f.expert_opinion(app, w.users["expert"])
    scripted, plain = _contexts(browser, live_server)

    # With JavaScript: the dialog names the ticked unit and the dates typed in the form.
    page = scripted.new_page()
    sign_in(page, live_server, w.users["province"].username)
    page.goto("/experts/province/")
    dialog = page.locator("dialog#confirm-dialog")
    # Nothing ticked: no dialog, the server's reason at once.
    page.get_by_role("button", name="勾选单位列入公示").click()
    expect(page.locator(".message.error")).to_contain_text("请勾选拟公示的单位")
    expect(dialog).to_be_hidden()
    page.get_by_label("杭州甲公示企业有限公司拟公示").check()
    ends_on = timezone.localdate() + datetime.timedelta(days=30)
    page.get_by_label("公示结束日期", exact=False).fill(ends_on.isoformat())
    page.get_by_role("button", name="勾选单位列入公示").click()
    expect(dialog.locator("h2")).to_have_text("确认列入公示")
    expect(dialog.locator(".confirm-items li")).to_have_text(["杭州甲公示企业有限公司（杭州市）"])
    expect(dialog).to_contain_text(f"公示结束日期：{_long_date(ends_on)}")
    expect(dialog).to_contain_text(f"公示开始日期：{_long_date(timezone.localdate())}")
    shot(page, "i14-publicity-open-dialog")
    dialog.get_by_role("button", name="取消").click()
    assert state(first) == "province_review"
    page.get_by_role("button", name="勾选单位列入公示").click()
    dialog.get_by_role("button", name="确认列入公示").click()
    expect(page.locator(".message.success")).to_contain_text("已将1家单位列入公示")
    assert (state(first), state(second)) == ("publicity", "province_review")
    scripted.close()

    # Without JavaScript: the confirmation page, then the round opens.
    page = plain.new_page()
    sign_in(page, live_server, w.users["province"].username)
    page.goto("/experts/province/")
    page.get_by_label("杭州乙公示企业有限公司拟公示").check()
    page.get_by_role("button", name="勾选单位列入公示").click()
    _confirmation_page(page, "确认列入公示")
    expect(page.locator(".confirm-items li")).to_have_text(["杭州乙公示企业有限公司（杭州市）"])
    assert state(second) == "province_review"
    page.get_by_role("button", name="确认列入公示").click()
    expect(page.locator(".message.success")).to_contain_text("已将1家单位列入公示")
    assert state(second) == "publicity"
    plain.close()


def test_refusing_a_registration_is_confirmed_in_a_dialog_and_on_a_page_without_javascript(
    browser, live_server
):
    county = f.user_of(f.county_bureau("330106"))
    orgs = [
        f.enterprise("330106", name=name, verification="pending", green=False)
        for name in ("杭州待核验甲有限公司", "杭州待核验乙有限公司")
    ]
    Organisation.objects.filter(pk__in=[o.pk for o in orgs]).update(registered_at=timezone.now())
    scripted, plain = _contexts(browser, live_server)

    def verification(org):
        return Organisation.objects.get(pk=org.pk).verification

    page = scripted.new_page()
    sign_in(page, live_server, county.username)
    page.goto(f"/accounts/verification/{orgs[0].pk}/")
    dialog = page.locator("dialog#confirm-dialog")
    # No reason: no dialog, the server's reason beside the field.
    page.get_by_role("button", name="不予通过").click()
    expect(page.locator("#id_comment_errors")).to_contain_text("请填写不予通过的理由")
    expect(dialog).to_be_hidden()
    page.get_by_label("核验意见").fill("营业执照与单位名称不符。")
    page.get_by_role("button", name="不予通过").click()
    expect(dialog.locator("h2")).to_have_text("确认不予通过")
    expect(dialog).to_contain_text("将对“杭州待核验甲有限公司”作出决定：不予通过。")
    expect(dialog).to_contain_text("理由：营业执照与单位名称不符。")
    shot(page, "i14-verification-refuse-dialog")
    dialog.get_by_role("button", name="取消").click()
    assert verification(orgs[0]) == "pending"
    page.get_by_role("button", name="不予通过").click()
    dialog.get_by_role("button", name="确认不予通过").click()
    expect(page.locator(".message.success")).to_contain_text("已退回杭州待核验甲有限公司的注册")
    assert verification(orgs[0]) == "refused"
    scripted.close()

    page = plain.new_page()
    sign_in(page, live_server, county.username)
    page.goto(f"/accounts/verification/{orgs[1].pk}/")
    page.get_by_label("核验意见").fill("证明材料不清晰。")
    page.get_by_role("button", name="不予通过").click()
    _confirmation_page(page, "确认不予通过")
    expect(page.locator(".confirm-page")).to_contain_text("理由：证明材料不清晰。")
    assert verification(orgs[1]) == "pending"
    page.get_by_role("button", name="确认不予通过").click()
    expect(page.locator(".message.success")).to_contain_text("已退回杭州待核验乙有限公司的注册")
    assert verification(orgs[1]) == "refused"
    plain.close()


def test_refusing_an_identity_change_is_confirmed_in_a_dialog_and_on_a_page_without_javascript(
    browser, live_server
):
    county = f.user_of(f.county_bureau("330106"))
    changes = [
        identity_change_request(
            by=f.user_of(f.enterprise("330106", name=old), org_role=OrgRole.ADMIN), name=new, reason="更名"
        )
        for old, new in (
            ("杭州旧名甲有限公司", "杭州新名甲有限公司"),
            ("杭州旧名乙有限公司", "杭州新名乙有限公司"),
        )
    ]
    scripted, plain = _contexts(browser, live_server)

    def change_state(change):
        return IdentityChange.objects.get(pk=change.pk).state

    page = scripted.new_page()
    sign_in(page, live_server, county.username)
    page.goto(f"/accounts/identity-change/{changes[0].pk}/")
    dialog = page.locator("dialog#confirm-dialog")
    # No reason: no dialog, the server's reason beside the field.
    page.get_by_role("button", name="不同意").click()
    expect(page.locator("#id_comment_errors")).to_contain_text("请填写不同意的理由")
    expect(dialog).to_be_hidden()
    page.get_by_label("核验意见").fill("未见工商变更登记材料。")
    page.get_by_role("button", name="不同意").click()
    expect(dialog.locator("h2")).to_have_text("确认不同意")
    expect(dialog).to_contain_text("将对“杭州旧名甲有限公司”作出决定：不同意。")
    expect(dialog.locator(".confirm-items li")).to_have_text(
        ["名称：杭州旧名甲有限公司 → 杭州新名甲有限公司"]
    )
    expect(dialog).to_contain_text("理由：未见工商变更登记材料。")
    shot(page, "i14b-identity-refuse-dialog")
    dialog.get_by_role("button", name="取消").click()
    assert change_state(changes[0]) == "pending"
    page.get_by_role("button", name="不同意").click()
    dialog.get_by_role("button", name="确认不同意").click()
    expect(page.locator(".message.success")).to_contain_text("已处理变更申请")
    assert change_state(changes[0]) == "refused"
    scripted.close()

    page = plain.new_page()
    sign_in(page, live_server, county.username)
    page.goto(f"/accounts/identity-change/{changes[1].pk}/")
    page.get_by_label("核验意见").fill("名称与执照不符。")
    page.get_by_role("button", name="不同意").click()
    _confirmation_page(page, "确认不同意")
    expect(page.locator(".confirm-items li")).to_have_text(["名称：杭州旧名乙有限公司 → 杭州新名乙有限公司"])
    expect(page.locator(".confirm-page")).to_contain_text("理由：名称与执照不符。")
    shot(page, "i14b-identity-refuse-page")
    assert change_state(changes[1]) == "pending"
    page.get_by_role("button", name="确认不同意").click()
    expect(page.locator(".message.success")).to_contain_text("已处理变更申请")
    assert change_state(changes[1]) == "refused"
    plain.close()


def test_opening_dynamic_management_is_confirmed_in_a_dialog_and_on_a_page_without_javascript(
    browser, live_server
):
    w = ProvinceWorld()
    for county in ("330106", "330203"):
        provincial_entry(f.enterprise(county))
    scripted, plain = _contexts(browser, live_server)

    page = scripted.new_page()
    sign_in(page, live_server, w.users["province"].username)
    page.goto("/dynamic/")
    page.get_by_test_id("open-campaign").click()
    dialog = page.locator("dialog#confirm-dialog")
    expect(dialog.locator("h2")).to_have_text(f"确认开启{w.batch.year}年度动态管理")
    expect(dialog).to_contain_text("为2家单位生成动态管理表")
    expect(dialog.locator(".confirm-items li")).to_have_text(["杭州市：1家", "宁波市：1家"])
    shot(page, "i14-dynamic-open-dialog")
    dialog.get_by_role("button", name="取消").click()
    assert not DynamicForm.objects.exists()
    scripted.close()

    page = plain.new_page()
    sign_in(page, live_server, w.users["province"].username)
    page.goto("/dynamic/")
    page.get_by_test_id("open-campaign").click()
    _confirmation_page(page, f"确认开启{w.batch.year}年度动态管理")
    assert not DynamicForm.objects.exists()
    page.get_by_role("button", name="确认开启").click()
    expect(page.locator(".message.success")).to_contain_text("新生成2份动态管理表")
    assert DynamicForm.objects.filter(batch=w.batch).count() == 2
    plain.close()
