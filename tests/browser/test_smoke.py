"""The portal in real Chromium: sign in, land on the home page in Chinese."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enterprise_signs_in_and_sees_its_application_in_chinese(page, live_server):
    batch = f.batch()
    unit = f.enterprise("330106", name="杭州绿源精密机械有限公司")
    user = f.user_of(unit, username="factory")
    f.application(unit, batch)

    sign_in(page, live_server, user.username)

    expect(page.locator("h1")).to_have_text("杭州绿源精密机械有限公司")
    expect(page.get_by_text("2025年度批次")).to_be_visible()
    expect(page.locator(".state").first).to_have_text("自评价")
    # Dates in the Chinese locale: 2025年…月…日
    expect(page.locator("dl.facts dd").first).to_contain_text(re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"))


def test_wrong_password_is_refused_with_a_chinese_message(page, live_server):
    f.user_of(f.province(), username="prov")
    sign_in(page, live_server, "prov", password="wrong")
    expect(page.get_by_role("alert")).to_contain_text("用户名")
