"""Every `next` / `back` a user can send goes through url_has_allowed_host_and_scheme: only
addresses of this site are followed; anything else lands on a page of ours."""

import pytest
from django.urls import reverse

from tests.applications.conftest import World

OFFSITE = [
    "https://evil.example/phish",
    "//evil.example/phish",
    "javascript:alert(1)",
    "http:\\\\evil.example",
    "https://testserver.evil.example/",
]


@pytest.fixture
def world(db, time_machine):
    return World(clock=time_machine)


@pytest.mark.parametrize("target", OFFSITE)
def test_bulk_review_never_redirects_off_site(world, client, target):
    client.force_login(world.users["county"])
    response = client.post(reverse("review-bulk"), {"name": "county_pass", "back": target})
    assert response.status_code == 302
    assert response.url == reverse("review-queue")


def test_bulk_review_returns_to_the_queue_it_came_from(world, client):
    client.force_login(world.users["county"])
    back = reverse("review-queue") + "?tab=passed&kind=factory"
    response = client.post(reverse("review-bulk"), {"name": "county_pass", "back": back})
    assert response.url == back


@pytest.mark.parametrize("target", OFFSITE)
def test_sign_in_never_redirects_off_site(world, client, target):
    user = world.users["county"]
    response = client.post(
        reverse("login"), {"username": user.username, "password": "pw-for-tests-1", "next": target}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")


@pytest.mark.parametrize("target", OFFSITE)
def test_language_switch_never_redirects_off_site(client, db, target):
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302
    assert "evil" not in response.url and not response.url.startswith("javascript")
