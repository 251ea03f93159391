"""Every page of every role in Chromium at a phone's width (390 px): nothing wider than the screen,
and axe-core (installed from the npm registry by `make test`, injected by the test, never served
by the portal) finds no serious or critical accessibility violation. One browser context per role
walks its pages; failures are collected so one run names every page that breaks."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from applications.models import Application
from tests.browser.conftest import sign_in
from tests.browser.pages import ERROR_URLCONF, VISITS, build_world
from tests.experts.conftest import ProvinceWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(os.environ.get("GREENMFG_AXE", settings.BASE_DIR / "var/node/node_modules/axe-core/axe.min.js"))
PHONE = {"width": 390, "height": 844}
AXE_RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ["violations"]});
  return r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""


def open_visit(page, visit, w):
    """Open the visit's page (or post the form of its `via` page): the answer's status."""
    if visit.act is None:
        response = page.goto(visit.address(w))
        return response.status if response else None
    page.goto(visit.address(w))
    with page.expect_response(
        lambda r: r.request.is_navigation_request() and r.request.method == "POST"
    ) as info:
        visit.act(page, w)
    page.wait_for_load_state()
    return info.value.status


def check_page(page, visit, w, problems):
    where = visit.label(w)
    status = open_visit(page, visit, w)
    if status != visit.status:
        problems.append(f"{where}: HTTP {status}, expected {visit.status}")
        return
    if visit.text and visit.text not in page.locator("main, body").first.inner_text():
        problems.append(f"{where}: does not show “{visit.text}”")
        return
    if shots := os.environ.get("GREENMFG_SCREENSHOTS"):
        name = re.sub(r"[^\w-]+", "_", where).strip("_")[:120]
        page.screenshot(path=f"{shots}/walk-{name}.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        wide = page.evaluate(
            """(limit) => Array.from(document.querySelectorAll("body *"))
              .filter(e => e.getBoundingClientRect().right > limit + 1)
              .filter(e => !e.closest(".table-scroll, table.list"))
              .slice(0, 4)
              .map(e => e.tagName.toLowerCase() + "." + e.className + " → "
                + Math.round(e.getBoundingClientRect().right))""",
            PHONE["width"],
        )
        problems.append(f"{where}: {width} px wide at 390 px ({'; '.join(wide)})")
    page.add_script_tag(path=str(AXE))
    for violation in page.evaluate(AXE_RUN):
        problems.append(f"{where}: {violation}")


def test_every_page_of_every_role_fits_a_phone_and_passes_axe(browser, live_server, time_machine, settings):
    """tests/browser/pages.py holds the pages (VISITS); tests/greenmfg/test_page_walk_coverage.py
    checks that no named URL is left out without a reason."""
    assert AXE.exists(), f"axe-core missing at {AXE}: `make test` installs it (npm install --prefix var/node)"
    settings.ROOT_URLCONF = ERROR_URLCONF  # the error pages' views that fail on purpose
    w = build_world(time_machine)
    problems = []
    roles = list(dict.fromkeys(v.role for v in VISITS))
    for role in roles:
        # bypass_csp: only so that the test can inject axe-core; the portal itself never loads it.
        context = browser.new_context(
            viewport=PHONE,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            base_url=live_server.url,
            bypass_csp=True,
        )
        page = context.new_page()
        if role is not None:
            sign_in(page, live_server, w.users[role].username)
        for visit in (v for v in VISITS if v.role == role):
            check_page(page, visit, w, problems)
        context.close()
    assert not problems, "\n".join(problems)


def test_the_header_collapses_on_a_phone_and_the_skip_link_leads_to_the_content(browser, live_server):
    w = ProvinceWorld()
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    sign_in(page, live_server, w.users["province"].username)
    nav = page.locator("#site-nav")
    expect(nav).to_be_hidden()
    page.get_by_role("button", name="菜单").click()
    expect(nav.get_by_role("link", name="数据看板")).to_be_visible()
    page.reload()
    page.keyboard.press("Tab")  # the first stop on every page
    expect(page.get_by_role("link", name="跳到正文")).to_be_focused()
    context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_province_header_is_one_row_of_links_on_a_desktop(browser, live_server, language):
    """The province has the most links: on a 1280 px screen its work links stay on one row beside
    the person's menu (the admin links and the password are inside that menu), in Chinese and in
    English (whose words are longer)."""
    w = ProvinceWorld()
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="zh-CN", base_url=live_server.url
    )
    page = context.new_page()
    sign_in(page, live_server, w.users["province"].username)
    english = language == "en"
    if english:  # as a person switches: the header's language button
        page.locator("form.lang").get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    if shots := os.environ.get("GREENMFG_SCREENSHOTS"):
        page.screenshot(path=f"{shots}/i14-province-header-{language}-1280.png")
    spread = page.evaluate(
        """() => {
          const shown = document.querySelectorAll("#site-nav a, #site-nav summary, #site-nav button");
          const tops = Array.from(shown)
            .filter(e => e.checkVisibility()).map(e => e.getBoundingClientRect().top);
          return Math.max(...tops) - Math.min(...tops);
        }"""
    )
    rows = 1 if spread < 12 else 2
    assert rows == 1, f"the header's links take {rows} rows"
    password = page.get_by_role("link", name="Change password" if english else "修改密码")
    expect(password).to_be_hidden()
    page.locator(".nav-menu summary").click()
    expect(password).to_be_visible()
    page.keyboard.press("Escape")
    expect(password).to_be_hidden()
    context.close()


def test_submitting_without_javascript_goes_through_the_confirmation_page(browser, live_server):
    w = ProvinceWorld()
    app = w.application("factory")
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", java_script_enabled=False, base_url=live_server.url
    )
    page = context.new_page()
    sign_in(page, live_server, w.users["applicant_factory"].username)
    page.goto(f"/applications/{app.pk}/submit/")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("h1")).to_have_text("确认提交审核")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert Application.objects.get(pk=app.pk).state == "draft"
    page.get_by_role("button", name="确认提交").click()
    expect(page.locator(".message.success")).to_contain_text("申报已提交")
    assert Application.objects.get(pk=app.pk).state == "county_review"
    # The reviewer's reject, without JavaScript: the reason is checked, then confirmed on a page.
    sign_in(page, live_server, w.users["county"].username)
    page.goto(f"/reviews/applications/{app.pk}/")
    page.get_by_label("不予通过", exact=True).check()
    page.get_by_role("button", name="提交审核决定").click()
    expect(page.locator("#comment-error")).to_contain_text("请填写不予通过的原因")
    page.get_by_label("不予通过的原因（必填）").fill("不符合申报条件。")
    page.get_by_role("button", name="提交审核决定").click()
    expect(page.locator("h1")).to_have_text("确认不予通过")
    assert Application.objects.get(pk=app.pk).state == "county_review"
    page.get_by_role("button", name="确认不予通过").click()
    expect(page.locator("[data-testid=current-state]")).to_have_text("未通过")
    context.close()
