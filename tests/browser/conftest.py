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
