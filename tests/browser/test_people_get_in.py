"""Real people get in, in Chromium: an enterprise registers, the county verifies it, its user
sets a password from the mail, signs in and starts an application; a colleague is invited and
joins; a forgotten password is reset through the mail; five wrong passwords lock the account
with the Chinese message and the right one is refused until the county's administrator unlocks."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Organisation, OrgRole
from tests import factories as f
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link(live_server, to: str, pattern=r"/accounts/password/(?:set|reset)/\S+/") -> str:
    """The newest link of `pattern` mailed to `to`."""
    found = (re.search(pattern, m.body) for m in reversed(mail.outbox) if m.to == [to])
    return live_server.url + next(m for m in found if m).group(0)


def _set_password(page, url, password):
    page.goto(url)
    page.locator("#id_new_password1").fill(password)
    page.locator("#id_new_password2").fill(password)
    page.get_by_role("button", name="保存密码").click()
    expect(page.locator("h1")).to_have_text("密码已设置")


def _sign_out(page):
    page.get_by_role("button", name="退出").click()


def test_an_enterprise_gets_in_invites_a_colleague_resets_and_is_locked_out(page, live_server, tmp_path):
    f.batch()
    county_admin = f.user_of(f.county_bureau("330106"), org_role=OrgRole.ADMIN, full_name="县局周核验")
    mail.outbox.clear()

    # 1. Register from the front door.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="单位注册").first.click()
    page.get_by_role("link", name="企业注册").click()
    page.locator("#id_name").fill("杭州真实注册机械有限公司")
    page.locator("#id_credit_code").fill(f.credit_code())
    page.locator("#id_county").select_option("330106")
    page.locator("#id_industry_class").fill("3311")
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(f.pdf_bytes())
    page.locator("#id_document").set_input_files(str(licence))
    page.locator("#id_contact_name").fill("孙经理")
    page.locator("#id_contact_phone").fill("0571-88001234")
    page.locator("#id_full_name").fill("孙经理")
    page.locator("#id_mobile").fill("13800138000")
    page.locator("#id_email").fill("sun@example.invalid")
    page.get_by_role("button", name="提交注册").click()
    expect(page.locator("h1")).to_have_text("注册已提交")

    # 2. The county verifies it.
    sign_in(page, live_server, county_admin.username)
    page.locator(".nav-menu summary").click()  # the person's menu in the header
    page.get_by_role("link", name="注册核验").click()
    page.get_by_role("link", name="杭州真实注册机械有限公司").click()
    page.get_by_role("button", name="核验通过").click()
    expect(page.get_by_role("status").first).to_contain_text("已核验通过")
    _sign_out(page)

    # 3. The unit's user sets a password from the mail, signs in and starts an application.
    _set_password(page, _link(live_server, "sun@example.invalid"), "孙经理的密码-2025")
    sign_in(page, live_server, "sun@example.invalid", "孙经理的密码-2025")
    expect(page.locator("h1")).to_have_text("杭州真实注册机械有限公司")
    page.get_by_role("button", name="发起申报").click()
    expect(page.locator("body")).to_contain_text("自评价")
    org = Organisation.objects.get(name="杭州真实注册机械有限公司")
    assert org.applications.count() == 1

    # 4. A colleague is invited and joins.
    page.goto(live_server.url + "/accounts/members/")
    page.locator("#id_full_name").fill("钱同事")
    page.locator("#id_email").fill("qian@example.invalid")
    page.get_by_role("button", name="发送邀请").click()
    expect(page.get_by_role("status").first).to_contain_text("已向qian@example.invalid发送邀请邮件")
    _sign_out(page)
    _set_password(page, _link(live_server, "qian@example.invalid"), "钱同事的密码-2025")
    sign_in(page, live_server, "qian@example.invalid", "钱同事的密码-2025")
    expect(page.locator(".who")).to_contain_text("钱同事")
    _sign_out(page)

    # 5. A forgotten password is reset through the mail.
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="忘记密码？").click()
    page.locator("#id_email").fill("sun@example.invalid")
    page.get_by_role("button", name="发送重设链接").click()
    expect(page.locator("h1")).to_have_text("邮件已发送")
    _set_password(
        page,
        _link(live_server, "sun@example.invalid", r"/accounts/password/reset/\S+/"),
        "孙经理的新密码-2026",
    )
    sign_in(page, live_server, "sun@example.invalid", "孙经理的新密码-2026")
    expect(page.locator("h1")).to_have_text("杭州真实注册机械有限公司")
    _sign_out(page)

    # 6. Five wrong passwords lock the account; the right one is refused until unlocked.
    for _ in range(4):
        sign_in(page, live_server, "sun@example.invalid", "wrong-password-1")
        expect(page.get_by_role("alert")).to_be_visible()
    sign_in(page, live_server, "sun@example.invalid", "wrong-password-1")
    expect(page.locator("body")).to_contain_text("密码连续输错5次，该账号已在本地址被锁定15分钟")
    sign_in(page, live_server, "sun@example.invalid", "孙经理的新密码-2026")
    expect(page.locator("h1")).to_have_text("账号已锁定")

    sign_in(page, live_server, county_admin.username)
    page.locator(".nav-menu summary").click()
    page.get_by_role("link", name="账号锁定").click()
    page.get_by_role("button", name="解除锁定").click()
    expect(page.get_by_role("status").first).to_contain_text("已解除锁定")
    _sign_out(page)
    sign_in(page, live_server, "sun@example.invalid", "孙经理的新密码-2026")
    expect(page.locator("h1")).to_have_text("杭州真实注册机械有限公司")
