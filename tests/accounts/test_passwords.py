"""Passwords: validators, change, reset by mail, and the set-password link of an invitation."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import InboxMessage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "why"),
    [("short-pw1", "too short"), ("1234567890123", "numeric"), ("password1234", "common")],
)
def test_password_validators_refuse_weak_passwords(password, why):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_password_similar_to_the_email_is_refused():
    user = f.user_of(f.enterprise(), username="zhangwei.energy", email="zhangwei.energy@example.invalid")
    with pytest.raises(ValidationError):
        validate_password("zhangwei.energy", user)


def test_a_good_password_passes():
    validate_password("绿色工厂-2025-申报")


def test_password_change_keeps_the_user_signed_in_with_the_new_password(client):
    user = f.user_of(f.enterprise())
    client.force_login(user)
    resp = client.post(
        reverse("password_change"),
        {
            "old_password": "pw-for-tests-1",
            "new_password1": "绿色低碳-新密码-2025",
            "new_password2": "绿色低碳-新密码-2025",
        },
    )
    assert resp.status_code == 302
    user.refresh_from_db()
    assert user.check_password("绿色低碳-新密码-2025")


def test_password_change_shows_the_reason_in_chinese_and_changes_nothing(client):
    user = f.user_of(f.enterprise())
    client.force_login(user)
    resp = client.post(
        reverse("password_change"),
        {"old_password": "pw-for-tests-1", "new_password1": "12345", "new_password2": "12345"},
    )
    assert resp.status_code == 200
    assert "密码" in resp.content.decode() and "太短" in resp.content.decode()
    user.refresh_from_db()
    assert user.check_password("pw-for-tests-1")


def test_forgotten_password_reset_through_the_mail(client, mailoutbox):
    user = f.user_of(f.enterprise())
    resp = client.post(reverse("password_reset"), {"email": user.email.upper()})
    assert resp.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [user.email]
    # The mail also lands in the inbox.
    assert InboxMessage.objects.filter(user=user, subject=mailoutbox[0].subject).exists()
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mailoutbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    resp = client.get(path, follow=True)
    form_url = resp.redirect_chain[-1][0]
    resp = client.post(form_url, {"new_password1": "重设后的密码-2025", "new_password2": "重设后的密码-2025"})
    assert resp.status_code == 302
    user.refresh_from_db()
    assert user.check_password("重设后的密码-2025")


def test_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, mailoutbox):
    resp = client.post(reverse("password_reset"), {"email": "nobody@example.invalid"})
    assert resp.status_code == 302 and not mailoutbox


def test_invited_user_who_never_set_a_password_can_use_the_reset(client, mailoutbox):  # reset mails at once
    org = f.enterprise()
    admin = f.user_of(org, org_role="admin")
    from accounts.people import member_invite

    with_commit = member_invite(by=admin, email="new.colleague@example.invalid", full_name="钱七")
    assert not with_commit.has_usable_password()
    mailoutbox.clear()
    client.post(reverse("password_reset"), {"email": "new.colleague@example.invalid"})
    assert len(mailoutbox) == 1
