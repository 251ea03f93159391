"""Production hardening: Django's deployment check passes with the environment the README
documents; every page carries a Content-Security-Policy without inline allowances and a
Permissions-Policy; templates hold nothing inline; the browsable API is off outside DEBUG;
WeasyPrint fetches only the project's own static files."""

import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.pdf import BASE_URL, StaticOnlyFetcher, html_to_pdf

ROOT = Path(settings.BASE_DIR)


def readme_production_environment() -> dict[str, str]:
    """The variables of the README's production block (```sh … ``` after its heading)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- production-env:begin -->", 1)[1].split("<!-- production-env:end -->", 1)[0]
    pairs = re.findall(r"^([A-Z_]+)=(\S+)$", block, flags=re.MULTILINE)
    assert pairs, "the README documents the production environment"
    return dict(pairs)


def run_deploy_check(environment: dict[str, str]) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **environment}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_deploy_check_passes_with_the_documented_production_environment():
    done = run_deploy_check(readme_production_environment())
    assert done.returncode == 0, done.stdout + done.stderr


def test_deploy_check_fails_without_hsts_and_secure_cookies():
    environment = readme_production_environment()
    for name in ("SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE"):
        environment.pop(name)
    done = run_deploy_check(environment)
    assert done.returncode != 0
    assert "security.W004" in done.stderr and "security.W012" in done.stderr


PAGES = ["home", "login", "public-publicity", "public-published-index", "api-docs"]


@pytest.mark.parametrize("name", PAGES)
def test_every_page_sends_a_strict_csp_and_a_permissions_policy(admin_client, name):
    response = admin_client.get(reverse(name))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=", re.IGNORECASE)


def test_no_template_holds_inline_script_style_or_handlers():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"{#.*?#}", "", text)  # template comments may name what is forbidden
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in INLINE.finditer(text)]
    assert offenders == []


def test_the_browsable_api_is_off_outside_debug(admin_client):
    assert settings.DEBUG is False
    response = admin_client.get("/api/v1/batches/", HTTP_ACCEPT="text/html")
    assert response.status_code in (200, 406)
    assert "text/html" not in response.get("Content-Type", "")


def test_pdf_fetcher_serves_static_files_and_refuses_everything_else():
    fetcher = StaticOnlyFetcher()
    static = BASE_URL + settings.STATIC_URL.lstrip("/")
    css = fetcher.fetch(f"{static}css/print.css")
    assert b"Noto" in css.read()
    for url in [
        "file:///etc/passwd",
        "http://127.0.0.1:9/",
        "https://example.com/static/css/print.css",
        f"{static}../greenmfg/settings.py",
        f"{static}%2e%2e/greenmfg/settings.py",
        f"{BASE_URL}media/secret.pdf",
        "data:text/css,body{}",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_rendering_a_pdf_reaches_no_server():
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        pdf = html_to_pdf(
            f'<html><head><link rel="stylesheet" href="{url}/x.css"></head>'
            f'<body><img src="{url}/tracker.png"><img src="file:///etc/hostname">正文</body></html>'
        )
    finally:
        server.shutdown()
    assert pdf.startswith(b"%PDF-")
    assert hits == []
