"""Every applicant page needs sign-in: anonymous requests go to the login page and change nothing."""

import pytest
from django.urls import reverse

PAGES = [
    ("profile", False),
    ("application-start", False),
    ("application-detail", True),
    ("application-edit", True),
    ("application-assessor", True),
    ("application-upload", True),
    ("application-submit", True),
]


@pytest.mark.parametrize(("name", "needs_pk"), PAGES)
def test_anonymous_is_sent_to_sign_in(client, world, name, needs_pk):
    app = world.application()
    before = app.indicators
    path = reverse(name, args=[app.pk] if needs_pk else [])
    for method in (client.get, client.post):
        resp = method(path)
        assert resp.status_code == 302
        assert resp.url.startswith(reverse("login"))
    app.refresh_from_db()
    assert app.state == "draft" and app.indicators == before


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_applicant_page_renders_in_both_languages(client, world, settings, language):
    app = world.application(assessor_org=world.assessor_org)
    client.force_login(world.users["applicant_factory"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for name, needs_pk in PAGES:
        if name == "application-start":
            continue
        resp = client.get(reverse(name, args=[app.pk] if needs_pk else []))
        assert resp.status_code == 200, name
        assert f'<html lang="{language}">' in resp.content.decode()
        assert app.unit.name in resp.content.decode()
    assert client.get(reverse("home")).status_code == 200
