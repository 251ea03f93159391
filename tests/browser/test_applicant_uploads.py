"""Refusals in real Chromium: non-PDF content, a file over the cap (with the progress bar's
XMLHttpRequest path), a second application for the same unit and batch; the assessor's view."""

import pytest
from playwright.sync_api import expect

from applications.models import Document
from applications.services import application_create
from tests import factories as f
from tests.browser.conftest import confirm, sign_in
from tests.browser.test_applicant_factory import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft():
    batch = f.batch()
    unit = f.enterprise("330106", name="杭州绿源精密机械有限公司")
    user = f.user_of(unit, username="factory")
    return application_create(unit=unit, batch=batch, by=user), user


def choose(page, path):
    page.get_by_label("文件（PDF）").set_input_files(str(path))
    page.get_by_role("button", name="上传", exact=True).click()


def test_renamed_docx_is_refused_with_its_message(page, live_server, draft, tmp_path):
    app, user = draft
    sign_in(page, live_server, user.username)
    page.goto(f"{live_server.url}/applications/{app.pk}/upload/")
    fake = tmp_path / "自评价报告.pdf"
    fake.write_bytes(b"PK\x03\x04" + b"[Content_Types].xml word/document.xml" * 50)
    choose(page, fake)
    expect(page.locator("#id_file_errors")).to_have_text(
        "只能上传 PDF 文件，“自评价报告.pdf”不是 PDF（文件须以%PDF-开头）。"
    )
    shot(page, "upload_refused_not_pdf")
    assert not Document.objects.exists()


def test_file_over_the_cap_is_refused_by_the_server_without_javascript(
    browser, live_server, draft, tmp_path, settings
):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "tmp").mkdir()
    app, user = draft
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server, user.username)
    page.goto(f"{live_server.url}/applications/{app.pk}/upload/")
    big = tmp_path / "自评价报告.pdf"
    f.write_big_pdf(big, 3 * 1024 * 1024)
    choose(page, big)
    # Declared larger than the cap: refused from its Content-Length, before the body is read
    # (greenmfg.middleware.UploadSizeLimitMiddleware), with the reason.
    expect(page.locator("[role=alert]")).to_have_text("文件超过大小上限1.0\xa0MB，请压缩或拆分后重新上传。")
    shot(page, "upload_refused_too_large")
    context.close()
    assert not Document.objects.exists()
    assert list((tmp_path / "tmp").iterdir()) == []
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*"))


def test_file_over_the_cap_is_refused_before_sending_with_javascript(
    page, live_server, draft, tmp_path, settings
):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    app, user = draft
    sign_in(page, live_server, user.username)
    page.goto(f"{live_server.url}/applications/{app.pk}/upload/")
    big = tmp_path / "自评价报告.pdf"
    f.write_big_pdf(big, 3 * 1024 * 1024)
    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    choose(page, big)
    expect(page.locator("#id_file_errors")).to_have_text(
        "文件超过大小上限1.0\xa0MB，请压缩或拆分后重新上传。"
    )
    assert posts == []  # nothing sent over the slow line
    assert not Document.objects.exists()


def test_progress_bar_moves_while_a_large_file_uploads(page, live_server, draft, tmp_path):
    app, user = draft
    sign_in(page, live_server, user.username)
    page.goto(f"{live_server.url}/applications/{app.pk}/upload/")
    pdf = tmp_path / "自评价报告.pdf"
    sha = f.write_big_pdf(pdf, 3 * 1024 * 1024, pages=5)
    # A slow office line: the upload takes a few seconds, so the bar can be seen moving.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 1024 * 1024},
    )
    with page.expect_request(lambda r: r.method == "POST" and "/upload/" in r.url) as sent:
        choose(page, pdf)
    assert sent.value.resource_type == "xhr"  # the progress-bar path, not a plain form post
    # Polled from here: wait_for_function evaluates a string in the page, which the CSP forbids.
    for _ in range(300):
        if page.evaluate("document.querySelector('.progress progress').value") > 0:
            break
        page.wait_for_timeout(50)
    else:
        raise AssertionError("the progress bar never moved")
    shot(page, "upload_progress")
    expect(page.get_by_text("已上传自评价报告第1版（5页）。")).to_be_visible(timeout=30_000)
    expect(page).to_have_url(f"{live_server.url}/applications/{app.pk}/upload/")
    assert Document.objects.get().sha256 == sha


def test_plain_form_works_without_javascript(browser, live_server, draft, tmp_path):
    app, user = draft
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server, user.username)
    page.goto(f"{live_server.url}/applications/{app.pk}/upload/")
    pdf = tmp_path / "自评价报告.pdf"
    pdf.write_bytes(f.pdf_bytes(4))
    choose(page, pdf)
    expect(page.get_by_text("已上传自评价报告第1版（4页）。")).to_be_visible()
    context.close()
    assert Document.objects.get().page_count == 4


def test_second_application_for_the_same_unit_and_batch_is_refused(page, live_server):
    batch = f.batch()
    unit = f.enterprise("330106", name="杭州绿源精密机械有限公司")
    user = f.user_of(unit, username="factory")
    colleague = f.user_of(unit)
    sign_in(page, live_server, user.username)
    expect(page.get_by_role("button", name="发起申报")).to_be_visible()
    # Meanwhile a colleague of the same unit starts the application.
    application_create(unit=unit, batch=batch, by=colleague)
    page.get_by_role("button", name="发起申报").click()
    expect(page.locator(".message.error")).to_have_text(
        "杭州绿源精密机械有限公司在2025年批次已有申报，每个单位每批次只能申报一次。"
    )
    expect(page.get_by_role("button", name="发起申报")).to_have_count(0)
    shot(page, "home_duplicate_refused")


def test_assessor_reads_the_application_and_uploads_on_the_units_behalf(page, live_server, draft, tmp_path):
    app, _ = draft
    assessor_org = f.assessor()
    app.assessor = assessor_org.assessor
    app.assessor_may_upload = True
    app.save()
    f.user_of(assessor_org, username="assessor")
    f.application(f.enterprise("330108", name="别家企业有限公司"), app.batch)
    sign_in(page, live_server, "assessor")
    expect(page.get_by_text("杭州绿源精密机械有限公司")).to_be_visible()
    expect(page.get_by_text("别家企业有限公司")).to_have_count(0)
    page.get_by_role("link", name="杭州绿源精密机械有限公司").click()
    expect(page.get_by_role("link", name="1. 主要指标")).to_have_count(0)
    page.get_by_role("link", name="3. 上传材料").click()
    pdf = tmp_path / "自评价报告.pdf"
    pdf.write_bytes(f.pdf_bytes(2))
    choose(page, pdf)
    expect(page.get_by_text("已上传自评价报告第1版（2页）。")).to_be_visible()
    shot(page, "assessor_upload")
    assert Document.objects.get(application=app).uploaded_by.username == "assessor"


def test_returned_application_shows_the_reason_and_can_be_resubmitted(page, live_server):
    from applications.services import application_transition

    batch = f.batch()
    unit = f.enterprise("330106", name="杭州绿源精密机械有限公司")
    user = f.user_of(unit, username="factory")
    app = f.application(unit, batch)
    application_transition(app, name="submit", by=user)
    county = f.user_of(f.county_bureau("330106"))
    application_transition(
        app, name="return_for_revision", by=county, comment="请补充单位产品能耗的行业对标依据。"
    )

    sign_in(page, live_server, user.username)
    expect(page.locator(".next-steps .returned")).to_contain_text("请补充单位产品能耗的行业对标依据。")
    shot(page, "home_returned")
    page.get_by_role("link", name="杭州绿源精密机械有限公司").click()
    expect(page.locator(".card.returned")).to_contain_text("请补充单位产品能耗的行业对标依据。")
    page.get_by_role("link", name="1. 主要指标").click()
    page.locator("#id_energy_per_unit__value").fill("11")
    page.locator("#id_energy_per_unit__benchmark").fill("15")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存。")).to_be_visible()
    page.get_by_role("link", name="4. 核对并提交").click()
    page.get_by_role("button", name="提交审核").click()
    confirm(page, "确认提交")
    expect(page.locator("h1 + p .state")).to_have_text("县级审核")
    expect(page.locator(".card.returned")).to_have_count(0)
