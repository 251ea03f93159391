"""The province's side end to end in Chromium: expert review, publicity, a public objection, the
objection upheld, the period ending, joint publication, the public list and the notice PDF."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.conftest import confirm, sign_in
from tests.experts.conftest import ProvinceWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def switch_user(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user.username)


def test_province_runs_expert_review_publicity_objection_and_publication(
    page, live_server, tmp_path, time_machine
):
    world = ProvinceWorld()
    province, expert = world.users["province"], world.users["expert"]
    kept = world.under_review(name="杭州绿源精密机械有限公司")
    objected = world.under_review("park", name="杭州钱塘绿色产业园区")
    hidden = world.under_review(name="仍在省级评估的企业")

    # 1. The province assigns the expert to both units.
    switch_user(page, live_server, province)
    for app in (kept, objected):
        page.goto(f"{live_server.url}/experts/province/{app.pk}/")
        page.get_by_label("指派评审专家").select_option(label="王专家（浙江省绿色制造评审专家库）")
        page.get_by_role("button", name="指派", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("已指派专家")

    # 2. The expert sees only those two and records an opinion on each.
    switch_user(page, live_server, expert)
    page.goto(f"{live_server.url}/experts/")
    expect(page.get_by_role("link", name="杭州绿源精密机械有限公司")).to_be_visible()
    expect(page.get_by_text("仍在省级评估的企业")).to_have_count(0)
    for name, score in (("杭州绿源精密机械有限公司", "88"), ("杭州钱塘绿色产业园区", "84.5")):
        page.get_by_role("link", name=name).click()
        page.get_by_label("通过", exact=True).check()
        page.get_by_label("评分（0–100，可选）").fill(score)
        page.get_by_label("评审意见", exact=True).fill("能耗、水耗指标优于行业先进水平，材料真实完整。")
        if name == "杭州钱塘绿色产业园区":
            shot(page, "expert_opinion")
        page.get_by_role("button", name="提交评审意见").click()
        expect(page.get_by_role("status")).to_contain_text("评审意见已保存")
    shot(page, "expert_tasks")
    page.goto(f"{live_server.url}/experts/applications/{hidden.pk}/")
    expect(page.get_by_text("仍在省级评估的企业")).to_have_count(0)

    # 3. The province reads the opinions side by side and sends both units to publicity.
    switch_user(page, live_server, province)
    page.goto(f"{live_server.url}/experts/province/{kept.pk}/")
    expect(page.locator(".opinion-card")).to_contain_text("能耗、水耗指标优于行业先进水平")
    shot(page, "province_decision")
    page.goto(f"{live_server.url}/experts/province/")
    page.get_by_label("杭州绿源精密机械有限公司拟公示").check()
    page.get_by_label("杭州钱塘绿色产业园区拟公示").check()
    shot(page, "province_board")
    page.get_by_role("button", name="勾选单位列入公示").click()
    confirm(page, "确认列入公示")
    expect(page.get_by_role("status")).to_contain_text("已将2家单位列入公示")

    # 4. A member of the public (not signed in) objects to the park on the public page.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/publicity/")
    expect(page.locator(".public-list")).to_contain_text("杭州绿源精密机械有限公司")
    expect(page.locator(".public-list")).to_contain_text("杭州钱塘绿色产业园区")
    expect(page.get_by_text("仍在省级评估的企业")).to_have_count(0)
    expect(page.locator("body")).to_contain_text(world.batch.objection_contact)
    shot(page, "public_publicity")
    # The objection names the unit of the row whose link was followed (no drop-down of every unit).
    page.get_by_role("link", name="对杭州钱塘绿色产业园区提出异议").click()
    expect(page.locator("#objection-unit")).to_have_text("杭州钱塘绿色产业园区（杭州市）")
    page.get_by_label("真实姓名").fill("张三")
    page.get_by_label("联系方式（电话或邮箱）").fill("13800000000")
    page.get_by_label("异议事实和理由").fill("该园区2024年发生一般突发环境事件，未如实申报。")
    evidence = tmp_path / "证据.pdf"
    evidence.write_bytes(f.pdf_bytes(1))
    page.get_by_label("证明材料（PDF，可选）").set_input_files(str(evidence))
    page.get_by_role("button", name="提交异议").click()
    expect(page.get_by_role("status")).to_contain_text("您的异议已提交")

    # 5. The province upholds it: the park goes back to provincial review.
    switch_user(page, live_server, province)
    page.goto(f"{live_server.url}/publicity/manage/")
    page.get_by_role("link", name=re.compile(r"^\d+$")).first.click()
    expect(page.locator("body")).to_contain_text("张三")
    shot(page, "province_objection")
    page.get_by_label("处理意见（必填）").fill("经核查，异议属实。")
    page.get_by_label("退回省级评估").check()
    page.get_by_role("button", name="异议成立", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("异议成立")
    objected.refresh_from_db()
    assert objected.state == "province_review"

    # 6. The period ends (the clock runs on to the morning after), and the province publishes.
    kept.refresh_from_db()
    f.after_publicity(time_machine, kept)
    page.goto(f"{live_server.url}/publicity/manage/")
    shot(page, "province_manage")
    page.get_by_label("发文字号（可选）").fill("浙经信绿色〔2025〕120号")
    page.get_by_role("button", name="联合发文公布").click()
    confirm(page, "确认公布")
    expect(page.get_by_role("status")).to_contain_text("已联合发文公布1家单位", timeout=20_000)

    # 7. The public list (by city) shows the published unit and not the objected one.
    page.context.clear_cookies()
    page.reload()
    expect(page.locator("h2.city")).to_have_text(["杭州市"])
    expect(page.locator(".public-list")).to_contain_text("杭州绿源精密机械有限公司")
    expect(page.locator(".public-list")).not_to_contain_text("杭州钱塘绿色产业园区")
    shot(page, "public_published")
    kept.refresh_from_db()
    assert kept.state == "published"

    # 8. The notice PDF, fetched as the public would.
    pdf_url = page.get_by_role("link", name="下载公布通知（PDF）").get_attribute("href")
    response = page.request.get(f"{live_server.url}{pdf_url}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(response.body())
    text = "".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "杭州绿源精密机械有限公司" in text and "杭州钱塘绿色产业园区" not in text
    assert all(d in text for d in world.batch.joint_departments)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert any("CJK" in line and " yes " in line for line in fonts.splitlines()), fonts
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SHOTS / "notice")], check=True)
