"""Simplified Chinese first, English second: the switch works and dates follow the language."""

import datetime

from django.utils import formats, translation

from tests import factories as f


def test_pages_are_chinese_by_default(client, db):
    body = client.get("/accounts/login/").content.decode()
    assert "用户名" in body and 'lang="zh-hans"' in body


def test_language_switch_turns_the_portal_english(client, db):
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert resp.status_code == 302
    body = client.get("/accounts/login/").content.decode()
    assert "Username" in body and "用户名" not in body and 'lang="en"' in body


def test_english_home_page_for_a_signed_in_unit(client, db):
    batch = f.batch()
    unit = f.enterprise("330106")
    f.application(unit, batch)
    client.force_login(f.user_of(unit))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert "Self-evaluation" in body or "self-evaluation" in body


def test_dates_in_the_users_locale():
    day = datetime.date(2025, 6, 30)
    with translation.override("zh-hans"):
        assert formats.date_format(day, "DATE_FORMAT") == "2025年6月30日"
    with translation.override("en"):
        assert formats.date_format(day, "DATE_FORMAT") == "June 30, 2025"


def test_the_switch_names_each_language_in_itself(client, db):
    assert ">English</button>" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert ">简体中文</button>" in client.get("/accounts/login/").content.decode()
