"""Dynamic management end to end in Chromium (the issue's Done-when): a listed factory fills and
submits its form with a change of name and a 重大 accident; the county passes it; the city sees
the flags, proposes removal with its on-site evaluation attached and sends its submission with
the opinions PDF; the province decides removal on its page of every city's opinions (both
decisions confirmed in the dialog); publication shows the adjustment list on the public page
and in the notice PDF; the unit's entry has ended; its new application is refused with the
reason."""

import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.indicators import dynamic_keys, indicators_for
from dynamic.models import DynamicForm
from lists.models import EntryStatus
from tests import factories as f
from tests.browser.conftest import confirm, sign_in
from tests.browser.test_province_publicity import shot
from tests.dynamic.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Steps that render PDFs (the notice on publication) or write many rows may take longer than
# Playwright's default 5 s on a busy machine.
SLOW = 30_000

NEW_NAME = "杭州更名精密科技有限公司"


def switch_user(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user.username)


def test_dynamic_management_from_the_form_to_the_published_adjustment(
    page, live_server, tmp_path, time_machine
):
    world = World()
    form = world.form("factory")
    listed_name = form.unit_name
    # The city has a recommendation to send too (the submission needs one), made by the services.
    recommended = f.advance(
        f.application(f.enterprise("330106", name="本年推荐企业"), world.batch), "recommended"
    )
    pdf = tmp_path / "盖章件.pdf"
    pdf.write_bytes(f.pdf_bytes(1))

    # 1. The listed factory fills its form: identity, a 重大 accident, indicators, a rename with
    #    its licence, the signed form and the pledge; then submits.
    switch_user(page, live_server, world.users["factory"])
    page.goto(f"{live_server.url}/dynamic/")
    page.get_by_role("link", name=listed_name).click()
    page.get_by_test_id("edit-form").click()
    page.get_by_label("地址").fill("杭州市西湖区文三路1号")
    page.get_by_label("主要产品或经营范围").fill("精密机械零部件")
    page.get_by_label("生产经营状况").select_option("normal")
    page.get_by_label("安全生产或质量事故").select_option("major")
    page.get_by_label("突发环境事件").select_option("none")
    for name in ("tax_evasion", "dishonest", "rectification_unfinished"):
        page.locator(f'select[name="{name}"]').select_option("false")
    years = [k for k in dynamic_keys("factory", world.batch) if k != "benchmark"]
    for ind in indicators_for("factory", "dynamic"):
        for n, year in enumerate(years):
            page.locator(f'input[name="{ind.code}__{year}"]').fill(
                str(30 - n if ind.higher_is_better is False else 60 + n)
            )
        page.locator(f'input[name="{ind.code}__benchmark"]').fill(
            "40" if ind.higher_is_better is False else "50"
        )
    page.locator('input[name="pledge"]').check()
    page.get_by_test_id("save").click()
    expect(page.get_by_role("status")).to_contain_text("已保存", timeout=SLOW)
    change = page.get_by_test_id("change-add")
    change.get_by_label("变更事项").select_option("name")
    change.get_by_label("变更后").fill(NEW_NAME)
    change.get_by_label("变更日期").fill(timezone.localdate().isoformat())
    change.get_by_label("证明材料（PDF）").set_input_files(str(pdf))
    change.get_by_role("button", name="添加变更事项").click()
    expect(page.get_by_role("status")).to_contain_text("已添加变更事项", timeout=SLOW)
    page.get_by_test_id("upload-kind").select_option("signed_form")
    page.get_by_test_id("upload-file").set_input_files(str(pdf))
    page.get_by_test_id("upload").get_by_role("button", name="上传").click()
    expect(page.get_by_role("status")).to_contain_text("已上传", timeout=SLOW)
    shot(page, "dynamic_form_edit")
    page.get_by_test_id("submit-form").get_by_role("button", name="提交审核").click()
    expect(page.get_by_test_id("current-state")).to_have_text("县级审核", timeout=SLOW)

    # 2. The county passes it.
    switch_user(page, live_server, world.users["county"])
    page.goto(f"{live_server.url}/dynamic/")
    page.get_by_role("link", name=NEW_NAME).click()
    page.get_by_test_id("transition-county_pass").get_by_role("button", name="县级审核通过").click()
    expect(page.get_by_test_id("current-state")).to_have_text("市级审核", timeout=SLOW)

    # 3. The city sees the flags, attaches its on-site evaluation and proposes removal.
    switch_user(page, live_server, world.users["city"])
    page.goto(f"{live_server.url}/dynamic/?flag=major_accident")
    page.get_by_role("link", name=NEW_NAME).click()
    expect(page.get_by_test_id("flags")).to_contain_text("发生重大及以上安全生产或质量事故")
    expect(page.get_by_test_id("flags")).to_contain_text("名称或经营范围变更待确认")
    page.get_by_test_id("evaluation-file").set_input_files(str(pdf))
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_role("status")).to_contain_text("已上传", timeout=SLOW)
    conclude = page.get_by_test_id("transition-city_conclude")
    conclude.get_by_test_id("opinion-city_conclude").select_option("remove")
    conclude.get_by_label("现场评估日期（可选）").fill(timezone.localdate().isoformat())
    conclude.get_by_label("现场评估结论（可选）").fill("现场核实事故属实，不再符合绿色工厂要求。")
    conclude.get_by_label("说明（可选）").fill("企业发生重大生产安全事故。")
    shot(page, "dynamic_city_review")
    conclude.get_by_role("button", name="出具市级意见").click()
    # The opinion 建议撤销 is confirmed in a dialog that names the unit and what follows.
    expect(page.locator("dialog#confirm-dialog")).to_contain_text(NEW_NAME)
    expect(page.locator("dialog#confirm-dialog")).to_contain_text("报省经信厅决定")
    confirm(page, "确认建议撤销")
    expect(page.get_by_test_id("current-state")).to_have_text("市级已出具意见", timeout=SLOW)
    expect(page.get_by_test_id("city-opinion")).to_contain_text("建议撤销")

    # ... and sends its submission with the opinions PDF and their sealed scan.
    page.goto(f"{live_server.url}/reviews/submission/")
    page.get_by_role("button", name="开始准备报送").click()
    href = page.get_by_test_id("dynamic-opinions-pdf").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    opinions = tmp_path / "opinions.pdf"
    opinions.write_bytes(response.body())
    text = "".join(
        subprocess.run(["pdftotext", str(opinions), "-"], capture_output=True, text=True).stdout.split()
    )
    assert NEW_NAME in text and "建议撤销" in text
    for kind in ("letter_scan", "table_scan", "opinions_scan"):
        page.get_by_label("材料类型").select_option(kind)
        page.locator("#id_file").set_input_files(str(pdf))
        page.locator("form.upload").get_by_role("button", name="上传").click()
        expect(page.get_by_role("status").first).to_be_visible(timeout=SLOW)
    shot(page, "dynamic_city_submission")
    page.get_by_role("button", name="报送省经信厅").click()
    confirm(page, "确认报送")
    expect(page.get_by_test_id("submission-state")).to_have_text("已报送", timeout=SLOW)

    # 4. The province decides removal on its page of every city's opinions, filtered by opinion
    #    and flag, with the city's reasons and its on-site evaluation beside the opinion; the
    #    decision comes back to the same filtered page.
    switch_user(page, live_server, world.users["province"])
    page.goto(f"{live_server.url}/dynamic/")
    page.get_by_test_id("opinions-link").click()
    filters = page.get_by_test_id("opinion-filters")
    filters.get_by_label("市级意见").select_option("remove")
    filters.get_by_label("提示").select_option("major_accident")
    filters.get_by_role("button", name="查询").click()
    row = page.get_by_test_id(f"opinion-{form.pk}")
    expect(row).to_contain_text(NEW_NAME)
    expect(row.get_by_test_id("city-opinion")).to_have_text("建议撤销")
    expect(row.get_by_test_id("evaluation-link")).to_be_visible()
    shot(page, "dynamic_province_opinions")
    decide = row.get_by_test_id(f"decide-{form.pk}")
    decide.get_by_label("省级决定").select_option("remove")
    decide.get_by_label("理由（撤销必填）").fill("发生重大生产安全事故，撤销省级绿色低碳工厂。")
    decide.get_by_role("button", name="作出决定").click()
    confirm(page, "确认撤销")
    expect(page.locator(".message.success")).to_contain_text("省级已决定", timeout=SLOW)
    assert "opinion=remove" in page.url and "flag=major_accident" in page.url
    page.get_by_test_id("opinion-filters").get_by_label("省级决定").select_option("yes")
    page.get_by_test_id("opinion-filters").get_by_role("button", name="查询").click()
    expect(page.get_by_test_id(f"opinion-{form.pk}").get_by_test_id("decision")).to_have_text("撤销")

    # 5. Publication (the year's recommended unit through publicity, by the services; the province
    #    publishes on its page): the adjustment list on the public page and in the notice PDF.
    recommended.refresh_from_db()
    f.after_publicity(time_machine, f.publicity_round([recommended]))
    page.goto(f"{live_server.url}/publicity/manage/")
    page.get_by_label("发文字号（可选）").fill("浙经信绿色〔2025〕120号")
    page.get_by_role("button", name="联合发文公布").click()
    confirm(page, "确认公布")
    expect(page.get_by_role("status")).to_contain_text("已联合发文公布", timeout=SLOW)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/publicity/published/")
    page.get_by_role("link").filter(has_text="2025").first.click()
    expect(page.get_by_test_id("adjustments")).to_contain_text(listed_name, timeout=SLOW)
    expect(page.get_by_test_id("adjustments")).to_contain_text("撤销")
    shot(page, "dynamic_public_adjustments")
    pdf_url = page.get_by_role("link", name="下载公布通知（PDF）").get_attribute("href")
    notice = tmp_path / "notice.pdf"
    notice.write_bytes(page.request.get(f"{live_server.url}{pdf_url}").body())
    text = "".join(
        subprocess.run(["pdftotext", str(notice), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "省级绿色制造动态管理调整名单" in text and listed_name in text

    # 6. The entry has ended; a new application of the unit is refused, naming the removal.
    world.factory_entry.refresh_from_db()
    assert world.factory_entry.status == EntryStatus.ENDED
    app = f.application(world.factory_org, world.batch)
    switch_user(page, live_server, world.users["factory"])
    page.goto(f"{live_server.url}/applications/{app.pk}/submit/")
    expect(page.locator("body")).to_contain_text("因动态管理被移出省级绿色制造名单")
    expect(page.locator("body")).to_contain_text(f"{world.batch.year + 3}年（含）前不得再次申报")
    shot(page, "dynamic_reapplication_refused")


def test_dynamic_returns_are_confirmed_with_and_without_javascript(browser, page, live_server):
    """The county's 退回修改 in the dialog (cancel changes nothing, confirm returns the form); the
    province's 保留 without one; the province's 退回设区市 on the opinions page without
    JavaScript: the confirmation page, then back to the same filtered page."""
    world = World()
    county_form = world.in_state("factory", "county_review")
    switch_user(page, live_server, world.users["county"])
    page.goto(f"{live_server.url}/dynamic/forms/{county_form.pk}/")
    back = page.get_by_test_id("transition-return_for_revision")
    back.get_by_label("原因（必填）").fill("能耗数据缺失，请补充。")
    back.get_by_role("button", name="退回修改").click()
    dialog = page.locator("dialog#confirm-dialog")
    expect(dialog).to_contain_text(county_form.unit_name)
    dialog.get_by_role("button", name="取消", exact=True).click()
    expect(dialog).to_be_hidden()
    assert DynamicForm.objects.get(pk=county_form.pk).state == "county_review"
    back.get_by_role("button", name="退回修改").click()
    confirm(page, "确认退回修改")
    expect(page.get_by_test_id("current-state")).to_have_text("退回修改", timeout=SLOW)

    # The province's 保留 is not destructive: decided at once, no dialog (only 撤销 asks).
    kept = world.in_state("other", "city_done")
    switch_user(page, live_server, world.users["province"])
    page.goto(f"{live_server.url}/dynamic/opinions/?city=330200")
    decide = page.get_by_test_id(f"decide-{kept.pk}")
    decide.get_by_label("省级决定").select_option("keep")
    decide.get_by_label("理由（撤销必填）").fill("经核实，继续保留。")
    decide.get_by_role("button", name="作出决定").click()
    expect(page.locator(".message.success")).to_contain_text("省级已决定", timeout=SLOW)
    expect(dialog).to_be_hidden()
    assert DynamicForm.objects.get(pk=kept.pk).decision == "keep"

    park = world.in_state("park", "city_done")
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        java_script_enabled=False,
        base_url=live_server.url,
    )
    nojs = context.new_page()
    sign_in(nojs, live_server, world.users["province"].username)
    nojs.goto("/dynamic/opinions/?kind=park")
    row = nojs.get_by_test_id(f"return-{park.pk}")
    row.get_by_label("退回设区市重新研究（原因必填）").fill("请补充现场评估。")
    row.get_by_role("button", name="退回设区市").click()
    expect(nojs.locator("h1")).to_have_text("确认退回设区市")
    expect(nojs.locator(".confirm-page")).to_contain_text("原因：请补充现场评估。")
    assert nojs.evaluate("document.documentElement.scrollWidth") <= 390
    assert DynamicForm.objects.get(pk=park.pk).state == "city_done"
    shot(nojs, "dynamic_return_to_city_confirmation_nojs")
    nojs.get_by_role("button", name="确认退回设区市").click()
    expect(nojs.locator(".message.success")).to_contain_text("市级审核", timeout=SLOW)
    assert "kind=park" in nojs.url
    assert DynamicForm.objects.get(pk=park.pk).state == "city_review"
    context.close()
