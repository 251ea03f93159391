"""Every page of every role in Chromium at a phone's width (390 px): nothing wider than the screen,
and axe-core (installed from the npm registry by `make test`, injected by the test, never served
by the portal) finds no serious or critical accessibility violation. One browser context per role
walks its pages; failures are collected so one run names every page that breaks."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from applications.models import Application
from dynamic.models import DynamicForm
from dynamic.services import campaign_open, form_document_upload, form_transition, form_update
from publicity.services import objection_file, publication_publish
from reviews.services import city_submission_open
from tests import factories as f
from tests.browser.conftest import sign_in
from tests.dynamic.conftest import complete_data, provincial_entry
from tests.experts.conftest import ProvinceWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(os.environ.get("GREENMFG_AXE", settings.BASE_DIR / "var/node/node_modules/axe-core/axe.min.js"))
PHONE = {"width": 390, "height": 844}
AXE_RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ["violations"]});
  return r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""


def build_world(clock):
    """Something on every page: a draft, units in each review step, a city's submission, an expert
    opinion, a publicity round with an objection, and a publication."""
    w = ProvinceWorld(clock=clock)
    w.draft = w.application("factory")
    w.at_county = w.in_state(
        "factory", "county_review", unit=f.enterprise("330106", name="杭州县审企业有限公司")
    )
    w.at_city = w.in_state("park", "city_review")
    w.recommended = w.in_state("factory", "recommended", unit=f.enterprise("330106", name="杭州已推荐企业"))
    w.submission = city_submission_open(batch=w.batch, by=w.users["city"])
    w.reviewed = w.under_review(name="杭州省评企业有限公司")
    f.expert_opinion(w.reviewed, w.users["expert"])
    w.published_unit = w.under_review(name="杭州公布企业有限公司")
    f.after_publicity(clock, f.publicity_round([w.published_unit]))
    w.publication = publication_publish(batch=w.batch, by=w.users["province"])
    w.in_publicity = w.under_review(name="杭州公示企业有限公司")
    f.publicity_round([w.in_publicity])
    w.objection = objection_file(
        application_pk=w.in_publicity.pk,
        name="张三",
        contact="13800000000",
        facts="能耗数据不实。",
        ip_address="127.0.0.1",
    )
    build_dynamic(w)
    return w


def build_dynamic(w):
    """Dynamic management open for the batch: one listed unit still filling its form, one whose
    form has the city's opinion (on the province's opinions page)."""
    filling = f.enterprise("330106", name="杭州动态填报企业有限公司")
    concluded = f.enterprise("330106", name="杭州动态意见企业有限公司")
    w.users["dynamic_unit"] = f.user_of(filling)
    for org in (filling, concluded):
        provincial_entry(org)
    campaign_open(batch=w.batch, by=w.users["province"])
    w.dynamic_filling = DynamicForm.objects.get(batch=w.batch, unit=filling)
    w.dynamic_concluded = form = DynamicForm.objects.get(batch=w.batch, unit=concluded)
    unit_user = f.user_of(concluded)
    form_update(form, by=unit_user, data=complete_data(form))
    form_document_upload(form=form, kind="signed_form", upload=f.pdf_upload("动态管理表.pdf"), by=unit_user)
    for name, actor, extra in (
        ("submit", unit_user, {}),
        ("county_pass", w.users["county"], {}),
        ("city_conclude", w.users["city"], {"opinion": "keep"}),
    ):
        form_transition(form, name=name, by=actor, **extra)
    w.dynamic_entry = form.entry
    w.city_entry = filling.list_entries.get(tier="city")  # f.enterprise puts it on the city list


def pages_by_role(w):
    year = w.batch.year
    return {
        None: [
            "/accounts/login/",
            "/publicity/",
            "/publicity/published/",
            f"/publicity/published/{w.publication.pk}/",
            "/lists/public/",
            "/accounts/register/",
            "/accounts/register/enterprise/",
            "/accounts/register/park/",
            "/accounts/register/assessor/",
            "/accounts/register/join/",
            "/accounts/password/reset/",
        ],
        "dynamic_unit": [
            "/dynamic/",
            f"/dynamic/forms/{w.dynamic_filling.pk}/",
            f"/dynamic/forms/{w.dynamic_filling.pk}/edit/",
        ],
        "applicant_factory": [
            "/",
            "/accounts/profile/",
            f"/applications/{w.draft.pk}/",
            f"/applications/{w.draft.pk}/edit/",
            f"/applications/{w.draft.pk}/assessor/",
            f"/applications/{w.draft.pk}/upload/",
            f"/applications/{w.draft.pk}/submit/",
            "/accounts/inbox/",
            "/accounts/password/change/",
            "/dynamic/",
        ],
        "applicant_park": [
            "/",
            "/accounts/profile/",
            f"/applications/{w.at_city.pk}/",
            f"/applications/{w.at_city.pk}/receipt/",
        ],
        "assessor": ["/"],
        "county": [
            "/",
            "/reviews/queue/",
            "/reviews/queue/?tab=passed",
            "/reviews/queue/?tab=returned",
            "/reviews/queue/?tab=rejected",
            f"/reviews/applications/{w.at_county.pk}/",
            "/lists/",
            "/dynamic/",
            f"/dynamic/forms/{w.dynamic_filling.pk}/",
        ],
        "city": [
            "/",
            "/reviews/queue/",
            f"/reviews/applications/{w.at_city.pk}/",
            f"/reviews/applications/{w.recommended.pk}/",
            f"/reviews/submissions/{w.submission.pk}/",
            "/reviews/submissions/",
            "/lists/",
            "/lists/city/",
            "/dynamic/",
            f"/dynamic/forms/{w.dynamic_concluded.pk}/",
            f"/lists/entries/{w.city_entry.pk}/",
            f"/lists/entries/{w.city_entry.pk}/end/",
        ],
        "province": [
            "/",
            "/dashboard/",
            "/dashboard/applications/",
            "/quotas/",
            f"/quotas/{year}/",
            "/reviews/submissions/",
            f"/reviews/submissions/{w.submission.pk}/",
            "/experts/province/",
            f"/experts/province/{w.reviewed.pk}/",
            "/publicity/manage/",
            f"/publicity/manage/objections/{w.objection.pk}/",
            "/lists/",
            "/lists/national/",
            "/lists/reports/",
            f"/lists/entries/{w.dynamic_entry.pk}/",
            "/dynamic/",
            "/dynamic/opinions/",
            f"/dynamic/forms/{w.dynamic_concluded.pk}/",
            "/accounts/inbox/",
            "/accounts/verification/",
            "/accounts/bureau-admins/",
            "/accounts/lockouts/",
        ],
        "expert": ["/experts/", f"/experts/applications/{w.reviewed.pk}/"],
    }


def check_page(page, url, problems):
    response = page.goto(url)
    if response is None or response.status >= 400:
        problems.append(f"{url}: HTTP {response.status if response else '—'}")
        return
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
        problems.append(f"{url}: {width} px wide at 390 px ({'; '.join(wide)})")
    page.add_script_tag(path=str(AXE))
    for violation in page.evaluate(AXE_RUN):
        problems.append(f"{url}: {violation}")


def test_every_page_of_every_role_fits_a_phone_and_passes_axe(browser, live_server, time_machine):
    assert AXE.exists(), f"axe-core missing at {AXE}: `make test` installs it (npm install --prefix var/node)"
    w = build_world(time_machine)
    problems = []
    for role, urls in pages_by_role(w).items():
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
        for url in urls:
            check_page(page, url, problems)
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
