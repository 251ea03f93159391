"""A factory and a park walk the self-evaluation in real Chromium: profile, application,
indicators, assessor with commitment letter, report upload (with the progress bar's JS), submit."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Assessor, AssessorGroup, Organisation, OrganisationKind
from applications.models import Application
from tests import factories as f
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("GREENMFG_SCREENSHOTS")


def shot(page, name):
    """Screenshots to look at (set GREENMFG_SCREENSHOTS to a directory)."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def demo_assessor():
    """Like the demo data's assessor (greenmfg/demo.py)."""
    group = AssessorGroup.objects.create(name="浙江绿评认证集团有限公司")
    org = Organisation.objects.create(kind=OrganisationKind.ASSESSOR, name="浙江绿评认证技术服务有限公司")
    Assessor.objects.create(organisation=org, credit_code=f.credit_code(), group=group)
    return org


def upload(page, tmp_path, kind_label, name, pages=2):
    path = tmp_path / name
    path.write_bytes(f.pdf_bytes(pages))
    page.get_by_label("材料类型").select_option(label=kind_label)
    page.get_by_label("文件（PDF）").set_input_files(str(path))
    page.get_by_role("button", name="上传", exact=True).click()


def test_factory_fills_profile_applies_uploads_names_assessor_and_submits(page, live_server, tmp_path):
    f.batch()
    unit = f.enterprise("330106", name="杭州绿源精密机械有限公司")
    user = f.user_of(unit, username="factory")
    f.user_of(f.county_bureau("330106"), username="county")
    demo_assessor()

    sign_in(page, live_server, user.username)
    expect(page.get_by_text("发起本批次申报。")).to_be_visible()
    shot(page, "home_factory_start")

    page.get_by_role("link", name="单位信息").first.click()
    page.get_by_label("法定代表人").fill("张三")
    page.get_by_label("联系人", exact=True).fill("李四")
    page.get_by_label("联系电话").fill("0571-88000000")
    page.get_by_label("联系邮箱").fill("lisi@example.invalid")
    page.get_by_label("统一社会信用代码").fill("91330100MA27XXXXX0")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#id_credit_code_errors")).to_contain_text("统一社会信用代码")
    shot(page, "profile_error")
    page.get_by_label("统一社会信用代码").fill(unit.enterprise.credit_code)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("单位信息已保存。")).to_be_visible()
    shot(page, "profile_saved")

    page.get_by_role("link", name="浙江省绿色低碳工业园区和工厂推荐平台").click()
    page.get_by_role("button", name="发起申报").click()
    expect(page.get_by_text("已创建申报，请填写主要指标并上传材料。")).to_be_visible()
    page.locator("#id_energy_per_unit__value").fill("12.5")
    page.locator("#id_energy_per_unit__benchmark").fill("15")
    page.locator("#id_water_per_unit__value").fill("0.8")
    page.locator("#id_water_per_unit__benchmark").fill("1.2")
    page.locator("#id_solid_waste_utilisation__value").fill("98.5")
    page.locator("#id_solid_waste_utilisation__benchmark").fill("95")
    page.locator("#id_renewable_share__value").fill("12")
    page.locator("#id_renewable_share__benchmark").fill("10")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存。")).to_be_visible()
    shot(page, "edit_indicators")
    page.get_by_role("button", name="保存并下一步").click()

    expect(page.get_by_text("0 / 10")).to_be_visible()
    shot(page, "assessor_choice")
    page.get_by_label("第三方评价机构").select_option(label="浙江绿评认证技术服务有限公司")
    page.get_by_label("允许该评价机构代本单位上传材料").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("请上传评价机构签署的承诺书（PDF）。")).to_be_visible()
    expect(page.get_by_label("材料类型")).to_have_value("commitment_letter")
    upload(page, tmp_path, "第三方评价机构承诺书", "承诺书.pdf", pages=1)
    expect(page.get_by_text("已上传第三方评价机构承诺书第1版（1页）。")).to_be_visible()
    upload(page, tmp_path, "自评价报告", "自评价报告.pdf", pages=3)
    expect(page.get_by_text("已上传自评价报告第1版（3页）。")).to_be_visible()
    shot(page, "upload")

    page.get_by_role("link", name="4. 核对并提交").click()
    expect(page.get_by_text("浙江绿评认证技术服务有限公司")).to_be_visible()
    expect(page.locator(".missing")).to_have_count(0)
    shot(page, "submit_summary")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("申报已提交，当前状态：县级审核。")).to_be_visible()
    expect(page.locator("h1 + p .state")).to_have_text("县级审核")
    expect(page.get_by_role("link", name="1. 主要指标")).to_have_count(0)
    shot(page, "detail_submitted")

    app = Application.objects.get(unit=unit)
    assert app.state == "county_review"
    assert app.indicators["energy_per_unit"] == {"value": 12.5, "benchmark": 15, "unit": "kgce/t"}
    assert {d.kind for d in app.documents.all()} == {"self_evaluation_report", "commitment_letter"}
    assert app.assessor.organisation.name == "浙江绿评认证技术服务有限公司" and app.assessor_may_upload


def test_park_applies_and_lands_in_city_review(page, live_server, tmp_path):
    f.batch()
    unit = f.park("330100", name="杭州钱塘新材料产业园")
    user = f.user_of(unit, username="park")

    sign_in(page, live_server, user.username)
    page.get_by_role("link", name="单位信息").first.click()
    page.get_by_label("工业增加值占比（%）").fill("150")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#id_value_added_share_errors")).to_have_text("占比不能超过100。")
    page.get_by_label("工业增加值占比（%）").fill("68.5")
    page.get_by_label("管理机构负责人").fill("王敏")
    page.get_by_label("联系人", exact=True).fill("赵六")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("单位信息已保存。")).to_be_visible()
    shot(page, "profile_park")

    page.get_by_role("link", name="浙江省绿色低碳工业园区和工厂推荐平台").click()
    page.get_by_role("button", name="发起申报").click()
    for i, year in enumerate(("2022", "2023", "2024")):
        page.locator(f"#id_value_added__{year}").fill(str(80 + i))
        page.locator(f"#id_value_added_share__{year}").fill(str(60 + i))
        page.locator(f"#id_carbon_intensity__{year}").fill("0.9")
        page.locator(f"#id_total_energy__{year}").fill("120000")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存。")).to_be_visible()
    shot(page, "edit_park")

    page.get_by_role("link", name="3. 上传材料").click()
    upload(page, tmp_path, "自评价报告", "园区自评价报告.pdf")
    expect(page.get_by_text("已上传自评价报告第1版（2页）。")).to_be_visible()
    page.get_by_role("link", name="4. 核对并提交").click()
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("h1 + p .state")).to_have_text("市级审核")
    assert Application.objects.get(unit=unit).state == "city_review"
