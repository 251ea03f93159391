"""API tokens expire after settings.API_TOKEN_DAYS and signing out revokes them."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests import factories as f

pytestmark = pytest.mark.django_db


def _token(client, user):
    resp = client.post("/api/v1/auth/token/", {"username": user.username, "password": "pw-for-tests-1"})
    assert resp.status_code == 200
    return resp.json()["token"]


def test_a_fresh_token_works(client):
    user = f.user_of(f.enterprise())
    key = _token(client, user)
    assert client.get("/api/v1/batches/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_an_expired_token_is_refused_and_a_new_one_issued(client, settings):
    settings.API_TOKEN_DAYS = 30
    user = f.user_of(f.enterprise())
    key = _token(client, user)
    Token.objects.filter(key=key).update(created=timezone.now() - datetime.timedelta(days=31))
    resp = client.get("/api/v1/batches/", HTTP_AUTHORIZATION=f"Token {key}")
    # 401 or 403: DRF answers 403 when session authentication comes first.
    assert resp.status_code in (401, 403) and "过期" in resp.json()["detail"]
    assert _token(client, user) != key


def test_a_token_29_days_old_still_works(client):
    user = f.user_of(f.enterprise())
    key = _token(client, user)
    Token.objects.filter(key=key).update(created=timezone.now() - datetime.timedelta(days=29))
    assert client.get("/api/v1/batches/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_signing_out_of_the_site_revokes_the_token(client):
    user = f.user_of(f.enterprise())
    key = _token(client, user)
    client.force_login(user)
    client.post("/accounts/logout/")
    assert client.get("/api/v1/batches/", HTTP_AUTHORIZATION=f"Token {key}").status_code in (401, 403)


def test_signing_out_of_the_api_revokes_the_token(client):
    user = f.user_of(f.enterprise())
    key = _token(client, user)
    assert client.post("/api/v1/auth/logout/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 204
    assert client.get("/api/v1/batches/", HTTP_AUTHORIZATION=f"Token {key}").status_code in (401, 403)


def test_the_token_endpoint_is_throttled(client, settings):
    from django.core.cache import cache

    cache.clear()
    user = f.user_of(f.enterprise())
    statuses = [
        client.post(
            "/api/v1/auth/token/", {"username": user.username, "password": "pw-for-tests-1"}
        ).status_code
        for _ in range(12)
    ]
    cache.clear()
    assert statuses[:10] == [200] * 10 and statuses[-1] == 429
