"""Every URL of the portal needs sign-in, except the few that are public on purpose."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Public on purpose: signing in and out, the language switch, getting an API token, the
# publicity pages (names "public-…", tests/publicity/test_public_pages.py proves they show only
# what Application.objects.public() lets through), the front door (home signed out, blank forms),
# registration and the password pages of Django's auth (tests/accounts).
# healthz: the web server's and the load balancer's probe (greenmfg/views.py HealthView), it
# answers "ok" or 503 and shows nothing else.
PUBLIC = {
    "login",
    "logout",
    "set_language",
    "api-token",
    "healthz",
    "home",
    "register",
    "register-kind",
    "registration-join",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "password_set",
}
PUBLIC_PREFIX = "public-"
# Django's own admin answers with its login page; static files are public by nature.
SKIP_PREFIXES = ("admin/", "static/")


def _sample(route: str) -> str:
    """A concrete path for a route: converters and regex groups filled with plausible values."""
    route = route.lstrip("^").rstrip("$")
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: "2025" if m.group(1) == "year" else "1", route)
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "2025" if m.group(1) == "year" else "1", route)
    return route.replace("\\", "")


def walk(patterns=None, prefix=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + _sample(str(p.pattern)))
        elif isinstance(p, URLPattern):
            if "format>" in str(p.pattern):  # DRF's format-suffix twins of the same views
                continue
            path = prefix + _sample(str(p.pattern))
            yield p.name, "/" + path


ROUTES = sorted(
    {
        (name or "", path)
        for name, path in walk()
        if name not in PUBLIC
        and not (name or "").startswith(PUBLIC_PREFIX)
        and not path[1:].startswith(SKIP_PREFIXES)
    }
)


def test_the_walk_finds_the_portal():
    names = {name for name, _ in ROUTES}
    assert {"application-detail", "application-list", "verification-queue", "members"} <= names
    assert len(ROUTES) >= 10


@pytest.mark.parametrize(("name", "path"), ROUTES, ids=[f"{n}:{p}" for n, p in ROUTES])
def test_url_needs_sign_in(client, db, name, path):
    for method in ("get", "post"):
        resp = getattr(client, method)(path)
        if resp.status_code in (302, 301):
            assert "/accounts/login/" in resp["Location"], (method, path, resp["Location"])
        else:
            assert resp.status_code in (401, 403, 405), (method, path, resp.status_code)
