"""People in organisations: the administrator invites, changes roles, deactivates; the last
administrator stays; bureau administrators are created by the level above."""

import re

import pytest
from django.urls import reverse

from accounts.models import InboxMessage, OrgRole, User
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    org = f.enterprise("330106")
    return org, f.user_of(org, org_role=OrgRole.ADMIN, full_name="张伟")


def test_admin_invites_a_colleague_who_sets_a_password_from_the_mail(
    client, unit, mailoutbox, django_capture_on_commit_callbacks
):
    org, admin = unit
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(
            reverse("members"),
            {"action": "invite", "full_name": "李娜", "email": "Li.Na@example.invalid", "role": "member"},
        )
    assert resp.status_code == 302
    colleague = User.objects.get(username="li.na@example.invalid")
    assert colleague.organisation == org and not colleague.has_usable_password()
    assert len(mailoutbox) == 1 and "张伟" in mailoutbox[0].body
    assert InboxMessage.objects.filter(user=colleague).count() == 1
    path = re.search(r"/accounts/password/set/\S+/", mailoutbox[0].body).group(0)
    client.logout()
    resp = client.get(path, follow=True)
    resp = client.post(
        resp.redirect_chain[-1][0],
        {"new_password1": "李娜的新密码-2025", "new_password2": "李娜的新密码-2025"},
    )
    assert resp.status_code == 302
    assert (
        client.post(
            "/accounts/login/", {"username": "li.na@example.invalid", "password": "李娜的新密码-2025"}
        ).status_code
        == 302
    )


def test_an_address_with_an_account_is_refused_next_to_the_field(client, unit):
    _org, admin = unit
    client.force_login(admin)
    resp = client.post(
        reverse("members"), {"action": "invite", "full_name": "重复", "email": admin.email, "role": "member"}
    )
    assert resp.status_code == 200 and "已有账号" in resp.content.decode()


def test_a_member_cannot_open_the_members_page(client, unit):
    org, _ = unit
    client.force_login(f.user_of(org))
    assert client.get(reverse("members")).status_code == 404


def test_the_last_administrator_cannot_step_down_or_be_deactivated(client, unit):
    _org, admin = unit
    client.force_login(admin)
    client.post(reverse("members"), {"action": "role", "user": admin.pk, "role": "member"})
    client.post(reverse("members"), {"action": "deactivate", "user": admin.pk})
    admin.refresh_from_db()
    assert admin.org_role == OrgRole.ADMIN and admin.is_active


def test_with_a_second_administrator_the_first_may_step_down(client, unit):
    org, admin = unit
    f.user_of(org, org_role=OrgRole.ADMIN)
    client.force_login(admin)
    client.post(reverse("members"), {"action": "role", "user": admin.pk, "role": "member"})
    admin.refresh_from_db()
    assert admin.org_role == OrgRole.MEMBER


def test_admin_deactivates_a_colleague_who_then_cannot_sign_in(client, unit):
    org, admin = unit
    colleague = f.user_of(org)
    client.force_login(admin)
    client.post(reverse("members"), {"action": "deactivate", "user": colleague.pk})
    colleague.refresh_from_db()
    assert not colleague.is_active
    client.logout()
    resp = client.post("/accounts/login/", {"username": colleague.username, "password": "pw-for-tests-1"})
    assert resp.status_code == 200


def test_deactivating_is_undone_by_activating_the_same_account(client, unit):
    """停用 is not confirmed (core.confirm) because 启用 undoes it: the same account signs in again
    with its own password and keeps its role; only its API token is gone (a new one comes with
    the next sign-in)."""
    org, admin = unit
    colleague = f.user_of(org, org_role=OrgRole.ADMIN)
    client.force_login(admin)
    client.post(reverse("members"), {"action": "deactivate", "user": colleague.pk})
    page = client.get(reverse("members")).content.decode()
    assert 'name="action" value="activate"' in page  # the way back is on the page
    client.post(reverse("members"), {"action": "activate", "user": colleague.pk})
    colleague.refresh_from_db()
    assert colleague.is_active and colleague.org_role == OrgRole.ADMIN
    client.logout()
    resp = client.post("/accounts/login/", {"username": colleague.username, "password": "pw-for-tests-1"})
    assert resp.status_code == 302


def test_an_administrator_cannot_touch_another_organisations_people(client, unit):
    _org, admin = unit
    stranger = f.user_of(f.enterprise("330108"))
    client.force_login(admin)
    assert client.post(reverse("members"), {"action": "deactivate", "user": stranger.pk}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active


def test_the_province_creates_a_city_bureau_administrator(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    city = f.city_bureau("330100")
    client.force_login(f.user_of(f.province(), full_name="省厅管理员"))
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(
            reverse("bureau-admins"),
            {"bureau": city.pk, "full_name": "周杭州", "email": "zhou@hz.example.invalid"},
        )
    assert resp.status_code == 302
    created = User.objects.get(username="zhou@hz.example.invalid")
    assert created.organisation == city and created.org_role == OrgRole.ADMIN
    assert len(mailoutbox) == 1


def test_a_city_administrator_creates_county_administrators_of_its_own_city_only(client):
    own = f.county_bureau("330106")
    foreign = f.county_bureau("330203")
    client.force_login(f.user_of(f.city_bureau("330100"), org_role=OrgRole.ADMIN))
    ok = client.post(
        reverse("bureau-admins"), {"bureau": own.pk, "full_name": "吴西湖", "email": "wu@example.invalid"}
    )
    assert ok.status_code == 302
    refused = client.post(
        reverse("bureau-admins"), {"bureau": foreign.pk, "full_name": "外市", "email": "x@example.invalid"}
    )
    assert refused.status_code == 200
    assert not User.objects.filter(username="x@example.invalid").exists()


def test_a_county_bureau_creates_no_bureau_administrators(client):
    client.force_login(f.user_of(f.county_bureau("330106"), org_role=OrgRole.ADMIN))
    assert client.get(reverse("bureau-admins")).status_code == 404
