"""django-axes: five wrong passwords for one account from one address lock it for 15 minutes,
with the reason in Chinese; the right password is then refused until a bureau administrator of
the region (or the province) unlocks it. The API token endpoint is watched the same way."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _fail(client, username, times):
    for _ in range(times):
        resp = client.post(LOGIN, {"username": username, "password": "wrong-password-x"})
    return resp


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_refused(client):
    user = f.user_of(f.enterprise())
    resp = _fail(client, user.username, 4)
    assert resp.status_code == 200  # still the login form with Django's message
    resp = _fail(client, user.username, 1)
    assert resp.status_code == 429
    body = resp.content.decode()
    assert "连续输错5次" in body and "锁定15分钟" in body
    resp = client.post(LOGIN, {"username": user.username, "password": "pw-for-tests-1"})
    assert resp.status_code == 429
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_then_the_right_one_signs_in(client):
    user = f.user_of(f.enterprise())
    _fail(client, user.username, 4)
    resp = client.post(LOGIN, {"username": user.username, "password": "pw-for-tests-1"})
    assert resp.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_the_token_endpoint_is_locked_too(client):
    user = f.user_of(f.enterprise())
    for _ in range(5):
        resp = client.post("/api/v1/auth/token/", {"username": user.username, "password": "nope-nope-1"})
    assert resp.status_code == 429
    assert "锁定" in resp.json()["detail"]
    resp = client.post("/api/v1/auth/token/", {"username": user.username, "password": "pw-for-tests-1"})
    assert resp.status_code == 429


def test_county_administrator_unlocks_an_enterprise_of_its_county(client):
    user = f.user_of(f.enterprise("330106"))
    _fail(client, user.username, 5)
    attempt = AccessAttempt.objects.get(username=user.username)
    admin = f.user_of(f.county_bureau("330106"), org_role="admin")
    client.force_login(admin)
    page = client.get(reverse("lockouts")).content.decode()
    assert user.username in page
    resp = client.post(reverse("lockouts"), {"attempt": attempt.pk})
    assert resp.status_code == 302
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    client.logout()
    resp = client.post(LOGIN, {"username": user.username, "password": "pw-for-tests-1"})
    assert resp.status_code == 302


def test_another_county_cannot_see_or_lift_the_lockout(client):
    user = f.user_of(f.enterprise("330106"))
    _fail(client, user.username, 5)
    attempt = AccessAttempt.objects.get(username=user.username)
    other = f.user_of(f.county_bureau("330108"), org_role="admin")
    client.force_login(other)
    assert user.username not in client.get(reverse("lockouts")).content.decode()
    assert client.post(reverse("lockouts"), {"attempt": attempt.pk}).status_code == 404
    assert AccessAttempt.objects.filter(username=user.username).exists()


def test_a_bureau_member_who_is_not_administrator_has_no_lockout_page(client):
    client.force_login(f.user_of(f.county_bureau("330106")))
    assert client.get(reverse("lockouts")).status_code == 404


def test_the_province_unlocks_anyone(client):
    user = f.user_of(f.enterprise("330108"))
    _fail(client, user.username, 5)
    attempt = AccessAttempt.objects.get(username=user.username)
    client.force_login(f.user_of(f.province()))
    assert client.post(reverse("lockouts"), {"attempt": attempt.pk}).status_code == 302
    assert not AccessAttempt.objects.exists()
