"""Helpers shared by the browser tests (Playwright driving Debian's Chromium)."""

import pytest

PASSWORD = "pw-for-tests-1"


def sign_in(page, live_server, username, password=PASSWORD):
    """Sign in through the real login form, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


@pytest.fixture
def signed_in(page, live_server):
    """`signed_in(user)` signs `user` in and returns the page."""

    def go(user, password=PASSWORD):
        sign_in(page, live_server, user.username, password)
        return page

    return go


def confirm(page, label):
    """Press `label` in the confirmation dialog (static/js/confirm.js) after the action's button."""
    from playwright.sync_api import expect

    dialog = page.locator("dialog#confirm-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name=label, exact=True).click()


def decide(page, decision, comment=""):
    """Take `decision` in the reviewer's decision panel (one comment field for every decision)."""
    panel = page.locator("form.decision")
    panel.get_by_label(decision, exact=True).check()
    if comment:
        panel.locator("#id_comment").fill(comment)
    panel.locator("[data-decision-submit]").click()
