"""The review season in real Chromium: the county passes one factory and returns another with a
reason; the applicant reads the reason and resubmits; the city recommends a park and the factory,
meets its quota, generates the letter and Annex 2, uploads the sealed scans, is refused after the
deadline and sends once the province extends it."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application
from applications.services import application_transition
from quotas.models import Batch, DeadlineExtension
from tests import factories as f
from tests.browser.conftest import confirm, decide, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("GREENMFG_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def state_of(app):
    return Application.objects.get(pk=app.pk).state


def test_county_and_city_review_then_the_city_sends_to_the_province(page, live_server, tmp_path):
    batch = f.batch(quotas={"330100": 2})
    county = f.user_of(f.county_bureau("330106"), username="xihu")
    city = f.user_of(f.city_bureau("330100"), username="hangzhou")
    passed = f.advance(
        f.application(f.enterprise("330106", name="杭州绿源精密机械有限公司"), batch), "county_review"
    )
    returned_unit = f.enterprise("330106", name="杭州清风纺织有限公司")
    returned = f.advance(f.application(returned_unit, batch), "county_review")
    park = f.advance(f.application(f.park("330100", name="杭州湾绿色智造产业园"), batch), "city_review")
    # Already passed by the county and recommended earlier: it takes one of the two quota slots.
    earlier = f.advance(
        f.application(f.enterprise("330106", name="杭州先行低碳科技有限公司"), batch), "recommended"
    )
    waiting = f.advance(
        f.application(f.enterprise("330106", name="杭州后来新材料有限公司"), batch), "city_review"
    )

    # --- the county bureau ------------------------------------------------------------------
    sign_in(page, live_server, county.username)
    page.get_by_role("link", name="审核队列").click()
    expect(page.locator("table.queue")).to_contain_text("杭州绿源精密机械有限公司")
    expect(page.locator("table.queue")).to_contain_text("杭州清风纺织有限公司")
    expect(page.locator("table.queue")).not_to_contain_text("杭州湾绿色智造产业园")
    shot(page, "queue-county")
    page.get_by_role("link", name="杭州绿源精密机械有限公司").click()
    expect(page.locator("h1")).to_have_text("杭州绿源精密机械有限公司")
    shot(page, "review-page")
    decide(page, "县级审核通过")
    expect(page.locator(".message.success")).to_contain_text("操作成功，申报状态：市级审核")
    assert state_of(passed) == "city_review"

    page.goto(f"{live_server.url}/reviews/queue/")
    page.get_by_role("link", name="杭州清风纺织有限公司").click()
    # The comment's label follows the decision; a missing reason is refused beside the field.
    decide(page, "退回修改")
    expect(page.locator("#comment-error")).to_have_text("请填写退回修改的原因，申报单位将看到这段文字。")
    expect(page.get_by_label("退回修改的原因（必填）")).to_be_visible()
    decide(page, "退回修改", "请补充近三年单位产品综合能耗数据")
    expect(page.locator("dialog#confirm-dialog")).to_contain_text("申报单位将收到通知")
    confirm(page, "确认退回修改")
    expect(page.locator("[data-testid=current-state]")).to_have_text("退回修改")
    page.goto(f"{live_server.url}/reviews/queue/?tab=returned")
    expect(page.locator("table.queue")).to_contain_text("杭州清风纺织有限公司")

    # --- the applicant reads the reason and resubmits ---------------------------------------
    sign_in(page, live_server, returned_unit.users.first().username)
    page.goto(f"{live_server.url}/applications/{returned.pk}/")
    expect(page.locator(".timeline")).to_contain_text("请补充近三年单位产品综合能耗数据")
    page.get_by_role("link", name="核对并提交", exact=True).click()
    page.get_by_role("button", name="提交审核").click()
    confirm(page, "确认提交")
    expect(page.locator(".state").first).to_have_text("县级审核")
    assert state_of(returned) == "county_review"

    # --- the city bureau --------------------------------------------------------------------
    sign_in(page, live_server, city.username)
    page.get_by_role("link", name="审核队列").click()
    expect(page.locator(".quota-bar")).to_contain_text("已推荐 1 / 名额 2")
    queue = page.locator("table.queue")
    for name in ("杭州湾绿色智造产业园", "杭州绿源精密机械有限公司", "杭州后来新材料有限公司"):
        expect(queue).to_contain_text(name)
    expect(queue).not_to_contain_text("杭州清风纺织有限公司")  # back with its county
    shot(page, "queue-city")
    page.get_by_role("link", name="杭州湾绿色智造产业园").click()
    decide(page, "市级审核通过并推荐")
    expect(page.locator(".message.success")).to_contain_text("市级已推荐")
    page.goto(f"{live_server.url}/reviews/applications/{passed.pk}/")
    decide(page, "市级审核通过并推荐")
    expect(page.locator(".message.success")).to_contain_text("市级已推荐")

    # The quota is now used up: the next factory is refused, with the reason, one by one in bulk too.
    page.goto(f"{live_server.url}/reviews/applications/{waiting.pk}/")
    expect(page.get_by_label("市级审核通过并推荐", exact=True)).to_be_disabled()
    shot(page, "review-page-quota-full")
    expect(page.locator(".reasons")).to_contain_text("杭州市本批次工厂推荐名额为2个，已推荐2个，名额已满。")
    page.goto(f"{live_server.url}/reviews/queue/?state=city_review")
    page.get_by_label("全选本页").check()  # the small script; every row's own box works without it
    expect(page.get_by_label("选择杭州后来新材料有限公司")).to_be_checked()
    page.get_by_role("button", name="批量市级审核通过并推荐").click()
    expect(page.locator("table.bulk-results")).to_contain_text("名额已满")
    assert state_of(waiting) == "city_review"

    # --- the submission to the province -----------------------------------------------------
    page.get_by_role("link", name="报送省经信厅").click()
    page.get_by_role("button", name="开始准备报送").click()
    expect(page.locator("h1")).to_contain_text("杭州市2025年度省级绿色制造推荐报送")
    units = page.locator(".review-main section").first
    for name in ("杭州湾绿色智造产业园", "杭州绿源精密机械有限公司", "杭州先行低碳科技有限公司"):
        expect(units).to_contain_text(name)
    page.get_by_label("推荐函文号").fill("杭经信函〔2025〕18号")
    page.get_by_role("button", name="保存文号").click()
    expect(page.locator(".message.success")).to_contain_text("文号已保存")

    with page.expect_popup() as popup:
        page.get_by_role("link", name="生成推荐函（PDF）").click()
    letter_url = popup.value.url
    popup.value.close()
    letter = page.request.get(letter_url)
    assert letter.headers["content-type"] == "application/pdf"
    (tmp_path / "letter.pdf").write_bytes(letter.body())
    with page.expect_download() as download:
        page.get_by_role("link", name="生成推荐名单汇总表（附件2，Excel）").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    expect(page.locator(".checks")).to_contain_text("请上传盖章后的推荐函扫描件")
    for kind in ("推荐函（盖章扫描件）", "推荐名单汇总表（盖章扫描件）"):
        page.get_by_label("材料类型").select_option(label=kind)
        page.get_by_label("PDF 文件").set_input_files(
            {"name": "盖章扫描件.pdf", "mimeType": "application/pdf", "buffer": f.pdf_bytes()}
        )
        page.get_by_role("button", name="上传", exact=True).click()
        expect(page.locator(".message.success")).to_contain_text("已上传")
    expect(page.get_by_text("检查通过，可以报送。")).to_be_visible()
    shot(page, "submission")

    # The deadline passes while the page is open: sending is refused with the reason.
    Batch.objects.filter(pk=batch.pk).update(
        city_submission_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    page.get_by_role("button", name="报送省经信厅").click()
    confirm(page, "确认报送")
    expect(page.locator(".message.error").first).to_contain_text("截止日期")
    expect(page.locator(".message.error").first).to_contain_text("已过")
    assert {state_of(a) for a in (park, passed, earlier)} == {"recommended"}

    # The province extends 杭州's deadline; now the submission goes through, all at once.
    DeadlineExtension.objects.create(
        batch=batch,
        city_id="330100",
        deadline=timezone.localdate() + datetime.timedelta(days=2),
        reason="延期",
        granted_by=f.user_of(f.province()),
    )
    page.reload()
    page.get_by_role("button", name="报送省经信厅").click()
    expect(page.locator("dialog#confirm-dialog")).to_contain_text("杭州先行低碳科技有限公司")
    confirm(page, "确认报送")
    expect(page.locator(".message.success")).to_contain_text("已报送省经信厅：园区1个、工厂2个。")
    expect(page.locator("[data-testid=submission-state]")).to_have_text("已报送")
    assert {state_of(a) for a in (park, passed, earlier)} == {"province_review"}
    assert application_transition  # the services moved everything; nothing was set by hand

    # --- the province sees the submission with its documents --------------------------------
    province = f.user_of(f.province(), username="province")
    sign_in(page, live_server, province.username)
    page.get_by_role("link", name="各市推荐报送").click()
    expect(page.locator("table.submissions")).to_contain_text("杭州市")
    expect(page.locator("table.submissions")).to_contain_text("推荐函（盖章扫描件） v1")
    shot(page, "submission-list-province")
